"""``redact``: a call's rows, audio and text leave every table and object, and the bytes are
gone from storage after VACUUM, on a local folder and on S3."""

from __future__ import annotations

import pytest

from lake import LakeLocation, delta
from lake.redaction import NothingToRedact, redact
from lake.tables import ALERTS, RAW_CALLS, REDACTIONS, TRANSCRIPTS
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
