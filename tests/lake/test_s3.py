"""The lake on a real S3 server (SeaweedFS on 127.0.0.1), including concurrent writers."""

import multiprocessing as mp

import pytest

from lake import LakeLocation, delta
from lake import duckdb as lake_duckdb
from lake.objects import ObjectStore
from lake.tables import RAW_CALLS
from tests.lake.rows import raw_calls

pytestmark = pytest.mark.s3


def test_merge_read_and_query_on_s3(s3_lake):
    delta.merge(s3_lake, RAW_CALLS, raw_calls(3))
    delta.merge(s3_lake, RAW_CALLS, raw_calls(3))
    assert delta.read(s3_lake, RAW_CALLS).num_rows == 3
    con = lake_duckdb.connect(s3_lake)
    assert con.execute("SELECT count(*) FROM raw_calls").fetchone() == (3,)


def test_objects_on_s3(s3_lake):
    store = ObjectStore(s3_lake)
    store.put("audio/raw/system=s/date=2026-11-02/c.wav", b"abc")
    assert store.get("audio/raw/system=s/date=2026-11-02/c.wav") == b"abc"
    assert list(store.list("audio")) == ["audio/raw/system=s/date=2026-11-02/c.wav"]


def test_wrong_credentials_are_refused(s3_server):
    bad = dict(s3_server.storage_options(), AWS_SECRET_ACCESS_KEY="wrong")
    with pytest.raises(Exception, match="(?i)(forbidden|signature|denied|403)"):
        delta.merge(LakeLocation(f"s3://{s3_server.bucket}/denied", bad), RAW_CALLS, raw_calls(1))


def _writer(uri: str, options: dict[str, str], prefix: str, batches: int) -> None:
    location = LakeLocation(uri, options)
    for i in range(batches):
        delta.merge(location, RAW_CALLS, raw_calls(1, prefix=f"{prefix}-{i}"))


def test_concurrent_writers_lose_no_commit(s3_lake):
    """Two processes merging into one table: every commit survives, none is overwritten.
    (delta-rs 1.x commits with a conditional put-if-absent; a loser retries.)"""
    delta.ensure_table(s3_lake, RAW_CALLS)
    ctx = mp.get_context("spawn")
    procs = [
        ctx.Process(target=_writer, args=(s3_lake.uri, dict(s3_lake.storage_options), name, 20))
        for name in ("a", "b")
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0
    table = delta.read(s3_lake, RAW_CALLS)
    assert table.num_rows == 40
    assert len(set(table["call_uid"].to_pylist())) == 40
    history = delta.open_table(s3_lake, RAW_CALLS).history()
    versions = sorted(h["version"] for h in history)
    assert versions == list(range(len(versions)))  # no gaps: no commit overwritten
