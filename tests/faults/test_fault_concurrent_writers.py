"""Concurrent writers to one table: several processes (spawned, never forked) merge
overlapping batches of calls into ``raw_calls`` at once, as overlapping micro-batches and
a backfill would. Every call ends up there exactly once and the table reads whole, on a
local lake and on SeaweedFS (where commits race through put-if-absent)."""

from __future__ import annotations

import pytest

from bench.faults.writers import race_writers


def test_concurrent_merges_into_raw_calls_on_a_local_lake(lake):
    race_writers(lake)


@pytest.mark.s3
def test_concurrent_merges_into_raw_calls_on_seaweedfs(s3_lake):
    race_writers(s3_lake)
