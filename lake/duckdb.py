"""DuckDB over the lake: one connection factory that loads extensions from their PyPI
packages (never from the network) and exposes every Delta table as a view."""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

import duckdb

from lake import delta
from lake.location import LakeLocation
from lake.tables import TABLES

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
    yet written), so queries never need to know where the files are."""
    con = duckdb.connect(
        database, config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    for name in extensions:
        # LOAD takes no parameters; the path is our own package file, not user text.
        con.execute(f"LOAD {_quote(str(extension_path(name)))}")
    if location.is_s3:
        _s3_secret(con, location)
    refresh_views(con, location)
    return con


def refresh_views(con: duckdb.DuckDBPyConnection, location: LakeLocation) -> None:
    """(Re)create the views, picking up tables created since the connection opened."""
    for spec in TABLES.values():
        if delta.exists(location, spec):
            source = f"delta_scan({_quote(delta.table_uri(location, spec))})"
        else:
            con.register(f"__empty_{spec.name}", spec.empty())
            source = _ident(f"__empty_{spec.name}")
        # Identifiers come from the table registry and quoted; no user text reaches this.
        con.execute(f"CREATE OR REPLACE VIEW {_ident(spec.name)} AS SELECT * FROM {source}")  # noqa: S608


def _s3_secret(con: duckdb.DuckDBPyConnection, location: LakeLocation) -> None:
    opts = location.storage_options
    endpoint = opts.get("AWS_ENDPOINT_URL", "")
    use_ssl = not endpoint.startswith("http://")
    host = endpoint.split("://", 1)[-1].rstrip("/")
    params: list[object] = [
        opts.get("AWS_ACCESS_KEY_ID", ""),
        opts.get("AWS_SECRET_ACCESS_KEY", ""),
        opts.get("AWS_REGION", "us-east-1"),
        use_ssl,
    ]
    sql = "CREATE OR REPLACE SECRET scanlake_s3 (TYPE s3, KEY_ID ?, SECRET ?, REGION ?, USE_SSL ?"
    if host:
        sql += ", ENDPOINT ?, URL_STYLE 'path'"
        params.append(host)
    con.execute(sql + ")", params)
