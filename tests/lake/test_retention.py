"""Retention: rows and objects older than a rule's age leave storage; newer ones stay."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from lake import LakeLocation, delta
from lake.objects import ObjectStore, landing_key, rejected_key
from lake.retention import RetentionPolicy, apply_retention
from lake.tables import GEOCODE_CACHE, RAW_CALLS, RAW_QUARANTINE, TRANSCRIPTS
from tests.lake.planted import WORD, plant, stored_with


@pytest.fixture(params=["local", "s3"])
def any_lake(request, tmp_path) -> LakeLocation:
    if request.param == "local":
        return LakeLocation(str(tmp_path / "lake"))
    return request.getfixturevalue("s3_lake")


def test_retention_deletes_old_text_audio_and_rejects(any_lake):
    lake, old_uid, audio = plant(any_lake, call_index=26)  # the oldest call
    old_day = lake.start_of[old_uid].date()
    newest = lake.call_uids[0]
    assert lake.start_of[newest].date() > old_day
    store = ObjectStore(any_lake)
    stale = rejected_key(landing_key("upload", dt.datetime.combine(old_day, dt.time(), dt.UTC), "x.json"))
    fresh = rejected_key(landing_key("upload", lake.now, "y.json"))
    store.put(stale, b'{"talkgroupLabel": "' + WORD + b'"}')
    store.put(fresh, b"{}")

    policy = RetentionPolicy({"transcripts": 0, "audio": 0, "landing_rejects": 0, "locations": None})
    results = {r.rule: r for r in apply_retention(any_lake, policy, today=old_day + dt.timedelta(days=1))}

    assert stored_with(any_lake, WORD, audio) == []
    kept = set(delta.read(any_lake, TRANSCRIPTS, columns=["call_uid"]).column("call_uid").to_pylist())
    assert newest in kept and old_uid not in kept
    old_calls = {u for u, t in lake.start_of.items() if t.date() <= old_day and u in lake.call_uids}
    assert results["transcripts"].rows_deleted["transcripts"] >= len(old_calls)
    assert results["audio"].objects_deleted == 2 * len(old_calls)
    assert results["landing_rejects"].objects_deleted == 1 and store.exists(fresh)
    assert "locations" not in results  # None keeps everything
    # metadata rules not named keep their rows: the call is still listed
    assert old_uid in set(delta.read(any_lake, RAW_CALLS, columns=["call_uid"]).column("call_uid").to_pylist())
    assert delta.read(any_lake, RAW_QUARANTINE).num_rows == 3  # all younger than the cutoff


def test_policy_refuses_unknown_rules_and_negative_days():
    with pytest.raises(ValueError, match="unknown"):
        RetentionPolicy({"audios": 3})
    with pytest.raises(ValueError, match="negative"):
        RetentionPolicy({"audio": -1})


def test_geocode_cache_ages_by_when_it_was_cached(tmp_path):
    location = LakeLocation(str(tmp_path / "lake"))
    now = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    rows = [dict(query_key=f"1|{i} OAK ST||", backend="census", found=True, cached_at=now - dt.timedelta(days=i))
            for i in range(5)]
    delta.merge(location, GEOCODE_CACHE, pa.Table.from_pylist(rows))
    (result,) = apply_retention(location, RetentionPolicy({"geocode_cache": 2}), today=now.date())
    assert result.rows_deleted == {"geocode_cache": 2}  # cached 3 and 4 days before
    left = sorted(delta.read(location, GEOCODE_CACHE).column("query_key").to_pylist())
    assert left == [r["query_key"] for r in rows[:3]]
    assert stored_with(location, b"3 OAK ST", b"4 OAK ST") == []
