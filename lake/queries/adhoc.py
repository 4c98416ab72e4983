"""Analysts' own SQL (``scanlake query``, notebooks): one read-only query at a time, on a
sandboxed connection (``open_sandbox``, see ``lake.sandbox``).

A statement is parsed by DuckDB itself and must be one query: SELECT (WITH, FROM-first,
VALUES, DESCRIBE, SHOW, SUMMARIZE and the PRAGMAs that expand to a SELECT all are), or
``EXPLAIN [ANALYZE]`` of one. Anything else is refused, COPY, EXPORT, ATTACH, DETACH, INSTALL,
LOAD, SET, RESET, PRAGMA that sets, CALL and CREATE SECRET included, and so is a query that
calls a table function outside ``TABLE_FUNCTIONS``: the file readers (``read_text``,
``glob``, ``read_csv`` …), ``delta_scan`` (delta-kernel reads URLs on its own, past DuckDB's
external-access setting), ``query`` and ``json_execute_serialized_sql`` (SQL inside a
string, out of this check's sight), ``copy_dir``, ``which_secret`` and the like. The
connection's own settings stop what a check might miss; this check stops what they do not
cover. What runs is the statement that was checked, re-assembled from its parsed parts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import duckdb
import pandas as pd

from lake.location import LakeLocation
from lake.sandbox import connect_sandbox, is_sandboxed, query_location

# Table functions a query may call: generators, JSON/list helpers and catalog metadata.
# Everything else (new extensions' functions included) is refused until listed here.
TABLE_FUNCTIONS = frozenset(
    {
        "range", "generate_series", "unnest", "repeat", "repeat_row", "summary",
        "json_each", "json_tree", "histogram", "histogram_values",
        "duckdb_columns", "duckdb_constraints", "duckdb_databases", "duckdb_dependencies",
        "duckdb_functions", "duckdb_indexes", "duckdb_keywords", "duckdb_schemas",
        "duckdb_tables", "duckdb_types", "duckdb_views", "duckdb_extensions",
        "pragma_table_info", "pragma_show", "pragma_version", "pragma_platform",
        "pragma_collations", "pg_timezone_names", "icu_calendar_names", "st_generatepoints",
    }
)  # fmt: skip
_EXPLAIN = re.compile(r"\s*EXPLAIN\s+(?:(ANALY[SZ]E)\s+)?", re.IGNORECASE)


class NotReadOnly(ValueError):
    """The SQL would change something, reach outside the lake, or is not exactly one query."""


class NotSandboxed(RuntimeError):
    """``run_sql`` was given a connection that ``lake.sandbox`` did not close in."""


def open_sandbox(location: LakeLocation | None = None) -> duckdb.DuckDBPyConnection:
    """The connection for ad-hoc SQL over the lake (``SCANLAKE_LAKE_URI`` when no location is
    given): reads the lake's tables and nothing else; on S3 with the read-only keys of
    ``SCANLAKE_QUERY_AWS_*`` when they are set. The named queries run on it too."""
    return connect_sandbox(query_location(location or LakeLocation.from_env()))


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The one query ``sql`` holds, as it will run; ``NotReadOnly`` for anything else.
    Parsed on ``con``, whose extensions are loaded from their packages: the module-level
    parser would try to download them. A syntax error is DuckDB's own ``ParserException``."""
    statements = con.extract_statements(sql)
    if len(statements) != 1:
        raise NotReadOnly(f"expected one statement, got {len(statements)}")
    statement = statements[0]
    if statement.type == duckdb.StatementType.EXPLAIN:
        explain = _EXPLAIN.match(statement.query)
        if explain is None:
            raise NotReadOnly("only EXPLAIN [ANALYZE] <query> is allowed")
        try:
            inner = con.extract_statements(statement.query[explain.end() :])
        except duckdb.ParserException as exc:  # EXPLAIN's options, a comment: not supported here
            raise NotReadOnly("only EXPLAIN [ANALYZE] <query> is allowed") from exc
        if len(inner) != 1 or inner[0].type != duckdb.StatementType.SELECT:
            kinds = ", ".join(s.type.name for s in inner)
            raise NotReadOnly(f"EXPLAIN of {kinds or 'nothing'} is not allowed; only of a query")
        query = inner[0].query
        _check_functions(con, query)
        return ("EXPLAIN ANALYZE " if explain.group(1) else "EXPLAIN ") + query
    if statement.type != duckdb.StatementType.SELECT:
        raise NotReadOnly(f"{statement.type.name} statements are not allowed; only queries")
    _check_functions(con, statement.query)
    return statement.query


def _check_functions(con: duckdb.DuckDBPyConnection, query: str) -> None:
    tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [query]).fetchone()[0])
    if tree.get("error"):
        raise NotReadOnly(f"cannot check this query: {tree.get('error_message')}")
    if len(tree["statements"]) != 1:
        raise NotReadOnly("expected one query")
    for name in _table_functions(tree):
        if name.lower() not in TABLE_FUNCTIONS:
            raise NotReadOnly(
                f"{name}() is not allowed in ad-hoc SQL: query the lake's tables by name"
            )


def _table_functions(node: object) -> Iterator[str]:
    """Every table function (or table macro) a parsed query calls, in CTEs, subqueries,
    joins and SHOW/SUMMARIZE targets alike."""
    if isinstance(node, dict):
        if node.get("type") == "TABLE_FUNCTION" and isinstance(node.get("function"), dict):
            yield str(node["function"].get("function_name", ""))
        for value in node.values():
            yield from _table_functions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _table_functions(item)


def run_sql(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | dict[str, object] | None = None
) -> pd.DataFrame:
    """Run one read-only query on a sandboxed connection (``open_sandbox``) and return its
    rows. The transaction is always rolled back, so even a function with side effects
    leaves the connection as it was."""
    if not is_sandboxed(con):
        raise NotSandboxed("ad-hoc SQL runs on a sandboxed connection: use open_sandbox()")
    query = check_read_only(con, sql)
    con.execute("BEGIN TRANSACTION")
    try:
        return con.execute(query, params).df()
    finally:
        con.execute("ROLLBACK")
