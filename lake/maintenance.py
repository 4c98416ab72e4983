"""Keeping Delta tables fast to read: compaction with Z-order, checkpoints and VACUUM.

Micro-batches commit every few seconds, so a day's partition collects thousands of small
files and the log thousands of JSON commits; every DuckDB query pays for both. A finished
day is rewritten once into few large files, clustered so the dashboards' filters (time and
talkgroup) skip most of them, and the log gets a checkpoint. VACUUM then deletes the files
no version within the retention still references.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import WriterProperties
from deltalake.exceptions import CommitFailedError

from lake import delta
from lake.errors import CommitConflict
from lake.location import LakeLocation
from lake.tables import TABLES, TableSpec

# How each table is clustered within a partition. Tables without a time or talkgroup
# column use call_uid, which is "<system>-<talkgroup>-<epoch>": sorting it groups a
# talkgroup's calls in time order, and keeps the rows of one call together for joins.
Z_ORDER: dict[str, tuple[str, ...]] = {
    "raw_calls": ("start_time", "talkgroup"),
    "normalized_audio": ("call_uid",),
    "transcripts": ("call_uid",),
    "transcript_words": ("call_uid",),
    "entities": ("call_uid",),
    "locations": ("call_uid",),
    "alerts": ("created_at", "talkgroup"),
    "audio_quarantine": ("call_uid",),
}
TARGET_FILE_BYTES = 128 * 1024 * 1024
# Row groups of DuckDB's own size: small enough that a lookup of one call (sorted by
# call_uid after Z-order) skips most of a day's file by row-group statistics.
ROW_GROUP_ROWS = 122_880
WRITER = WriterProperties(max_row_group_size=ROW_GROUP_ROWS)
DEFAULT_RETENTION_HOURS = 7 * 24
_OPTIMIZE_ATTEMPTS = 5
_MAINTENANCE_OPS = {"OPTIMIZE", "VACUUM START", "VACUUM END"}
_HISTORY_LOOKBACK = 20


@dataclass(frozen=True)
class TableStatus:
    table: str
    exists: bool
    version: int = -1
    files: int = 0
    bytes: int = 0
    # the newest commit that changed data (maintenance commits do not make a table fresh)
    last_write_at: dt.datetime | None = None
    last_write_operation: str | None = None


@dataclass(frozen=True)
class MaintenanceResult:
    table: str
    files_removed: int
    files_added: int
    vacuumed: int
    version: int
    z_ordered: bool


def table_status(location: LakeLocation, spec: TableSpec) -> TableStatus:
    """Version, live file count and size, and the newest commit of a table."""
    if not delta.exists(location, spec):
        return TableStatus(spec.name, exists=False)
    table = delta.open_table(location, spec)
    actions = pa.table(table.get_add_actions(flatten=True))
    size = int(pc.sum(actions.column("size_bytes")).as_py() or 0) if actions.num_rows else 0
    history = table.history(_HISTORY_LOOKBACK)
    last = next((h for h in history if h.get("operation") not in _MAINTENANCE_OPS), history[0])
    return TableStatus(
        spec.name,
        exists=True,
        version=table.version(),
        files=actions.num_rows,
        bytes=size,
        last_write_at=dt.datetime.fromtimestamp(last["timestamp"] / 1000, dt.UTC),
        last_write_operation=last.get("operation"),
    )


def lake_status(location: LakeLocation) -> list[TableStatus]:
    return [table_status(location, spec) for spec in TABLES.values()]


def optimize_table(
    location: LakeLocation,
    spec: TableSpec,
    days: list[dt.date] | None = None,
    retention_hours: int = DEFAULT_RETENTION_HOURS,
    target_size: int = TARGET_FILE_BYTES,
) -> MaintenanceResult | None:
    """Compact (Z-ordered when the table has clustering columns) the given days' partitions,
    or the whole table when it is not partitioned; then checkpoint and vacuum.

    Returns None when the table does not exist yet. A commit race with a writer is retried.
    """
    if not delta.exists(location, spec):
        return None
    filters = None
    if spec.partition_by:
        if not days:
            raise ValueError(f"{spec.name} is partitioned: name the days to optimize")
        filters = [("call_date", "in", [d.isoformat() for d in days])]
    columns = Z_ORDER.get(spec.name)

    metrics = _optimize_with_retries(location, spec, columns, filters, target_size)
    table = delta.open_table(location, spec)
    table.create_checkpoint()
    # Log entries older than the retention are only needed for time travel beyond it.
    table.cleanup_metadata()
    vacuumed = table.vacuum(
        retention_hours=retention_hours,
        dry_run=False,
        enforce_retention_duration=retention_hours >= DEFAULT_RETENTION_HOURS,
    )
    return MaintenanceResult(
        spec.name,
        files_removed=int(metrics.get("numFilesRemoved", 0)),
        files_added=int(metrics.get("numFilesAdded", 0)),
        vacuumed=len(vacuumed),
        version=delta.open_table(location, spec).version(),
        z_ordered=bool(columns),
    )


def _optimize_with_retries(
    location: LakeLocation,
    spec: TableSpec,
    columns: tuple[str, ...] | None,
    filters: list[tuple[str, str, list[str]]] | None,
    target_size: int,
) -> dict[str, object]:
    for attempt in range(_OPTIMIZE_ATTEMPTS):
        table = delta.open_table(location, spec)
        try:
            if columns:
                return table.optimize.z_order(
                    list(columns),
                    partition_filters=filters,
                    target_size=target_size,
                    writer_properties=WRITER,
                )
            return table.optimize.compact(
                partition_filters=filters, target_size=target_size, writer_properties=WRITER
            )
        except CommitFailedError:
            # A writer committed first; the rewrite is redone against the new files.
            time.sleep(0.2 * 2**attempt)
    raise CommitConflict(f"optimize of {spec.name} lost {_OPTIMIZE_ATTEMPTS} commit races")


def optimize_lake(
    location: LakeLocation,
    days: list[dt.date],
    retention_hours: int = DEFAULT_RETENTION_HOURS,
    target_size: int = TARGET_FILE_BYTES,
) -> list[MaintenanceResult]:
    """Optimize every table: the named days of partitioned tables, all of the others."""
    results = []
    for spec in TABLES.values():
        result = optimize_table(
            location, spec, days if spec.partition_by else None, retention_hours, target_size
        )
        if result is not None:
            results.append(result)
    return results
