"""``redact``: a call's rows, audio and text leave every table and object, and the bytes are
gone from storage after VACUUM, on a local folder and on S3."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from lake import LakeLocation, delta
from lake.redaction import NothingToRedact, redact
from lake.tables import (
    ALERTS,
    CALL_INCIDENTS,
    INCIDENTS,
    RAW_CALLS,
    REDACTIONS,
    TONE_SCANS,
    TONES,
    TRANSCRIPTS,
    conform,
)
from tests.lake.planted import WORD, plant, stored_with


@pytest.fixture(params=["local", "s3"])
def any_lake(request, tmp_path) -> LakeLocation:
    if request.param == "local":
        return LakeLocation(str(tmp_path / "lake"))
    return request.getfixturevalue("s3_lake")


def test_redaction_leaves_no_bytes_of_the_call(any_lake):
    lake, uid, audio = plant(any_lake)
    other = lake.call_uids[4]
    assert stored_with(any_lake, WORD) and stored_with(any_lake, audio)  # planted, findable

    done = redact(any_lake, uid, requested_by="cli:tester", reason="court order 12")

    assert stored_with(any_lake, WORD, audio) == []
    for spec in (RAW_CALLS, TRANSCRIPTS, ALERTS):
        uids = set(delta.read(any_lake, spec, columns=["call_uid"]).column("call_uid").to_pylist())
        assert uid not in uids
    assert other in set(delta.read(any_lake, RAW_CALLS, columns=["call_uid"]).column("call_uid").to_pylist())
    assert done.rows_removed["raw_calls"] == 1 and done.rows_removed["transcripts"] == 2
    assert done.rows_removed["transcript_words"] > 0 and done.rows_removed["alerts"] == 1
    assert len(done.objects_removed) == 2 and all(uid in k for k in done.objects_removed)

    audit = delta.read(any_lake, REDACTIONS).to_pylist()
    assert len(audit) == 1
    row = audit[0]
    assert (row["call_uid"], row["requested_by"], row["reason"]) == (uid, "cli:tester", "court order 12")
    assert {r["table_name"]: r["rows"] for r in row["rows_removed"]} == done.rows_removed
    assert row["objects_removed"] == done.objects_removed and row["redacted_at"] is not None


def test_redacting_an_unknown_call_changes_nothing(tmp_path):
    location = LakeLocation(str(tmp_path / "lake"))
    plant(location)
    with pytest.raises(NothingToRedact):
        redact(location, "clarkco-1-2", requested_by="cli:tester")
    assert not delta.exists(location, REDACTIONS)


def test_redaction_takes_tones_and_the_calls_incident(tmp_path):
    """Tones, tone scans and incident links are call rows too; the incident itself was drawn
    partly from the call (its place here holds the planted word), so it goes whole, with its
    other calls' links, and an incident the call was not in stays."""
    location = LakeLocation(str(tmp_path / "lake"))
    lake, uid, _ = plant(location)
    other, stranger = lake.call_uids[3], lake.call_uids[5]
    day = delta.read(location, RAW_CALLS, columns=["call_uid", "call_date"]).to_pylist()
    dates = {r["call_uid"]: r["call_date"] for r in day}
    now = dt.datetime.now(dt.UTC)
    delta.merge(location, TONES, conform(pa.Table.from_pylist([
        {"call_uid": uid, "call_date": dates[uid], "tone_index": 0, "tone_type": "long",
         "start_s": 0.0, "end_s": 1.0, "detector_version": 1, "detected_at": now}]), TONES))
    delta.merge(location, TONE_SCANS, conform(pa.Table.from_pylist([
        {"call_uid": u, "call_date": dates[u], "detector_version": 1, "tones": int(u == uid),
         "scanned_at": now} for u in (uid, stranger)]), TONE_SCANS))
    incident = {"call_date": dates[uid], "first_call_time": now, "last_call_time": now,
                "status": "dispatched", "call_count": 2, "grouped_at": now}
    delta.merge(location, INCIDENTS, conform(pa.Table.from_pylist([
        incident | {"incident_id": "inc-a", "place": WORD.decode(), "first_call_uid": other,
                    "last_call_uid": uid},
        incident | {"incident_id": "inc-b", "place": "Elm Street", "first_call_uid": stranger,
                    "last_call_uid": stranger, "call_count": 1}]), INCIDENTS))
    delta.merge(location, CALL_INCIDENTS, conform(pa.Table.from_pylist([
        {"call_uid": u, "call_date": dates[u], "incident_id": i, "grouped_at": now}
        for u, i in ((uid, "inc-a"), (other, "inc-a"), (stranger, "inc-b"))]), CALL_INCIDENTS))

    done = redact(location, uid, requested_by="cli:tester")

    assert stored_with(location, WORD) == []
    assert delta.read(location, TONES).num_rows == 0
    assert delta.read(location, TONE_SCANS, columns=["call_uid"]).column("call_uid").to_pylist() == [stranger]
    assert delta.read(location, INCIDENTS, columns=["incident_id"]).column("incident_id").to_pylist() == ["inc-b"]
    links = delta.read(location, CALL_INCIDENTS, columns=["call_uid"]).column("call_uid").to_pylist()
    assert links == [stranger]
    assert done.rows_removed["incidents"] == 1 and done.rows_removed["call_incidents"] == 2
    assert done.rows_removed["tones"] == 1 and done.rows_removed["tone_scans"] == 1


def test_every_table_with_call_rows_is_redacted():
    """A table added later with a call_uid column must join the redaction's list (the audit
    of takedowns keeps the id by design: it is the record that the call was taken down)."""
    from lake.redaction import BY_CALL
    from lake.tables import TABLES

    with_calls = {name for name, spec in TABLES.items() if "call_uid" in spec.columns}
    assert with_calls - {spec.name for spec in BY_CALL} == {REDACTIONS.name}
