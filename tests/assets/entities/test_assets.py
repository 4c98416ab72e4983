"""The ``entities`` asset end to end on a small lake: rows, times, checks, incrementality."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pyarrow as pa
import pytest

from assets.entities.assets import entities, entity_counts_per_type, entity_spans_match_transcripts
from assets.transcripts.guards import apply_guards
from assets.transcripts.rows import transcript_rows, word_rows
from assets.transcripts.scoring import text_of
from assets.transcripts.transcribe import CallTranscript
from lake import LakeLocation, delta
from lake.tables import ENTITIES, ENTITY_EXTRACTIONS, GAZETTEER, TRANSCRIPT_WORDS, TRANSCRIPTS
from resources.asr.models import ModelIdentity
from resources.asr.words import WordTiming
from resources.geocoding.gazetteer_files import load_gazetteer_file
from resources.lake import LakeResource

DAY = dt.date(2024, 5, 1)
CALLS = {
    "county-1001-1": " Engine 12, respond to 1220 Oak Street for a structure fire.",
    "county-3001-2": " Unit 23, traffic stop at Fifth and Washington, tag Adam Boy Charles 1 2 3.",
    "county-3001-3": "",  # silence: an empty, flagged transcript
    "county-3001-4": " Uh, copy, thanks.",
}


def write_transcript(
    lake: LakeLocation, uid: str, text: str, at: dt.datetime, model: str = "tiny.en"
) -> None:
    words = text.split()
    delta.merge(
        lake,
        TRANSCRIPTS,
        pa.Table.from_pylist(
            [
                {
                    "call_uid": uid,
                    "call_date": DAY,
                    "model_id": model,
                    "text": text,
                    "transcribed_at": at,
                }
            ]
        ),
    )
    rows = [
        {"call_uid": uid, "call_date": DAY, "model_id": model, "word_index": i, "word": " " + w,
         "start_s": 0.4 * i, "end_s": 0.4 * i + 0.35, "probability": 0.9}
        for i, w in enumerate(words)
    ]  # fmt: skip
    if rows:
        delta.merge(lake, TRANSCRIPT_WORDS, pa.Table.from_pylist(rows))


def run(lake_resource: LakeResource) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [entities, entity_counts_per_type, entity_spans_match_transcripts],
        partition_key=DAY.isoformat(),
        resources={"lake": lake_resource},
    )


def gazetteer_csv(tmp_path) -> str:
    path = tmp_path / "streets.csv"
    path.write_text(
        "LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE\n"
        "-86.46,32.46,1220,Oak Street,,Prattville,,AL,36067\n"
        "-86.45,32.46,100,Washington Avenue,,Prattville,,AL,36067\n"
        "-86.44,32.46,100,5th Street,,Prattville,,AL,36067\n"
    )
    return str(path)


def test_entities_are_extracted_timed_checked_and_not_redone(
    lake: LakeLocation, lake_resource: LakeResource, tmp_path
) -> None:
    delta.merge(lake, GAZETTEER, load_gazetteer_file(gazetteer_csv(tmp_path)))
    at = dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)
    for uid, text in CALLS.items():
        write_transcript(lake, uid, text, at)

    result = run(lake_resource)
    assert result.success
    rows = delta.read(lake, ENTITIES).to_pylist()
    got = sorted((r["call_uid"], r["label"], r["normalized"]) for r in rows)
    assert got == sorted(
        [
            ("county-1001-1", "UNIT", "Engine 12"),
            ("county-1001-1", "ADDRESS", "1220 OAK ST"),
            ("county-1001-1", "INCIDENT_TYPE", "STRUCTURE_FIRE"),
            ("county-3001-2", "UNIT", "Unit 23"),
            ("county-3001-2", "INCIDENT_TYPE", "TRAFFIC_STOP"),
            ("county-3001-2", "INTERSECTION", "5TH ST & WASHINGTON AVE"),
            ("county-3001-2", "PLATE", "ABC123"),
        ]
    )
    address = next(r for r in rows if r["label"] == "ADDRESS")
    # "1220 Oak Street" are words 4..6 of the first call: 0.4 s apart, 0.35 s long.
    assert (address["start_s"], address["end_s"]) == pytest.approx((1.6, 2.75))
    assert address["model_id"] == "tiny.en" and 0 < address["confidence"] <= 1

    marks = delta.read(lake, ENTITY_EXTRACTIONS).to_pylist()
    assert sorted((m["call_uid"], m["entity_count"]) for m in marks) == [
        ("county-1001-1", 3), ("county-3001-2", 4), ("county-3001-3", 0), ("county-3001-4", 0),
    ]  # fmt: skip
    meta = result.asset_materializations_for_node("entities")[0].metadata
    assert meta["transcripts_extracted"].value == 4 and meta["entities_written"].value == 7
    assert meta["vocabulary_streets"].value == 3
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["entity_counts_per_type"].passed
    assert checks["entity_counts_per_type"].metadata["UNIT"].value == 2
    assert checks["entity_counts_per_type"].metadata["PLATE"].value == 1
    assert checks["entity_spans_match_transcripts"].passed

    again = run(lake_resource)
    assert (
        again.asset_materializations_for_node("entities")[0].metadata["transcripts_extracted"].value
        == 0
    )
    assert delta.read(lake, ENTITIES).num_rows == 7


def test_a_new_transcript_replaces_its_entities(
    lake: LakeLocation, lake_resource: LakeResource
) -> None:
    write_transcript(
        lake,
        "county-1-1",
        " Medic 4, respond to 1220 Oak Street.",
        dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC),
    )
    run(lake_resource)
    write_transcript(
        lake, "county-1-1", " Medic 4, cancel, 10-22.", dt.datetime(2024, 5, 1, 11, tzinfo=dt.UTC)
    )
    result = run(lake_resource)
    meta = result.asset_materializations_for_node("entities")[0].metadata
    assert meta["transcripts_extracted"].value == 1 and meta["stale_entities_removed"].value == 1
    rows = delta.read(lake, ENTITIES).to_pylist()
    assert sorted((r["label"], r["normalized"], r["detail"]) for r in rows) == [
        ("TEN_CODE", "10-22", "Disregard"),
        ("UNIT", "Medic 4", None),
    ]
    assert all(c.passed for c in result.get_asset_check_evaluations())


def test_the_gazetteer_numbers_confirm_a_misheard_house_number(
    lake: LakeLocation, lake_resource: LakeResource, tmp_path
) -> None:
    path = tmp_path / "hickory.csv"
    path.write_text(
        "LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE\n"
        "-86.46,32.46,301,Hickory Street,,Autaugaville,,AL,36003\n"
        "-86.46,32.47,319B,Hickory Street,,Autaugaville,,AL,36003\n"
    )
    delta.merge(lake, GAZETTEER, load_gazetteer_file(str(path)))
    # tiny.en's "three ninety" for "three nineteen": only 319 stands on Hickory Street
    write_transcript(
        lake,
        "county-3001-9",
        " Unit 23, respond to 390 Hickory Street, reference of domestic disturbance.",
        dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC),
    )
    assert run(lake_resource).success
    rows = delta.read(lake, ENTITIES).to_pylist()
    [address] = [r for r in rows if r["label"] == "ADDRESS"]
    assert (address["text"], address["normalized"]) == ("390 Hickory Street", "319 HICKORY ST")


def test_a_looping_transcript_is_never_read_for_places(
    lake: LakeLocation, lake_resource: LakeResource, tmp_path
) -> None:
    """Planted loop text through the real guards and row builder: the transcript is
    flagged ``hallucinated`` and the entities asset reads nothing from it, while a clean
    transcript with the same address is read."""
    delta.merge(lake, GAZETTEER, load_gazetteer_file(gazetteer_csv(tmp_path)))
    spoken = " Engine 12, respond to 1220 Oak Street"
    looping = spoken + " Redpond," * 8
    results = []
    for uid, text in (("county-1001-7", looping), ("county-1001-8", spoken)):
        timed = [
            WordTiming(" " + w, 0.4 * i, 0.4 * i + 0.35, 0.8, -0.2, 1)
            for i, w in enumerate(text.split())
        ]
        kept, flags = apply_guards(timed, speech_s=6.0, no_speech_prob=0.01)
        results.append(
            CallTranscript(
                uid, text_of(kept), "en", tuple(kept), -0.2, 0.01, None, 0.8, tuple(flags), 1.0, 6.0
            )
        )
    at = dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)
    rows = transcript_rows(
        results, {r.call_uid: DAY for r in results}, ModelIdentity("tiny.en", "t"), at
    )
    assert rows["hallucinated"].to_pylist() == [True, False]
    delta.merge(lake, TRANSCRIPTS, rows)
    delta.merge(
        lake, TRANSCRIPT_WORDS, word_rows(results, {r.call_uid: DAY for r in results}, "tiny.en")
    )

    result = run(lake_resource)
    assert result.success
    found = {(r["call_uid"], r["label"]) for r in delta.read(lake, ENTITIES).to_pylist()}
    assert ("county-1001-8", "ADDRESS") in found
    assert not {label for uid, label in found if uid == "county-1001-7"}
    meta = result.asset_materializations_for_node("entities")[0].metadata
    assert meta["hallucinated_transcripts_skipped"].value == 1
