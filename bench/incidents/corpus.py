"""The benchmark corpus: a simulated stretch of county traffic with rich incidents, as the
entity and geo layers would see it from ground-truth text (the recorder's unit tags, the
written transcript, its entities and their geocoded places)."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assets.entities.extract import EntityExtractor, Word
from assets.entities.numbers import house_number_settings
from assets.entities.pipeline import RadioSettings
from assets.geo.queries import query_for
from assets.incidents.signals import CallFacts, call_facts
from radiotext.streets import leading_number
from resources import calls
from resources.geocoding.gazetteer import LocalGazetteer
from resources.geocoding.gazetteer_files import load_gazetteer_file
from resources.geocoding.resource import GeocoderResource
from resources.simulator import catalog, gazetteer
from resources.simulator.traffic import PlannedCall, plan


@dataclass(frozen=True)
class Corpus:
    facts: list[CallFacts]
    truth: dict[str, str]  # call_uid -> true incident id ("" for none)
    planned: list[PlannedCall]


def call_uid(call: PlannedCall) -> str:
    return calls.call_uid(catalog.SYSTEM, call.talkgroup.tgid, call.start_time)


def _tools(folder: Path) -> tuple[EntityExtractor, Any]:
    gaz = gazetteer.build()
    csv_path = gazetteer.write_openaddresses_csv(gaz, folder / "gazetteer.csv")
    county = gazetteer.write_county_geojson(folder / "county.geojson")
    ten_codes = catalog.write_ten_codes_csv(folder / "ten_codes.csv")
    rows = load_gazetteer_file(csv_path)
    local = LocalGazetteer(rows)
    settings = RadioSettings(
        streets=tuple(local.street_names()),
        cities=tuple(sorted({c for c in rows["city"].to_pylist() if c})),
        highways=tuple(h.name for h in gaz.highways),
        ten_codes_path=str(ten_codes),
        house_numbers=house_number_settings(
            rows["street_key"].to_pylist(), map(leading_number, rows["number"].to_pylist())
        ),
    )
    geocoder = GeocoderResource(county_path=str(county)).geocoder(None, gazetteer=local)
    return EntityExtractor(settings), geocoder


def facts_from_text(
    rows: list[dict[str, Any]],
    texts: dict[str, str],
    folder: Path,
    words: dict[str, list[Word]] | None = None,
) -> list[CallFacts]:
    """``rows`` (call_uid, start_time, talkgroup, talkgroup_group, units) and each call's
    text through the real extractor and gazetteer geocoder, to ``CallFacts``. With
    ``words`` (the recognizer's, with probabilities), entity confidences are the entity
    layer's; without, each rule's prior (written text is certain)."""
    extractor, geocoder = _tools(folder)
    heard = words or {}
    found = extractor.extract_many(
        (texts.get(r["call_uid"], ""), heard.get(r["call_uid"], [])) for r in rows
    )
    entities: list[dict[str, Any]] = []
    for row, ents in zip(rows, found, strict=True):
        for i, e in enumerate(ents):
            entities.append(
                {
                    "call_uid": row["call_uid"],
                    "entity_id": f"{row['call_uid']}-{i}",
                    "label": e.label,
                    "normalized": e.normalized,
                    "detail": e.detail,
                    "start_char": e.start_char,
                    "confidence": e.confidence,
                }
            )
    queries = {
        e["entity_id"]: q
        for e in entities
        if (q := query_for(e["label"], e["normalized"], e["detail"]))
    }
    placed = geocoder.geocode(queries.values()).placed
    locations = [
        {
            "entity_id": eid,
            "lat": placed[q.key].match.lat,
            "lon": placed[q.key].match.lon,
            "precision": placed[q.key].match.precision,
            "score": placed[q.key].match.score,
        }
        for eid, q in queries.items()
        if q.key in placed
    ]
    return call_facts(rows, texts, entities, locations)


def build(calls: int, seed: int, calls_per_minute: float = 3.0, rich: bool = True) -> Corpus:
    """``calls`` planned calls of ``seed`` (no audio is rendered: the text path needs none),
    silent key-ups left out; ``rich`` plans rich incidents (``traffic.plan``)."""
    start = dt.datetime(2026, 11, 2, 14, tzinfo=dt.UTC)
    planned = [c for c in plan(calls, seed, start, calls_per_minute, rich_incidents=rich) if not c.is_silent]
    texts = {call_uid(c): " ".join(u.written for u in c.utterances) for c in planned}
    rows = [
        {
            "call_uid": call_uid(c),
            "start_time": c.start_time,
            "talkgroup": c.talkgroup.tgid,
            "talkgroup_group": c.talkgroup.group,
            # the recorder's unit tags: who keyed up, by radio id
            "units": [{"tag": u.speaker} for u in c.utterances],
        }
        for c in planned
    ]
    with tempfile.TemporaryDirectory(prefix="bench-incidents-") as tmp:
        facts = facts_from_text(rows, texts, Path(tmp))
    return Corpus(facts, {call_uid(c): c.incident_id for c in planned}, planned)


def build_asr(calls: int, seed: int, out: Path, reuse: bool) -> tuple[Corpus, Corpus, str]:
    """The same rich traffic rendered to audio (``simulate``) and transcribed by the
    transcript layer's code: (ground-truth text corpus, ASR corpus, a timing note)."""
    import pyarrow.parquet as pq

    from assets.transcripts.guards import hallucinated
    from bench.geo.asr import saved_flags, transcribe
    from resources.simulator.simulate import simulate

    gt = out / "ground_truth.parquet"
    if not (reuse and gt.exists() and pq.read_metadata(gt).num_rows == calls):
        simulate(calls, seed, out, rich_incidents=True)
    truth = [r for r in pq.read_table(gt).to_pylist() if not r["is_silent"]]
    # None: the default model tier, as the pipeline runs it
    pairs, asr_s, audio_s = transcribe(out, truth, None, fresh=not reuse)
    rows = [
        {
            "call_uid": r["call_uid"],
            "start_time": r["start_time"],
            "talkgroup": r["talkgroup"],
            "talkgroup_group": r["talkgroup_group"],
            "units": [{"tag": s["speaker"]} for s in r["segments"]],
        }
        for r in truth
    ]
    labels = {r["call_uid"]: r["incident_id"] or "" for r in truth}
    written = {r["call_uid"]: r["written_text"] for r in truth}
    # as the entity layer reads a transcript: nothing from one the guards call hallucinated
    flags = saved_flags(out, None)
    heard = {
        r["call_uid"]: "" if hallucinated(flags.get(r["call_uid"], [])) else text
        for r, (text, _) in zip(truth, pairs, strict=True)
    }
    timed = {r["call_uid"]: list(ws) for r, (_, ws) in zip(truth, pairs, strict=True)}
    return (
        Corpus(facts_from_text(rows, written, out), labels, []),
        Corpus(facts_from_text(rows, heard, out, timed), labels, []),
        f"ASR: {audio_s:.0f} s of audio in {asr_s:.0f} s",
    )
