"""Analysts' own SQL (``scanlake query``, notebooks): read-only, one statement at a time.

A statement must be a query (SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, PRAGMA that
reads, EXPLAIN). It runs inside a transaction that is always rolled back, so even a
table-valued function with side effects leaves the connection as it was.
"""

from __future__ import annotations

import duckdb
import pandas as pd

_READ_ONLY = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


class NotReadOnly(ValueError):
    """The SQL would change something, or is not exactly one statement."""


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but one query. Parsed on ``con``, whose extensions are loaded from
    their packages: the module-level parser would try to download them. A syntax error is
    DuckDB's own ``ParserException``."""
    statements = con.extract_statements(sql)
    if len(statements) != 1:
        raise NotReadOnly(f"expected one statement, got {len(statements)}")
    kind = statements[0].type
    if kind not in _READ_ONLY:
        raise NotReadOnly(f"{kind.name} statements are not allowed; only queries")


def run_sql(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | dict[str, object] | None = None
) -> pd.DataFrame:
    """Run one read-only statement over the lake's views and return its rows."""
    check_read_only(con, sql)
    con.execute("BEGIN TRANSACTION")
    try:
        return con.execute(sql, params).df()
    finally:
        con.execute("ROLLBACK")
