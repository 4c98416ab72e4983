"""DuckDB over the lake: one connection factory that loads extensions from their PyPI
packages (never from the network) and exposes every Delta table as a view.

Each view reads a pinned Delta snapshot (the delta extension's ``ATTACH ... (TYPE delta,
PIN_SNAPSHOT)``): the log is read once, on the table's first query after it was attached,
instead of on every ``delta_scan`` (5-20 ms per table and query at 10 M calls, see
bench/README.md). A connection therefore does not see commits made after that first read
until ``refresh_views`` re-pins; ``PinnedLake`` does so on a schedule for long-lived
readers such as the app.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import duckdb

from lake import delta
from lake.location import LakeLocation
from lake.tables import TABLES, TableSpec

EXTENSIONS = ("delta", "httpfs", "fts", "spatial")


class ExtensionMissing(RuntimeError):
    pass


@cache
def extension_path(name: str) -> Path:
    """The extension file shipped by the ``duckdb-extension-<name>`` package for this DuckDB."""
    try:
        module = importlib.import_module(f"duckdb_extension_{name}")
    except ImportError as exc:
        raise ExtensionMissing(f"install duckdb-extension-{name}=={duckdb.__version__}") from exc
    wanted = (
        Path(module.__file__).parent
        / "extensions"
        / f"v{duckdb.__version__}"
        / f"{name}.duckdb_extension"
    )
    if not wanted.exists():
        raise ExtensionMissing(
            f"duckdb-extension-{name} has no build for DuckDB {duckdb.__version__}: pin both to one version"
        )
    return wanted


def _quote(literal: str) -> str:
    return "'" + literal.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def connect(
    location: LakeLocation,
    extensions: tuple[str, ...] = EXTENSIONS,
    database: str = ":memory:",
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a view per lake table (an empty typed view for a table not
    yet written), so queries never need to know where the files are. Each table is pinned
    at its snapshot as of its first query (see ``refresh_views``)."""
    # No persistent secrets: the lake's keys are the only ones a connection holds, never
    # whatever a user once stored under ~/.duckdb.
    con = duckdb.connect(
        database,
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_persistent_secrets": False,
        },
    )
    for name in extensions:
        # LOAD takes no parameters; the path is our own package file, not user text.
        con.execute(f"LOAD {_quote(str(extension_path(name)))}")
    if location.is_s3:
        _s3_secret(con, location)
    refresh_views(con, location)
    return con


def refresh_views(con: duckdb.DuckDBPyConnection, location: LakeLocation) -> None:
    """(Re)pin every table at its latest snapshot; a table created since the last call gets
    its view, one not written yet an empty typed stand-in.

    The new snapshots load lazily, on each table's next query, so they are at least as new
    as this call and a refresh costs only the tables that are read afterwards.
    """
    attached = {
        row[0] for row in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
    }
    for spec in TABLES.values():
        catalog = _catalog(spec)
        if delta.exists(location, spec):
            # ATTACH OR REPLACE of an attached path keeps the old pinned snapshot: only a
            # DETACH lets the extension read the log again. READ_ONLY: a write through a
            # writable delta attachment crashes DuckDB 1.5 (and the lake has one writer).
            con.execute(f"DETACH DATABASE IF EXISTS {_ident(catalog)}")
            con.execute(
                f"ATTACH {_quote(delta.table_uri(location, spec))} AS {_ident(catalog)}"
                " (TYPE delta, PIN_SNAPSHOT, READ_ONLY)"
            )
            if catalog in attached and not _fills_columns(con, spec):
                continue  # the view names the catalog and is bound again on every query
            source = _ident(catalog)
        else:
            con.register(f"__empty_{spec.name}", spec.empty())
            source = _ident(f"__empty_{spec.name}")
        # Creating a view binds it, which reads the snapshot: only done for a new source.
        # Identifiers come from the table registry and quoted; no user text reaches this.
        con.execute(f"CREATE OR REPLACE VIEW {_ident(spec.name)} AS {_select(con, spec, source)}")
    # bound by name on every query, so it follows the tables' views as they are re-pinned
    con.execute(EFFECTIVE_TRANSCRIPTS_SQL)


# Each call's text as search and the pages read it: an editor's newest correction in place
# of every machine transcript of the call (``lake.effective`` is the same rule for the
# assets). A corrected call is one row, under the model the editor corrected, timed at the
# edit, with no ASR scores (a person's text has none). Built as a UNION from the corrections
# alone, not a join to transcripts, so a search reads transcripts once: measured on 1 M
# transcripts and 200 corrections (one thread, best of 12, while the machine was loaded),
# the regex search took 1.32 s through this view and 1.40 s on transcripts directly, where a
# join-based view took twice as long.
EFFECTIVE_TRANSCRIPTS_SQL = """
CREATE VIEW IF NOT EXISTS effective_transcripts AS
SELECT *, false AS corrected, 0 AS correction_version
FROM transcripts
WHERE call_uid NOT IN (SELECT call_uid FROM transcript_corrections)
UNION ALL BY NAME
SELECT call_uid, call_date, arg_max(base_model_id, version) AS model_id,
       arg_max(text, version) AS text, arg_max(edited_at, version) AS transcribed_at,
       true AS corrected, max(version) AS correction_version
FROM transcript_corrections
GROUP BY call_uid, call_date
"""


_FILLED = "/* registered columns filled */"


def _select(con: duckdb.DuckDBPyConnection, spec: TableSpec, source: str) -> str:
    """``SELECT *`` from the source, plus a typed NULL for each nullable column the
    registry has and the stored table does not yet (a table written before the column
    was registered: its next merge adds it), so queries may name every registered column."""
    present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}  # noqa: S608
    missing = [f.name for f in spec.schema if f.nullable and f.name not in present]
    if not missing:
        return f"SELECT * FROM {source}"  # noqa: S608
    con.register(f"__registry_{spec.name}", spec.empty())
    types = dict(
        con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {_ident(f'__registry_{spec.name}')})").fetchall()  # noqa: S608
    )
    fills = ", ".join(f"CAST(NULL AS {types[name]}) AS {_ident(name)}" for name in missing)
    return f"SELECT *, {fills} FROM {source} {_FILLED}"  # noqa: S608


def _fills_columns(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> bool:
    """Whether the table's view fills missing columns: it is rebuilt on every refresh, so
    it stops filling once a merge has added them."""
    row = con.execute(
        "SELECT sql FROM duckdb_views() WHERE view_name = $name", {"name": spec.name}
    ).fetchone()
    return bool(row and _FILLED in row[0])


def _catalog(spec: TableSpec) -> str:
    """The attached database holding a table's pinned snapshot (its one table has the same
    name, so the database name alone selects it)."""
    return f"delta_{spec.name}"


class PinnedLake:
    """A long-lived lake connection (from ``connect``) whose snapshots are never older
    than ``max_age_s``.

    ``connection()`` re-pins every table when the last pin is ``max_age_s`` old, so a query
    started at time t sees every commit made before t - max_age_s. Like the DuckDB
    connection it wraps, it is for one thread at a time.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        location: LakeLocation,
        max_age_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.con = con
        self.location = location
        self.max_age_s = max_age_s
        self._clock = clock
        # ``connect`` has just pinned every table; its snapshots load on first query, after now
        self.pinned_at = clock()

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The connection, re-pinned first if its snapshots are ``max_age_s`` old."""
        now = self._clock()
        if now - self.pinned_at >= self.max_age_s:
            refresh_views(self.con, self.location)
            # the snapshots load after this instant, so they hold every commit before it
            self.pinned_at = now
        return self.con


def _s3_secret(con: duckdb.DuckDBPyConnection, location: LakeLocation) -> None:
    secret = location.s3.duckdb_secret()
    # The option names come from lake.s3, not user text; every value is a parameter.
    options = "".join(f", {name} ?" for name in secret)
    con.execute(f"CREATE OR REPLACE SECRET scanlake_s3 (TYPE s3{options})", list(secret.values()))
