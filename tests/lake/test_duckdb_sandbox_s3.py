"""Ad-hoc SQL on an S3 lake (a real SeaweedFS with a read-only identity beside the admin):
no statement writes into the lake, and with ``SCANLAKE_QUERY_AWS_*`` keys the connection
could not even if one slipped past the check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import fsspec
import pytest

from lake import LakeLocation, delta
from lake import queries as q
from lake.sandbox import QUERY_KEY_ENV, QUERY_SECRET_ENV, MissingQuerySecret, query_location
from lake.tables import RAW_CALLS
from tests.lake.rows import raw_calls
from tests.support.seaweed import S3Server, seaweed_s3

READER = ("scanlake-reader", "scanlake-reader-secret")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    folder = tmp_path_factory.mktemp("seaweed-ro")
    config = folder / "s3.json"
    identities = [
        ("admin", ("scanlake-test", "scanlake-test-secret"), ["Admin", "Read", "List", "Tagging", "Write"]),
        ("reader", READER, ["Read", "List"]),
    ]
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {"name": name, "credentials": [{"accessKey": k, "secretKey": s}], "actions": acts}
                    for name, (k, s), acts in identities
                ]
            }
        )
    )
    with seaweed_s3(folder, s3_config=config) as running:
        yield running


@pytest.fixture(scope="module")
def lake(server: S3Server) -> LakeLocation:
    location = LakeLocation(f"s3://{server.bucket}/adhoc", server.storage_options())
    delta.merge(location, RAW_CALLS, raw_calls(4))
    return location


def _objects(server: S3Server, prefix: str) -> list[str]:
    fs = fsspec.filesystem(
        "s3",
        key=server.access_key,
        secret=server.secret_key,
        client_kwargs={"endpoint_url": server.endpoint},
        skip_instance_cache=True,
    )
    return [p for p in fs.find(f"{server.bucket}/{prefix}") if p.endswith(".csv")]


def _writes(lake: LakeLocation) -> list[str]:
    return [
        f"EXPLAIN ANALYZE COPY (SELECT 1) TO '{lake.path('tables', 'raw_calls', 'x.csv')}'",
        f"COPY (SELECT 1) TO '{lake.path('tables', 'y.csv')}'",
        f"COPY raw_calls TO '{lake.path('z.csv')}'",
    ]


def test_no_statement_writes_into_the_lake_with_its_own_keys(server, lake, monkeypatch):
    monkeypatch.delenv(QUERY_KEY_ENV, raising=False)
    sandbox = q.open_sandbox(lake)
    assert q.run_sql(sandbox, "SELECT count(*) AS n FROM raw_calls")["n"].item() == 4
    for sql in _writes(lake):
        with pytest.raises(q.NotReadOnly):
            q.run_sql(sandbox, sql)
    # other prefixes of the same bucket are outside the sandbox, for reads and writes
    with pytest.raises(duckdb.PermissionException):
        sandbox.execute(f"SELECT * FROM read_parquet('s3://{server.bucket}/elsewhere/x.parquet')")
    with pytest.raises(duckdb.PermissionException):
        sandbox.execute(f"COPY (SELECT 1) TO 's3://{server.bucket}/elsewhere/x.csv'")
    assert _objects(server, "adhoc") == [] and _objects(server, "elsewhere") == []


def test_read_only_keys_stop_a_write_that_passed_every_check(server, lake, monkeypatch):
    monkeypatch.setenv(QUERY_KEY_ENV, READER[0])
    monkeypatch.setenv(QUERY_SECRET_ENV, READER[1])
    sandbox = q.open_sandbox(lake)
    assert q.run_sql(sandbox, "SELECT count(*) AS n FROM raw_calls")["n"].item() == 4
    # straight to the connection, past the statement check, into the one folder it may read
    with pytest.raises(duckdb.Error):
        sandbox.execute(f"COPY (SELECT 1) TO '{lake.path('tables', 'x.csv')}'")
    assert _objects(server, "adhoc") == []


def test_read_only_key_settings():
    s3 = LakeLocation("s3://b/lake", {"AWS_ACCESS_KEY_ID": "rw", "AWS_SECRET_ACCESS_KEY": "rw-s", "AWS_SESSION_TOKEN": "t"})
    swapped = query_location(s3, {QUERY_KEY_ENV: "ro", QUERY_SECRET_ENV: "ro-s"})
    assert swapped.storage_options == {"AWS_ACCESS_KEY_ID": "ro", "AWS_SECRET_ACCESS_KEY": "ro-s"}
    assert query_location(s3, {}) == s3
    local = LakeLocation(str(Path("/tmp/lake")))
    assert query_location(local, {QUERY_KEY_ENV: "ro", QUERY_SECRET_ENV: "ro-s"}) == local
    with pytest.raises(MissingQuerySecret):
        query_location(s3, {QUERY_KEY_ENV: "ro"})
