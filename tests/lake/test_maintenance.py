"""Compaction with Z-order, checkpoints and VACUUM on real Delta tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from lake import LakeLocation, delta
from lake.maintenance import optimize_lake, optimize_table, table_status
from lake.tables import GEOCODE_CACHE, RAW_CALLS
from tests.lake.rows import raw_calls

DAY = dt.date(2026, 11, 2)


def parquet_files(location: LakeLocation, table: str) -> list[Path]:
    root = Path(location.uri, "tables", table)
    return sorted(p for p in root.rglob("*.parquet") if "_delta_log" not in p.parts)


def micro_batches(location: LakeLocation, batches: int, per_batch: int = 3) -> pa.Table:
    everything = raw_calls(batches * per_batch, DAY)
    for i in range(batches):
        delta.merge(location, RAW_CALLS, everything.slice(i * per_batch, per_batch))
    return everything


def test_optimize_compacts_z_orders_and_vacuums_a_day(lake: LakeLocation):
    written = micro_batches(lake, 12)
    other_day = raw_calls(2, DAY - dt.timedelta(days=1), prefix="old")
    delta.merge(lake, RAW_CALLS, other_day)
    before = table_status(lake, RAW_CALLS)
    assert before.files == 13

    result = optimize_table(lake, RAW_CALLS, [DAY], retention_hours=0)

    after = table_status(lake, RAW_CALLS)
    assert result is not None and result.z_ordered
    assert result.files_removed == 12 and result.files_added == 1
    assert after.files == 2  # the other day's partition was left alone
    assert result.vacuumed == 12 and len(parquet_files(lake, "raw_calls")) == 2
    rows = delta.read(lake, RAW_CALLS).sort_by("call_uid")
    expected = pa.concat_tables([written, other_day])
    assert rows.column("call_uid").to_pylist() == sorted(expected.column("call_uid").to_pylist())
    history = delta.open_table(lake, RAW_CALLS).history()
    optimize = next(h for h in history if h["operation"] == "OPTIMIZE")
    assert optimize["operationMetrics"]["plannerStrategy"] == "zOrder"
    assert after.last_write_operation == "MERGE" and after.last_write_at == before.last_write_at
    assert list(Path(lake.uri, "tables", "raw_calls", "_delta_log").glob("*.checkpoint.parquet"))


def test_optimize_unpartitioned_table_and_missing_tables(lake: LakeLocation):
    for i in range(4):
        delta.merge(
            lake,
            GEOCODE_CACHE,
            pa.Table.from_pylist([dict(query_key=f"q{i}", backend="gazetteer", found=False,
                                       cached_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))]),
        )
    results = {r.table: r for r in optimize_lake(lake, [DAY], retention_hours=0)}
    assert set(results) == {"geocode_cache"}  # tables never written are skipped
    assert results["geocode_cache"].files_removed == 4 and not results["geocode_cache"].z_ordered
    assert table_status(lake, GEOCODE_CACHE).files == 1
    assert delta.read(lake, GEOCODE_CACHE).num_rows == 4


def test_partitioned_table_needs_days(lake: LakeLocation):
    micro_batches(lake, 1)
    with pytest.raises(ValueError, match="name the days"):
        optimize_table(lake, RAW_CALLS, None)


def test_default_retention_keeps_recent_files(lake: LakeLocation):
    micro_batches(lake, 3)
    result = optimize_table(lake, RAW_CALLS, [DAY])
    assert result is not None and result.vacuumed == 0
    assert len(parquet_files(lake, "raw_calls")) == 4  # three old files are still referenced by history
    assert table_status(lake, RAW_CALLS).files == 1
