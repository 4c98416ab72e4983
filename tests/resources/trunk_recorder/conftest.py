"""Fixtures for the trunk-recorder tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def capture_dir(tmp_path: Path) -> Path:
    d = tmp_path / "capture"
    d.mkdir()
    return d
