"""Fixtures shared by every test: a small temporary lake."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lake import LakeLocation
from resources.lake import LakeResource

# Tests run the small tier: its transcripts are what the assertions were written against,
# and it is about half base's cost (the default tier). Processes the tests start inherit it.
os.environ.setdefault("SCANLAKE_ASR_MODEL", "tiny.en")


@pytest.fixture
def lake(tmp_path: Path) -> LakeLocation:
    return LakeLocation(str(tmp_path / "lake"))


@pytest.fixture
def lake_resource(lake: LakeLocation) -> LakeResource:
    return LakeResource(uri=lake.uri)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory):
    """One SeaweedFS S3 server for the whole session, started on first use."""
    from tests.support.seaweed import seaweed_s3

    with seaweed_s3(tmp_path_factory.mktemp("seaweed")) as server:
        yield server


@pytest.fixture
def s3_lake(s3_server, request: pytest.FixtureRequest) -> LakeLocation:
    """A fresh lake prefix on the session's S3 server."""
    prefix = request.node.name.replace("[", "_").replace("]", "_")
    return LakeLocation(f"s3://{s3_server.bucket}/{prefix}", s3_server.storage_options())


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    from tests.support.services import ensure_postgres

    return ensure_postgres()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    from tests.support.services import ensure_chromium

    return ensure_chromium()


@pytest.fixture(scope="session")
def redis_url() -> str:
    from tests.support.services import ensure_redis

    return ensure_redis()
