"""One builder of S3 options, translated for delta-rs, s3fs and DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from lake import LakeLocation
from lake.duckdb import _s3_secret, extension_path
from lake.s3 import DEFAULT_REGION, S3Options
from lake.sandbox import QUERY_KEY_ENV, QUERY_SECRET_ENV, QUERY_TOKEN_ENV, query_location
from resources.lake import LakeResource

LOCAL_S3 = {
    "AWS_ENDPOINT_URL": "http://127.0.0.1:8333",
    "AWS_ACCESS_KEY_ID": "id",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "AWS_SESSION_TOKEN": "token",
}


def test_from_env_reads_the_standard_variables_and_fills_the_defaults():
    s3 = S3Options.from_env({**LOCAL_S3, "UNRELATED": "x"})
    assert s3 == S3Options(
        endpoint_url="http://127.0.0.1:8333", access_key_id="id", secret_access_key="secret",
        session_token="token", region=DEFAULT_REGION, allow_http=True,
    )
    assert S3Options.from_env({"AWS_REGION": "eu-west-1"}).region == "eu-west-1"
    # an https endpoint is not given plain HTTP, and an explicit refusal is kept
    assert S3Options.from_env({"AWS_ENDPOINT_URL": "https://s3.example"}).allow_http is None
    assert S3Options.from_env({**LOCAL_S3, "AWS_ALLOW_HTTP": "false"}).allow_http is False


def test_delta_mapping_round_trips_and_keeps_unknown_options():
    options = {**LOCAL_S3, "AWS_REGION": "us-west-2", "AWS_ALLOW_HTTP": "true", "AWS_S3_LOCKING_PROVIDER": "x"}
    s3 = S3Options.from_mapping(options)
    assert s3.extra == {"AWS_S3_LOCKING_PROVIDER": "x"}
    assert s3.storage_options() == options
    assert S3Options().storage_options() == {}


def test_s3fs_translation_carries_the_session_token_and_the_default_region():
    kwargs = S3Options.from_mapping(LOCAL_S3).s3fs_kwargs()
    assert kwargs == {
        "key": "id", "secret": "secret", "token": "token",
        "client_kwargs": {"region_name": DEFAULT_REGION, "endpoint_url": "http://127.0.0.1:8333"},
    }
    assert S3Options(region="eu-west-1").s3fs_kwargs()["client_kwargs"] == {"region_name": "eu-west-1"}


def test_duckdb_translation_names_every_option_of_the_secret():
    assert S3Options.from_mapping(LOCAL_S3).duckdb_secret() == {
        "KEY_ID": "id", "SECRET": "secret", "REGION": DEFAULT_REGION, "USE_SSL": False,
        "SESSION_TOKEN": "token", "ENDPOINT": "127.0.0.1:8333", "URL_STYLE": "path",
    }
    aws = S3Options(access_key_id="a", secret_access_key="b", region="eu-west-1").duckdb_secret()
    assert aws == {"KEY_ID": "a", "SECRET": "b", "REGION": "eu-west-1", "USE_SSL": True}


def test_duckdb_accepts_the_secret_as_built():
    con = duckdb.connect(config={"allow_persistent_secrets": False, "autoinstall_known_extensions": False})
    con.execute(f"LOAD '{extension_path('httpfs')}'")
    _s3_secret(con, LakeLocation("s3://bucket/lake", LOCAL_S3))
    [(name, kind, scope)] = con.execute(
        "SELECT name, type, scope FROM duckdb_secrets() WHERE name = 'scanlake_s3'"
    ).fetchall()
    assert (name, kind, scope) == ("scanlake_s3", "s3", ["s3://", "s3n://", "s3a://"])
    # the token reached DuckDB (it is redacted in the listing, so look for the key only)
    [secret] = con.execute("SELECT secret_string FROM duckdb_secrets() WHERE name = 'scanlake_s3'").fetchone()
    assert "session_token=redacted" in secret and "endpoint=127.0.0.1:8333" in secret


def test_the_resource_and_the_environment_build_the_same_location(monkeypatch: pytest.MonkeyPatch):
    for key, value in LOCAL_S3.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_ALLOW_HTTP", raising=False)
    from_env = LakeLocation.from_env("s3://bucket/lake")
    resource = LakeResource(
        uri="s3://bucket/lake", endpoint_url="http://127.0.0.1:8333", access_key_id="id",
        secret_access_key="secret", session_token="token",
    )
    assert resource.location == from_env
    assert from_env.storage_options["AWS_SESSION_TOKEN"] == "token"
    assert LakeResource.for_location(from_env).location == from_env
    # a local folder carries no S3 options, whatever the environment holds
    assert LakeLocation.from_env("/tmp/lake").storage_options == {}


def test_read_only_keys_replace_the_lake_token_too():
    s3 = LakeLocation("s3://b/lake", {**LOCAL_S3, "AWS_REGION": "eu-west-1"})
    swapped = query_location(s3, {QUERY_KEY_ENV: "ro", QUERY_SECRET_ENV: "ro-s", QUERY_TOKEN_ENV: "ro-t"})
    assert swapped.s3 == S3Options(
        endpoint_url="http://127.0.0.1:8333", access_key_id="ro", secret_access_key="ro-s",
        session_token="ro-t", region="eu-west-1",
    )
