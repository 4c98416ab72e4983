"""What a table is: ``TableSpec`` (name, explicit schema, key and partition columns), the
helpers every layer's module declares its tables with, and ``conform``, which every writer
applies before a commit."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

UTC_TS = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class TableSpec:
    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    partition_by: tuple[str, ...] = ()
    description: str = ""

    @property
    def columns(self) -> list[str]:
        return list(self.schema.names)

    def empty(self) -> pa.Table:
        return self.schema.empty_table()


def _spec(
    name: str,
    fields: list[pa.Field],
    key: tuple[str, ...],
    partition_by: tuple[str, ...] = (),
    description: str = "",
) -> TableSpec:
    schema = pa.schema(fields)
    for col in (*key, *partition_by):
        if col not in schema.names:
            raise ValueError(f"{name}: key or partition column {col!r} is not in the schema")
    return TableSpec(name, schema, key, partition_by, description)


def _f(name: str, type_: pa.DataType, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable)


def conform(data: pa.Table, spec: TableSpec) -> pa.Table:
    """Select and cast ``data`` to the table's schema, in its column order.

    Missing nullable columns are filled with nulls; a missing required column is an error.
    """
    columns = []
    for field in spec.schema:
        if field.name in data.column_names:
            columns.append(data.column(field.name).cast(field.type))
        elif field.nullable:
            columns.append(pa.nulls(data.num_rows, field.type))
        else:
            raise ValueError(f"{spec.name}: required column {field.name!r} is missing")
    return pa.Table.from_arrays(columns, schema=spec.schema)
