"""Corrections in the lake's reads and deletes: search finds a call by its corrected text
(and no longer by the word the machine misheard), the pages show it, and a redaction or a
retention rule takes the corrections and the waiting requests out of storage, bytes and all."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from assets.transcripts.corrections import commit_day
from lake import LakeLocation, corrections, delta
from lake import queries as q
from lake.corrections import CorrectionRequest
from lake.objects import ObjectStore
from lake.redaction import redact
from lake.retention import RetentionPolicy, apply_retention
from lake.tables import TRANSCRIPT_CORRECTIONS, TRANSCRIPTS
from lake.training import ExportExists, ExportFilter, export_training
from tests.fixtures.scenarios import MODEL
from tests.fixtures.small_lake import SmallLake, build_small_lake
from tests.lake.planted import stored_with

FIXED = "zqxjcorrected"  # a word only the editor wrote
PENDING = "zqxjwaiting"  # a word only a request not yet committed holds
REJECTED = "zqxjsetaside"  # a word only a rejected request holds


def correct(lake: SmallLake, uid: str, text: str, base_version: int = 0) -> CorrectionRequest:
    day = lake.start_of[uid].date()
    machine = delta.read(
        lake.location, TRANSCRIPTS, ["call_uid", "model_id", "text"], {"call_date": [day]}
    )
    base = next(
        r["text"] for r in machine.to_pylist() if r["call_uid"] == uid and r["model_id"] == MODEL
    )
    request = CorrectionRequest.new(
        uid,
        day,
        text,
        "dashboard:editor@local",
        base,
        base_version=base_version,
        base_model_id=MODEL,
    )
    corrections.submit(ObjectStore(lake.location), request)
    return request


def committed(lake: SmallLake, uid: str, text: str) -> None:
    correct(lake, uid, text)
    commit_day(lake.location, ObjectStore(lake.location), lake.start_of[uid].date())


def plant_corrections(lake: SmallLake, uid: str) -> None:
    """A committed correction, a rejected one and a waiting one, each with its own word."""
    committed(lake, uid, f"{FIXED} Engine 12 respond")
    correct(lake, uid, f"{REJECTED} stale edit")  # over version 0, which is taken: set aside
    commit_day(lake.location, ObjectStore(lake.location), lake.start_of[uid].date())
    correct(lake, uid, f"{PENDING} not yet committed", base_version=1)


@pytest.fixture
def small(tmp_path: Path) -> SmallLake:
    return build_small_lake(LakeLocation(str(tmp_path / "lake")))


def test_corrections_search_finds_the_corrected_word_only(small: SmallLake):
    uid = small.calls_of(0)[0]  # "Engine 12 Medic 4 respond to a structure fire at 1220 Oak Street"
    window = q.Window(small.now - dt.timedelta(days=3), small.now + dt.timedelta(minutes=1))
    before = q.search_calls(q.open_lake(small.location), "Medic", window)
    assert uid in set(before["call_uid"])

    committed(small, uid, f"Engine 12 {FIXED} 4 respond to a structure fire at 1220 Oak Street")
    con = q.open_lake(small.location)
    hits = q.search_calls(con, FIXED, window)
    assert list(hits["call_uid"]) == [uid]
    [hit] = hits.to_dict("records")
    start = hit["text"].index(FIXED)
    assert hit["spans"] == [(start, start + len(FIXED))]
    assert hit["hit_start_s"] is None  # the corrected word was never timed
    # the machine's word is gone from the corrected call, not from the others
    medic = set(q.search_calls(con, "Medic", window)["call_uid"])
    assert uid not in medic and medic == set(before["call_uid"]) - {uid}
    # a phrase the machine heard too keeps its time in the audio
    assert (
        q.search_calls(con, '"structure fire"', window)
        .set_index("call_uid")
        .loc[uid, "hit_start_s"]
        > 0
    )
    # the live list and the Call page read the corrected text
    live = q.latest_calls(con, window).set_index("call_uid")
    assert FIXED in live.loc[uid, "transcript"]
    assert list(q.call_corrections(con, uid)["version"]) == [1]


@pytest.fixture(params=["local", "s3"])
def any_lake(request, tmp_path) -> LakeLocation:
    if request.param == "local":
        return LakeLocation(str(tmp_path / "lake"))
    return request.getfixturevalue("s3_lake")


def test_redaction_removes_corrections_and_their_requests(any_lake: LakeLocation):
    lake = build_small_lake(any_lake)
    uid, other = lake.call_uids[9], lake.call_uids[4]
    # the other call first: its commit would also take uid's waiting request when the two
    # calls fall on one day, which depends on the time of day the small lake is built
    committed(lake, other, "the other call stays corrected")
    plant_corrections(lake, uid)
    needles = [w.encode() for w in (FIXED, PENDING, REJECTED)]
    assert all(stored_with(any_lake, n) for n in needles)  # planted, findable

    done = redact(any_lake, uid, requested_by="cli:tester", reason="court order")

    assert stored_with(any_lake, *needles) == []
    assert done.rows_removed[TRANSCRIPT_CORRECTIONS.name] == 1
    assert (
        sum(1 for k in done.objects_removed if "corrections" in k) == 3
    )  # pending, set aside, reason
    kept = delta.read(any_lake, TRANSCRIPT_CORRECTIONS).to_pylist()
    assert [r["call_uid"] for r in kept] == [other]


def test_redaction_by_retention_ages_corrections_with_their_transcripts(any_lake: LakeLocation):
    lake = build_small_lake(any_lake)
    old, new = lake.call_uids[26], lake.call_uids[0]  # the oldest call and the newest
    old_day = lake.start_of[old].date()
    plant_corrections(lake, old)
    committed(lake, new, "a recent correction")

    policy = RetentionPolicy({"transcripts": 0})
    [result] = apply_retention(any_lake, policy, today=old_day + dt.timedelta(days=1))

    assert stored_with(any_lake, *(w.encode() for w in (FIXED, PENDING, REJECTED))) == []
    assert result.rows_deleted[TRANSCRIPT_CORRECTIONS.name] == 1 and result.objects_deleted == 3
    assert [r["call_uid"] for r in delta.read(any_lake, TRANSCRIPT_CORRECTIONS).to_pylist()] == [
        new
    ]


def test_corrections_export_training_reads_back(small: SmallLake, tmp_path: Path):
    first, second, third = small.call_uids[0], small.call_uids[1], small.call_uids[2]
    committed(small, first, "first version")
    correct(small, first, "second version, the one to train on", base_version=1)
    commit_day(small.location, ObjectStore(small.location), small.start_of[first].date())
    committed(small, second, 'a "quoted", comma text\nover two lines')
    committed(small, third, "only once")

    done = export_training(small.location, tmp_path / "out", ExportFilter(min_version=1))
    assert done.pairs == 3 and not done.skipped
    with (tmp_path / "out" / "train" / "metadata.csv").open(newline="", encoding="utf-8") as handle:
        rows = {r["call_uid"]: r for r in csv.DictReader(handle)}
    assert rows[first]["transcription"] == "second version, the one to train on"
    assert rows[second]["transcription"] == 'a "quoted", comma text\nover two lines'
    for row in rows.values():
        samples, rate = sf.read(tmp_path / "out" / "train" / row["file_name"])
        assert rate == 16_000 and samples.ndim == 1
        assert abs(samples.size / rate - float(row["duration_s"])) < 1e-3
        assert np.abs(samples).max() > 0.05  # the call's audio, not silence

    # only calls edited twice; a system that has none; an existing export is not overwritten
    twice = export_training(small.location, tmp_path / "v2", ExportFilter(min_version=2))
    assert twice.pairs == 1
    assert (
        export_training(
            small.location, tmp_path / "none", ExportFilter(systems=frozenset({"x"}))
        ).pairs
        == 0
    )
    with pytest.raises(ExportExists):
        export_training(small.location, tmp_path / "out", ExportFilter())
    day = small.start_of[first].date()
    dated = export_training(small.location, tmp_path / "day", ExportFilter(since=day, until=day))
    assert dated.pairs == sum(1 for u in (first, second, third) if small.start_of[u].date() == day)


def test_corrections_the_words_and_fts_searches_read_the_corrected_text_too(small: SmallLake):
    uid = small.calls_of(0)[0]  # "Engine 12 Medic 4 respond to a structure fire at 1220 Oak Street"
    window = q.Window(small.now - dt.timedelta(days=3), small.now + dt.timedelta(minutes=1))
    before = q.open_lake(small.location)
    medic_before = set(q.search_words(before, "Medic", window)["call_uid"])
    assert uid in medic_before

    committed(small, uid, f"Engine 12 {FIXED} 4 respond to a structure fire at 1220 Oak Street")
    con = q.open_lake(small.location)
    q.build_search_index(con, window)
    for search in (q.search_words, q.search_fts):
        hits = search(con, FIXED, window)
        assert list(hits["call_uid"]) == [uid], search.__name__
        assert FIXED in hits.iloc[0]["text"] and hits.iloc[0]["hit_start_s"] is None
        medic = set(search(con, "Medic", window)["call_uid"])
        assert medic == medic_before - {uid}, search.__name__
        # a phrase of the corrected text, across the word the machine had wrong
        assert list(search(con, f'"12 {FIXED} 4"', window)["call_uid"]) == [uid]
        assert uid in set(search(con, '"structure fire"', window)["call_uid"])
