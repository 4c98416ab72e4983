"""Concurrent writers to one table: several processes (spawned, never forked) merge
overlapping batches of calls into ``raw_calls`` at once, as overlapping micro-batches and
a backfill would. Every call ends up there exactly once and the table reads whole, on a
local lake and on SeaweedFS (where commits race through put-if-absent)."""

from __future__ import annotations

import multiprocessing as mp
from collections import Counter

import pytest

from lake import delta
from lake.location import LakeLocation
from lake.tables import RAW_CALLS
from tests.faults.harness import unreadable_tables
from tests.faults.writers import ROUNDS, SLICE, WRITERS, merge_overlapping


def _race(location: LakeLocation) -> None:
    ctx = mp.get_context("spawn")
    start, outcomes = ctx.Barrier(WRITERS), ctx.Queue()
    procs = [
        ctx.Process(target=merge_overlapping, args=(location.uri, dict(location.storage_options), w, start, outcomes))
        for w in range(WRITERS)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    results = sorted(outcomes.get(timeout=5) for _ in procs)
    assert results == [(w, "ok") for w in range(WRITERS)], results
    counts = Counter(delta.read(location, RAW_CALLS, columns=["call_uid"])["call_uid"].to_pylist())
    expected = set()
    for w in range(WRITERS):
        for r in range(ROUNDS):
            offset = (w * SLICE // 2 + r * SLICE) % (WRITERS * SLICE)
            expected |= {f"c-{i}" for i in range(offset, offset + SLICE)}
    assert set(counts) == expected
    assert max(counts.values()) == 1, [k for k, c in counts.items() if c > 1]
    assert unreadable_tables(location) == []


def test_concurrent_merges_into_raw_calls_on_a_local_lake(lake):
    _race(lake)


@pytest.mark.s3
def test_concurrent_merges_into_raw_calls_on_seaweedfs(s3_lake):
    _race(s3_lake)
