"""Fixtures shared by every test: a small temporary lake."""

from __future__ import annotations

from pathlib import Path

import pytest

from lake import LakeLocation
from resources.lake import LakeResource


@pytest.fixture
def lake(tmp_path: Path) -> LakeLocation:
    return LakeLocation(str(tmp_path / "lake"))


@pytest.fixture
def lake_resource(lake: LakeLocation) -> LakeResource:
    return LakeResource(uri=lake.uri)
