"""``scanlake export-training`` from the command line: corrected calls become an audiofolder
dataset that reads back as audio and text pairs."""

from __future__ import annotations

import csv

import soundfile as sf
from typer.testing import CliRunner

from lake import LakeLocation
from orchestration.cli import app
from tests.fixtures.small_lake import build_small_lake
from tests.lake.test_corrections_redaction import committed

runner = CliRunner()


def test_corrections_export_training_from_the_cli(tmp_path, monkeypatch):
    lake = build_small_lake(LakeLocation(str(tmp_path / "lake")))
    uid = lake.call_uids[3]
    committed(lake, uid, "Unit 23 10-50 at Fifth and Washington, corrected")
    monkeypatch.setenv("SCANLAKE_LAKE_URI", lake.location.uri)
    out = tmp_path / "dataset"

    result = runner.invoke(app, ["export-training", str(out), "--system", "clarkco", "--min-version", "1"])

    assert result.exit_code == 0, result.output
    assert "wrote 1 pair(s)" in result.output
    with (out / "train" / "metadata.csv").open(newline="", encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["call_uid"], row["transcription"]) == (uid, "Unit 23 10-50 at Fifth and Washington, corrected")
    info = sf.info(out / "train" / row["file_name"])
    assert (info.samplerate, info.channels, info.subtype) == (16_000, 1, "PCM_16")
    again = runner.invoke(app, ["export-training", str(out)])
    assert again.exit_code == 1 and "exists" in again.output
    bad = runner.invoke(app, ["export-training", str(tmp_path / "x"), "--since", "yesterday"])
    assert bad.exit_code == 2
