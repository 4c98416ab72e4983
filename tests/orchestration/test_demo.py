"""The README's demo path, on a small simulated set: simulate, ingest, run every layer."""

import pytest
from typer.testing import CliRunner

from lake import LakeLocation
from lake import duckdb as lake_duckdb
from orchestration.cli import app

pytestmark = pytest.mark.slow


def test_demo_fills_every_layer(tmp_path, monkeypatch):
    for var in ("SCANLAKE_LAKE_URI", "DAGSTER_HOME", "SCANLAKE_TRUNK_RECORDER_DIRS"):
        monkeypatch.delenv(var, raising=False)
    result = CliRunner().invoke(app, ["demo", "--calls", "6", "--seed", "11", "--workdir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Where to look" in result.output and "scanlake live" in result.output

    con = lake_duckdb.connect(LakeLocation(str(tmp_path / "lake")))
    count = lambda table: con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: E731
    assert count("raw_calls") == 6
    # every raw call reached exactly one of the audio tables
    assert count("normalized_audio") + count("audio_quarantine") == 6
    assert (tmp_path / "dagster_home" / "dagster.yaml").exists()
