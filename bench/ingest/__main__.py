"""Ingestion benchmark: bulk MERGE for a backfill against a plain append of the same rows
(the floor), and micro-batch commit latency by batch size.

    uv run python -m bench.ingest --calls 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

import pyarrow as pa
from deltalake import write_deltalake

from bench.common import percentile, print_table, timed
from lake import LakeLocation, delta, objects
from lake.tables import RAW_CALLS, conform
from resources.calls import call_uid

START = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


def synthetic_calls(n: int, offset: int = 0, days: int = 30) -> pa.Table:
    """Raw-call rows spread over ``days`` days, with realistic column contents."""
    seconds = [(offset + i) * (days * 86400 // max(n, 1) or 1) for i in range(n)]
    starts = [START + dt.timedelta(seconds=s) for s in seconds]
    # distinct starts (a second apart or more), so the real call_uid is unique
    uids = [call_uid("county", 1000 + i % 40, t) for i, t in enumerate(starts)]
    return conform(
        pa.table(
            {
                "call_uid": uids,
                "call_date": [t.date() for t in starts],
                "call_hour": [t.hour for t in starts],
                "system": ["county"] * n,
                "talkgroup": [1000 + i % 40 for i in range(n)],
                "talkgroup_tag": [f"TG {i % 40}" for i in range(n)],
                "start_time": starts,
                "duration_s": [2.0 + (i % 9) for i in range(n)],
                "freq_hz": [851_000_000 + 12_500 * (i % 20) for i in range(n)],
                "audio_key": [objects.audio_key(objects.RAW_AUDIO, "county", t.date(), u, "wav") for u, t in zip(uids, starts, strict=True)],
                "audio_bytes": [64_000] * n,
                "source": ["bench"] * n,
                "ingested_at": [START] * n,
            }
        ),
        RAW_CALLS,
    )


def bench_backfill(root: Path, calls: int) -> list[list[object]]:
    rows = synthetic_calls(calls)
    merge_lake = LakeLocation(str(root / "merge"))
    append_lake = LakeLocation(str(root / "append"))
    # both start from the same non-empty table, as a backfill into a live lake does
    seed = synthetic_calls(calls // 10, offset=calls)
    delta.merge(merge_lake, RAW_CALLS, seed)
    delta.merge(append_lake, RAW_CALLS, seed)

    _, append_s = timed(
        lambda: write_deltalake(
            delta.table_uri(append_lake, RAW_CALLS), rows, mode="append", partition_by=list(RAW_CALLS.partition_by)
        )
    )
    result, merge_s = timed(lambda: delta.merge(merge_lake, RAW_CALLS, rows, update=False))
    assert result.rows_inserted == calls
    _, remerge_s = timed(lambda: delta.merge(merge_lake, RAW_CALLS, rows, update=False))
    return [
        ["plain append (floor)", calls, append_s, calls / append_s, 1.0],
        ["MERGE on call_uid (new calls)", calls, merge_s, calls / merge_s, merge_s / append_s],
        ["MERGE again (all duplicates)", calls, remerge_s, calls / remerge_s, remerge_s / append_s],
    ]


def bench_micro_batches(root: Path, base_calls: int, repeats: int) -> list[list[object]]:
    lake = LakeLocation(str(root / "micro"))
    delta.merge(lake, RAW_CALLS, synthetic_calls(base_calls))
    out: list[list[object]] = []
    offset = base_calls
    for size in (1, 5, 10, 25, 50):
        merge_lat, append_lat = [], []
        for _ in range(repeats):
            batch = synthetic_calls(size, offset=offset, days=1)
            offset += size
            _, s = timed(lambda batch=batch: delta.merge(lake, RAW_CALLS, batch, update=False))
            merge_lat.append(s * 1000)
            batch = synthetic_calls(size, offset=offset, days=1)
            offset += size
            _, s = timed(
                lambda batch=batch, offset=offset: delta.append_once(lake, RAW_CALLS, batch, "bench-append", offset)
            )
            append_lat.append(s * 1000)
        out.append(
            [
                size,
                percentile(merge_lat, 50),
                percentile(merge_lat, 95),
                percentile(append_lat, 50),
                percentile(append_lat, 95),
                percentile(merge_lat, 50) / percentile(append_lat, 50),
            ]
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100_000, help="calls in the backfill")
    parser.add_argument("--base-calls", type=int, default=100_000, help="rows already in the table for micro-batches")
    parser.add_argument("--repeats", type=int, default=20, help="commits per micro-batch size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print_table(
            f"Backfill of {args.calls:,} calls (local lake)",
            ["write", "calls", "seconds", "calls/s", "x floor"],
            bench_backfill(root, args.calls),
        )
        print_table(
            f"Micro-batch commit latency, ms ({args.repeats} commits each, table of {args.base_calls:,} calls)",
            ["batch", "MERGE p50", "MERGE p95", "append_once p50", "append_once p95", "MERGE/append p50"],
            bench_micro_batches(root, args.base_calls, args.repeats),
        )


if __name__ == "__main__":
    main()
