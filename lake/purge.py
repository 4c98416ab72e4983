"""Deleting rows so that their bytes leave storage, not only the current snapshot.

A Delta DELETE only writes a commit: the files that held the rows stay on storage (any
older version still reads them), and so do the log entries whose statistics quote their
values. ``purge`` finishes the job: VACUUM with no retention, a checkpoint, and the log
before that checkpoint removed.

VACUUM's retention exists to protect readers of older versions and writers still working
from an older snapshot. We set it to zero on purpose, only here, with two guards:
- the *lite* VACUUM (``full=False``) deletes only files the log has tombstoned; a file a
  concurrent writer has written but not yet committed is not in the log, so it is spared;
- a reader or writer holding a snapshot from before the delete loses the files it still
  meant to read and fails; it is retried against the new version. That is the point: the
  data must not be readable anywhere once purged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pyarrow as pa

from lake import delta
from lake.location import LakeLocation
from lake.objects import ObjectStore
from lake.tables import TableSpec

_LOG_FILE = re.compile(r"^(\d{20})\.(json|checkpoint\.parquet|crc)$")


@dataclass(frozen=True)
class PurgeResult:
    table: str
    files_vacuumed: int
    log_files_removed: int
    version: int


def delete_matching(location: LakeLocation, spec: TableSpec, column: str, values: list[object]) -> int:
    """Delete the rows whose ``column`` is one of ``values``: a MERGE against the values as
    data, so nothing a user typed becomes SQL. Returns the rows deleted."""
    if not values or not delta.exists(location, spec):
        return 0
    source = pa.table({column: pa.array(values, spec.schema.field(column).type)})

    def attempt() -> int:
        metrics = (
            delta.open_table(location, spec)
            .merge(source=source, predicate=f"t.{column} = s.{column}", source_alias="s", target_alias="t")
            .when_matched_delete()
            .execute()
        )
        return int(metrics.get("num_target_rows_deleted", 0))

    return delta.with_commit_retries(attempt)


def delete_before(location: LakeLocation, spec: TableSpec, column: str, cutoff: dt.datetime) -> int:
    """Delete the rows whose date or timestamp ``column`` is before ``cutoff`` (UTC)."""
    if not delta.exists(location, spec):
        return 0
    kind = spec.schema.field(column).type
    if pa.types.is_date(kind):
        literal = f"'{cutoff.date().isoformat()}'"
    else:
        # a computed instant, never user text; compared as microseconds since the epoch
        literal = f"arrow_cast({int(cutoff.timestamp() * 1_000_000)}, 'Timestamp(Microsecond, Some(\"UTC\"))')"

    def attempt() -> int:
        metrics = delta.open_table(location, spec).delete(f"{column} < {literal}")
        return int(metrics.get("num_deleted_rows", 0))

    return delta.with_commit_retries(attempt)


def purge(location: LakeLocation, spec: TableSpec) -> PurgeResult | None:
    """Remove from storage every file and log entry no longer part of the current version."""
    if not delta.exists(location, spec):
        return None
    table = delta.open_table(location, spec)
    vacuumed = table.vacuum(retention_hours=0, dry_run=False, enforce_retention_duration=False, full=False)
    table = delta.open_table(location, spec)
    table.create_checkpoint()
    version = table.version()
    return PurgeResult(spec.name, len(vacuumed), _expire_log(location, spec, version), version)


def _expire_log(location: LakeLocation, spec: TableSpec, checkpoint_version: int) -> int:
    """Delete the log entries (commits, older checkpoints) before ``checkpoint_version``:
    their add actions quote column statistics, the first characters of deleted text."""
    store = ObjectStore(location)
    prefix = f"tables/{spec.name}/_delta_log/"
    removed = 0
    for key in list(store.list(prefix)):
        match = _LOG_FILE.match(key.removeprefix(prefix))
        if match and int(match.group(1)) < checkpoint_version:
            store.delete(key)
            removed += 1
    return removed
