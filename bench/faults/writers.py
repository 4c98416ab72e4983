"""The writer processes of the concurrent-writers fault test, in a module that imports
only the lake library, so each spawned process starts in a second or two."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from collections import Counter

import pyarrow as pa

from lake import delta
from lake.location import LakeLocation
from lake.objects import RAW_AUDIO, audio_key
from lake.tables import RAW_CALLS

WRITERS = 3
ROUNDS = 2
SLICE = 6


def merge_overlapping(uri: str, options: dict[str, str], writer: int, start, outcomes) -> None:
    """Merge this writer's overlapping slices into raw_calls once the others are ready."""
    location = LakeLocation(uri, options)
    every = _calls(WRITERS * SLICE + SLICE)
    start.wait()
    try:
        for r in range(ROUNDS):
            # Overlapping slices: writer w's round r shares half its calls with writer w+1.
            offset = (writer * SLICE // 2 + r * SLICE) % (every.num_rows - SLICE)
            delta.merge(location, RAW_CALLS, every.slice(offset, SLICE), update=False)
        outcomes.put((writer, "ok"))
    except Exception as exc:  # reported to the test, which fails on it
        outcomes.put((writer, f"{type(exc).__name__}: {exc}"))


def _calls(n: int) -> pa.Table:
    """``n`` raw_calls rows with call_uid ``c-<i>``: what the writers race to merge."""
    start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    return pa.Table.from_pylist(
        [
            {
                "call_uid": f"c-{i}", "call_date": start.date(), "call_hour": 9, "system": "sys",
                "talkgroup": 100 + i, "start_time": start + dt.timedelta(seconds=i), "duration_s": 3.5,
                "audio_key": audio_key(RAW_AUDIO, "sys", start.date(), f"c-{i}", "wav"),
                "audio_bytes": 100, "source": "test", "ingested_at": start,
            }
            for i in range(n)
        ]
    )


def race_writers(location: LakeLocation) -> None:
    """Start the writers together; assert each call is stored once and the table reads."""
    from bench.faults.harness import unreadable_tables  # not in the writers' imports

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
