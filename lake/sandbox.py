"""The sandboxed DuckDB connection that runs analysts' own SQL (``scanlake query``,
``lake.queries.run_sql`` in notebooks).

It is the lake's ordinary connection (extensions from their package files, a pinned view
per table) closed in before any user text reaches it, following DuckDB's "Securing DuckDB"
checklist:

- ``enable_external_access`` off with ``allowed_directories`` set to the lake's tables
  only: no other file, no URL, no Python variable, no extension download;
- extensions never installed or loaded on demand, no community extensions, no unredacted
  secrets (and, as every lake connection, no persistent ones), spills into a private
  scratch folder;
- ``lock_configuration`` last, so no ``SET``/``RESET`` can give any of it back.

DuckDB's own checks do not cover everything: the delta extension reads table logs through
delta-kernel, which does its own IO (``delta_scan('http://…')`` makes a request even with
external access off), and the lake's folder is writable once allowed. So every statement
is also screened before it runs (``lake.queries.adhoc``). On an S3 lake the connection
holds credentials; give it read-only ones with ``SCANLAKE_QUERY_AWS_ACCESS_KEY_ID`` /
``SCANLAKE_QUERY_AWS_SECRET_ACCESS_KEY`` (``query_location``) so that even a statement that
slipped through could not write.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Mapping

import duckdb

from lake.duckdb import connect
from lake.location import LakeLocation

QUERY_KEY_ENV = "SCANLAKE_QUERY_AWS_ACCESS_KEY_ID"
QUERY_SECRET_ENV = "SCANLAKE_QUERY_AWS_SECRET_ACCESS_KEY"
QUERY_TOKEN_ENV = "SCANLAKE_QUERY_AWS_SESSION_TOKEN"
SCRATCH_CAP = "4GiB"


class MissingQuerySecret(ValueError):
    """A read-only access key was given without its secret."""


def query_location(location: LakeLocation, environ: Mapping[str, str] | None = None) -> LakeLocation:
    """The lake as ad-hoc SQL should reach it: on S3, with the read-only keys of
    ``SCANLAKE_QUERY_AWS_*`` in place of the lake's own when they are set."""
    env = os.environ if environ is None else environ
    key = env.get(QUERY_KEY_ENV, "")
    if not location.is_s3 or not key:
        return location
    secret = env.get(QUERY_SECRET_ENV, "")
    if not secret:
        raise MissingQuerySecret(f"{QUERY_KEY_ENV} is set but {QUERY_SECRET_ENV} is not")
    s3 = location.s3.with_credentials(key, secret, env.get(QUERY_TOKEN_ENV))
    return LakeLocation(location.uri, s3.storage_options())


def readable_root(location: LakeLocation) -> str:
    """The one prefix the sandbox may read: the folder holding every Delta table."""
    return location.path("tables") + "/"


def connect_sandbox(location: LakeLocation) -> duckdb.DuckDBPyConnection:
    """A lake connection (views as ``lake.duckdb.connect``, timestamps in UTC) that can
    read the lake's tables and nothing else, with its configuration locked."""
    con = connect(location)
    scratch = tempfile.mkdtemp(prefix="scanlake-sql-")
    weakref.finalize(con, shutil.rmtree, scratch, ignore_errors=True)
    settings: dict[str, object] = {
        "TimeZone": "UTC",
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "allow_unredacted_secrets": False,
        # pandas frames in the caller's scope would otherwise be readable by name
        "python_enable_replacements": False,
        "temp_directory": scratch,
        "max_temp_directory_size": SCRATCH_CAP,
        "allowed_directories": [readable_root(location)],
        "enable_external_access": False,
        "lock_configuration": True,  # last: nothing above can be changed after it
    }
    for name, value in settings.items():
        # SET takes the value as a parameter; the names are our own constants.
        con.execute(f"SET {name} = ?", [value])
    return con


def is_sandboxed(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con`` came from ``connect_sandbox`` (external access off, locked)."""
    row = con.execute(
        "SELECT current_setting('enable_external_access'), current_setting('lock_configuration')"
    ).fetchone()
    return row == (False, True)
