"""Ad-hoc SQL's sandbox against the escapes of issue 14 and DuckDB's "Securing DuckDB"
checklist: each is refused by the statement check, and where DuckDB can stop it, the
connection stops it too when the check is bypassed."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from lake import LakeLocation, delta
from lake import queries as q
from lake.sandbox import readable_root
from lake.tables import RAW_CALLS
from tests.lake.rows import raw_calls


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> LakeLocation:
    lake = LakeLocation(str(tmp_path_factory.mktemp("sandbox") / "lake"))
    delta.merge(lake, RAW_CALLS, raw_calls(4))
    return lake


@pytest.fixture(scope="module")
def sandbox(location: LakeLocation) -> duckdb.DuckDBPyConnection:
    return q.open_sandbox(location)


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def parse_request(self) -> bool:
        # counted before any method dispatch: delta-kernel lists with PROPFIND, not GET
        self.requests.append(self.requestline)
        return super().parse_request()

    def do_GET(self) -> None:
        self.send_response(404)
        self.end_headers()

    do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    handler = type("Handler", (_Counting,), {"requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.requests
    finally:
        server.shutdown()
        server.server_close()


def test_explain_analyze_copy_writes_no_file(sandbox, location, tmp_path: Path):
    outside = tmp_path / "x.csv"
    inside = Path(readable_root(location)) / "x.csv"
    for target in (outside, inside):
        for sql in (
            f"EXPLAIN ANALYZE COPY (SELECT 1) TO '{target}'",
            f"EXPLAIN ANALYSE COPY (SELECT 1) TO '{target}'",
            f"EXPLAIN (ANALYZE) COPY (SELECT 1) TO '{target}'",
            f"/* x */ EXPLAIN ANALYZE COPY (SELECT 1) TO '{target}'",
            f"EXPLAIN COPY (SELECT 1) TO '{target}'",
            f"COPY (SELECT 1) TO '{target}'",
            f"COPY raw_calls TO '{target}'",
        ):
            with pytest.raises(q.NotReadOnly):
                q.run_sql(sandbox, sql)
    assert not outside.exists() and not inside.exists()
    # bypassing the check: DuckDB itself refuses a path outside the lake's tables
    with pytest.raises(duckdb.PermissionException):
        sandbox.execute(f"COPY (SELECT 1) TO '{outside}'")
    assert not outside.exists()


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_csv('/etc/passwd', sep = ':')",
        "SELECT * FROM read_parquet('/etc/x.parquet')",
        "SELECT * FROM read_blob('/etc/hostname')",
        "SELECT * FROM sniff_csv('/etc/passwd')",
        "SELECT * FROM ST_Read('/etc/passwd')",
        "SELECT * FROM delta_scan('/etc')",
        "SELECT * FROM parquet_metadata('/etc/x.parquet')",
        # nested where a statement-type check does not look
        "WITH f AS (SELECT * FROM read_text('/etc/passwd')) SELECT * FROM f",
        "SELECT (SELECT count(*) FROM glob('/etc/*'))",
        "SELECT * FROM range(1) t(x), LATERAL (SELECT * FROM read_text('/etc/passwd'))",
        "SUMMARIZE SELECT * FROM read_text('/etc/passwd')",
        "DESCRIBE SELECT * FROM read_text('/etc/passwd')",
        "EXPLAIN ANALYZE SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')",
        "SELECT * FROM query_table('raw_calls')",
        "SELECT * FROM (PIVOT read_text('/etc/passwd') ON filename USING count(*))",
        "SELECT * FROM raw_calls WHERE EXISTS (FROM read_text('/etc/passwd'))",
        "SELECT * FROM raw_calls r JOIN LATERAL read_text(r.audio_key) t ON true",
        "SELECT 1 UNION ALL SELECT count(*) FROM glob('/*')",
        "SELECT list_transform([1], x -> (SELECT count(*) FROM glob('/*')))",
        "SELECT * FROM system.main.read_text('/etc/passwd')",
    ],
)
def test_files_outside_the_lake_are_refused(sandbox, sql: str):
    with pytest.raises(q.NotReadOnly):
        q.run_sql(sandbox, sql)


def test_the_connection_itself_reads_only_the_lake(sandbox, location):
    for sql in (
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        f"SELECT * FROM read_text('{readable_root(location)}../../../etc/passwd')",
    ):
        with pytest.raises(duckdb.PermissionException):
            sandbox.execute(sql).fetchall()
    # a file named as a table passes the check: DuckDB's replacement scans stay off it
    for path in ("/etc/passwd", "/etc/passwd.csv", "/etc/x.parquet"):
        with pytest.raises((duckdb.PermissionException, duckdb.CatalogException)):
            q.run_sql(sandbox, f"SELECT * FROM '{path}'")
    lake_files = sandbox.execute(
        "SELECT count(*) FROM glob(?)", [readable_root(location) + "raw_calls/**/*.parquet"]
    ).fetchone()
    assert lake_files[0] >= 1


def test_no_request_leaves_the_machine(sandbox, http_server):
    url, requests = http_server
    for sql in (
        f"SELECT * FROM read_csv('{url}/x.csv')",
        f"SELECT * FROM read_parquet('{url}/x.parquet')",
        f"SELECT * FROM '{url}/x.csv'",
        f"SELECT * FROM read_text('{url}/latest/meta-data/')",
        f"SELECT * FROM delta_scan('{url}/table')",
        f"SELECT * FROM ST_Read('/vsicurl/{url}/x.geojson')",
        f"ATTACH '{url}/x.duckdb' AS remote",
        f"INSTALL httpfs FROM '{url}'",
    ):
        with pytest.raises((q.NotReadOnly, duckdb.Error)):
            q.run_sql(sandbox, sql)
    for sql in (f"SELECT * FROM read_csv('{url}/x.csv')", f"SELECT * FROM '{url}/x.csv'"):
        with pytest.raises((duckdb.PermissionException, duckdb.CatalogException)):
            sandbox.execute(sql).fetchall()
    assert requests == []


@pytest.mark.parametrize(
    "sql",
    [
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET lock_configuration = false",
        "SET allowed_directories = ['/']",
        "SET VARIABLE x = 1",
        "PRAGMA enable_profiling = 'json'",
        "PRAGMA threads = 1",
        "USE memory",
        "LOAD spatial",
        "INSTALL json",
        "ATTACH ':memory:' AS other",
        "DETACH delta_raw_calls",
        "EXPORT DATABASE '/tmp/scanlake-export'",
        "COPY FROM DATABASE memory TO other",
        "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
        "CREATE TABLE t AS SELECT 1",
        "DROP VIEW raw_calls",
        "CALL pragma_version()",
        "CHECKPOINT",
        "SELECT * FROM duckdb_secrets()",
        "SELECT * FROM which_secret('s3://x/y', 's3')",
        "SELECT * FROM copy_dir('/tmp', '/tmp/y')",
        "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))",
        "SELECT * FROM enable_logging()",
        "SELECT * FROM duckdb_logs()",
        "SELECT * FROM pandas_scan('x')",
        "PIVOT raw_calls ON talkgroup USING count(*)",
        "SELECT 1; SELECT 2",
    ],
)
def test_securing_duckdb_escapes_are_refused(sandbox, sql: str):
    with pytest.raises(q.NotReadOnly):
        q.run_sql(sandbox, sql)


def test_configuration_is_locked(sandbox):
    for sql in (
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET lock_configuration = false",
        "SET allowed_directories = ['/']",
        "SET python_enable_replacements = true",
        "SET allow_unredacted_secrets = true",
        "SET autoinstall_known_extensions = true",
    ):
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            sandbox.execute(sql)
    assert sandbox.execute("SELECT current_setting('enable_external_access')").fetchone() == (False,)


def test_python_variables_are_not_tables(sandbox):
    secret_frame = pd.DataFrame({"password": ["hunter2"]})  # noqa: F841 - the bait
    with pytest.raises(duckdb.CatalogException):
        q.run_sql(sandbox, "SELECT * FROM secret_frame")


def test_queries_over_the_lake_still_run(sandbox):
    assert q.run_sql(sandbox, "SELECT count(*) AS n FROM raw_calls")["n"].item() == 4
    named = q.run_sql(sandbox, "SELECT count(*) AS n FROM raw_calls WHERE talkgroup > $tg", {"tg": 101})
    assert named["n"].item() == 2
    assert q.run_sql(sandbox, "FROM raw_calls SELECT max(talkgroup) AS m WHERE talkgroup < ?", [200])[
        "m"
    ].item() == 103
    assert len(q.run_sql(sandbox, "EXPLAIN SELECT * FROM raw_calls")) == 1
    assert len(q.run_sql(sandbox, "EXPLAIN ANALYZE SELECT count(*) FROM raw_calls")) == 1
    assert "call_uid" in set(q.run_sql(sandbox, "DESCRIBE raw_calls")["column_name"])
    assert "raw_calls" in set(q.run_sql(sandbox, "SHOW TABLES")["name"])
    assert "raw_calls" in set(q.run_sql(sandbox, "PRAGMA show_tables")["name"])
    assert len(q.run_sql(sandbox, "SUMMARIZE raw_calls")) == len(RAW_CALLS.schema)
    assert q.run_sql(sandbox, "SELECT sum(range) AS s FROM range(4)")["s"].item() == 6
    tables = q.run_sql(sandbox, "SELECT count(*) AS n FROM duckdb_views() WHERE view_name = 'raw_calls'")
    assert tables["n"].item() == 1


def test_run_sql_needs_a_sandbox(location):
    with pytest.raises(q.NotSandboxed):
        q.run_sql(q.open_lake(location), "SELECT 1")
