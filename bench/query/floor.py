"""The floor: the same tables as one compacted Parquet file each, read by plain DuckDB.

It is what the same SQL costs with no Delta log to replay and no partition directories,
so the ratio to it is the price of the lakehouse layer.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from lake import delta
from lake.duckdb import EFFECTIVE_TRANSCRIPTS_SQL
from lake.location import LakeLocation
from lake.tables import TABLES

ROW_GROUP_ROWS = 122_880  # DuckDB's own row group size


def write_floor(location: LakeLocation, out: Path) -> dict[str, int]:
    """Copy every existing table into ``out/<table>.parquet``, in the lake's row order (by
    day), streaming so a table larger than memory still fits. Returns rows per table."""
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for spec in TABLES.values():
        if not delta.exists(location, spec):
            continue
        # fragments come in commit order, which is day order for the synthetic lake
        dataset = delta.open_table(location, spec).to_pyarrow_dataset()
        target = out / f"{spec.name}.parquet"
        # the lake's codec (delta-rs writes snappy), so the floor differs only in layout
        with pq.ParquetWriter(target, spec.schema, compression="snappy") as writer:
            n = 0
            for batch in dataset.to_batches(columns=spec.columns, batch_size=ROW_GROUP_ROWS):
                writer.write_batch(batch.cast(spec.schema), row_group_size=ROW_GROUP_ROWS)
                n += batch.num_rows
        rows[spec.name] = n
    return rows


def connect_floor(out: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a view per table over its floor file (empty when absent)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for spec in TABLES.values():
        path = out / f"{spec.name}.parquet"
        relation = con.read_parquet(str(path)) if path.exists() else con.from_arrow(spec.empty())
        relation.create_view(spec.name, replace=True)
    # the queries read transcript text through this view, on the floor as on the lake
    con.execute(EFFECTIVE_TRANSCRIPTS_SQL)
    return con
