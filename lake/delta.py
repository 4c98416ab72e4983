"""Delta reads and writes for the tables in ``lake.tables``.

Three ways to write, each safe to retry:
- ``merge``: upsert on the table's key (re-delivery and re-runs never duplicate rows);
- ``overwrite_partitions``: replace whole partitions (a backfill that rebuilds a range);
- ``append_once``: append tagged with an application transaction id, skipped if that id
  and version were already committed (a retried micro-batch never doubles rows).

On S3, commits use delta-rs 1.x's default commit protocol: the log entry is written with
a conditional put-if-absent, so two writers racing for one version cannot both win, and
the loser retries. We never set ``AWS_S3_ALLOW_UNSAFE_RENAME``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, DeltaTable, Transaction, write_deltalake
from deltalake.exceptions import CommitFailedError, TableNotFoundError

from lake.errors import CommitConflict, TableNotFound
from lake.faults import crash_point
from lake.location import LakeLocation
from lake.tables import TableSpec, conform

T = TypeVar("T")
_MAX_COMMIT_ATTEMPTS = 8


@dataclass(frozen=True)
class WriteResult:
    table: str
    version: int
    rows_in: int
    rows_inserted: int
    rows_updated: int = 0
    skipped: bool = False


def table_uri(location: LakeLocation, spec: TableSpec) -> str:
    return location.path("tables", spec.name)


def exists(location: LakeLocation, spec: TableSpec) -> bool:
    return DeltaTable.is_deltatable(table_uri(location, spec), dict(location.storage_options))


def open_table(location: LakeLocation, spec: TableSpec) -> DeltaTable:
    try:
        return DeltaTable(table_uri(location, spec), storage_options=dict(location.storage_options))
    except TableNotFoundError as exc:
        raise TableNotFound(spec.name, table_uri(location, spec)) from exc


def ensure_table(location: LakeLocation, spec: TableSpec) -> DeltaTable:
    """Open the table, creating it empty with its registered schema if it is missing."""
    if not exists(location, spec):
        try:
            DeltaTable.create(
                table_uri(location, spec),
                schema=spec.schema,
                partition_by=list(spec.partition_by) or None,
                mode="ignore",
                name=spec.name,
                description=spec.description,
                storage_options=dict(location.storage_options),
            )
        except CommitFailedError:
            pass  # another writer created it first
    return open_table(location, spec)


def read(
    location: LakeLocation,
    spec: TableSpec,
    columns: Sequence[str] | None = None,
    partitions: dict[str, Iterable[object]] | None = None,
) -> pa.Table:
    """Read a table (or some partitions of it) as Arrow; a missing table reads as empty."""
    if not exists(location, spec):
        empty = spec.empty()
        return empty.select(list(columns)) if columns else empty
    filters = None
    if partitions:
        filters = [
            (col, "in", [_partition_value(v) for v in values]) for col, values in partitions.items()
        ]
    delta_table = open_table(location, spec)
    present = set(delta_table.schema().to_arrow().names)
    wanted = list(columns) if columns else spec.columns
    table = delta_table.to_pyarrow_table(
        columns=[c for c in wanted if c in present], filters=filters
    )
    # a column registered after the table was written reads as nulls until a merge adds it
    for name in wanted:
        if name not in present and name in spec.schema.names:
            table = table.append_column(
                spec.schema.field(name), pa.nulls(table.num_rows, spec.schema.field(name).type)
            )
    return table.select(wanted) if columns else table


def keys(
    location: LakeLocation, spec: TableSpec, partitions: dict[str, Iterable[object]] | None = None
) -> set[tuple]:
    """The set of key tuples present (in some partitions) of a table."""
    table = read(location, spec, columns=list(spec.key), partitions=partitions)
    return (
        set(zip(*(table.column(k).to_pylist() for k in spec.key), strict=True))
        if table.num_rows
        else set()
    )


def merge(
    location: LakeLocation, spec: TableSpec, data: pa.Table, update: bool = True
) -> WriteResult:
    """Upsert ``data`` on the table's key. With ``update=False`` existing rows are kept as
    they are (insert-only), which is what ingestion wants for re-delivered calls."""
    data = _dedupe_on_key(conform(data, spec), spec)
    if data.num_rows == 0:
        return WriteResult(spec.name, _version_or_minus_one(location, spec), 0, 0, skipped=True)
    ensure_table(location, spec)

    def attempt() -> WriteResult:
        table = open_table(location, spec)
        builder = table.merge(
            source=data,
            predicate=_merge_predicate(spec, data),
            source_alias="s",
            target_alias="t",
            # a nullable column registered after the table was created joins it here
            merge_schema=True,
            streamed_exec=False,
        )
        if update:
            builder = builder.when_matched_update_all()
        metrics = builder.when_not_matched_insert_all().execute()
        crash_point("delta_after_commit")
        return WriteResult(
            spec.name,
            open_table(location, spec).version(),
            data.num_rows,
            int(metrics.get("num_target_rows_inserted", 0)),
            int(metrics.get("num_target_rows_updated", 0)),
        )

    return with_commit_retries(attempt)


def overwrite_partitions(
    location: LakeLocation,
    spec: TableSpec,
    data: pa.Table,
    partition_values: dict[str, Iterable[object]],
) -> WriteResult:
    """Replace the named partitions with ``data`` in one commit (rows outside them are refused)."""
    if not spec.partition_by:
        raise ValueError(f"{spec.name} is not partitioned")
    data = conform(data, spec)
    for col, values in partition_values.items():
        allowed = pa.array([_partition_value(v) for v in values], type=spec.schema.field(col).type)
        if data.num_rows and not pc.all(pc.is_in(data.column(col), value_set=allowed)).as_py():
            raise ValueError(f"{spec.name}: rows fall outside the partitions being overwritten")
    predicate = " AND ".join(
        f"{col} IN ({', '.join(_sql_literal(v) for v in values)})"
        for col, values in partition_values.items()
    )
    ensure_table(location, spec)

    def attempt() -> WriteResult:
        write_deltalake(
            table_uri(location, spec),
            data,
            mode="overwrite",
            predicate=predicate,
            partition_by=list(spec.partition_by),
            storage_options=dict(location.storage_options),
        )
        return WriteResult(
            spec.name, open_table(location, spec).version(), data.num_rows, data.num_rows
        )

    return with_commit_retries(attempt)


def append_once(
    location: LakeLocation, spec: TableSpec, data: pa.Table, app_id: str, batch_version: int
) -> WriteResult:
    """Append ``data`` unless the transaction ``(app_id, batch_version)`` already committed.

    Delta's application transactions (``txn`` actions) record the last version each app id
    wrote, in the same commit as the rows, so a retry after a lost reply is recognised.
    """
    data = conform(data, spec)
    ensure_table(location, spec)

    def attempt() -> WriteResult:
        table = open_table(location, spec)
        done = table.transaction_version(app_id)
        if done is not None and done >= batch_version:
            return WriteResult(spec.name, table.version(), data.num_rows, 0, skipped=True)
        write_deltalake(
            table,
            data,
            mode="append",
            partition_by=list(spec.partition_by) or None,
            # as in merge: a nullable column registered after the table was created joins it
            schema_mode="merge",
            commit_properties=CommitProperties(
                app_transactions=[Transaction(app_id=app_id, version=batch_version)]
            ),
        )
        return WriteResult(
            spec.name, open_table(location, spec).version(), data.num_rows, data.num_rows
        )

    return with_commit_retries(attempt)


def delete_where_keys(location: LakeLocation, spec: TableSpec, key_rows: pa.Table) -> int:
    """Delete the rows whose key matches a row of ``key_rows`` (used to move a call
    between mutually exclusive tables, such as processed and quarantined)."""
    if key_rows.num_rows == 0 or not exists(location, spec):
        return 0
    key_rows = key_rows.select(list(spec.key))

    def attempt() -> int:
        metrics = (
            open_table(location, spec)
            .merge(
                source=key_rows, predicate=_key_predicate(spec), source_alias="s", target_alias="t"
            )
            .when_matched_delete()
            .execute()
        )
        return int(metrics.get("num_target_rows_deleted", 0))

    return with_commit_retries(attempt)


def with_commit_retries(attempt: Callable[[], T]) -> T:
    """Run ``attempt`` again while it loses commit races, with jittered backoff."""
    for n in range(_MAX_COMMIT_ATTEMPTS):
        try:
            return attempt()
        except CommitFailedError:
            # Another writer won this version; back off with jitter and redo against the new head.
            time.sleep(min(2.0, 0.05 * 2**n) * (0.5 + random.random()))
    raise CommitConflict(f"gave up after {_MAX_COMMIT_ATTEMPTS} commit conflicts")


def _key_predicate(spec: TableSpec) -> str:
    # Column names come from the registry, never from data or users.
    return " AND ".join(f"t.{k} = s.{k}" for k in spec.key)


def _merge_predicate(spec: TableSpec, data: pa.Table) -> str:
    predicate = _key_predicate(spec)
    for col in spec.partition_by:
        if col in spec.key:
            continue
        # Pin the target's partitions so the merge reads only the files it can touch.
        values = sorted(set(data.column(col).to_pylist()))
        predicate += f" AND t.{col} IN ({', '.join(_sql_literal(v) for v in values)})"
        predicate += f" AND t.{col} = s.{col}"
    return predicate


def _dedupe_on_key(data: pa.Table, spec: TableSpec) -> pa.Table:
    """Keep the last row per key: a MERGE source with duplicate keys is an error in Delta."""
    if data.num_rows < 2:
        return data
    idx = pa.array(range(data.num_rows))
    grouped = (
        data.append_column("__row", idx).group_by(list(spec.key)).aggregate([("__row", "max")])
    )
    return data.take(grouped.column("__row_max").sort())


def _partition_value(value: object) -> object:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _sql_literal(value: object) -> str:
    value = _partition_value(value)
    if isinstance(value, dt.date):
        return f"'{value.isoformat()}'"
    if isinstance(value, int | float):
        return repr(value)
    raise TypeError(f"unsupported partition value {value!r}")


def _version_or_minus_one(location: LakeLocation, spec: TableSpec) -> int:
    return open_table(location, spec).version() if exists(location, spec) else -1
