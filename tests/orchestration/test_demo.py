"""The README's demo command, as a new user runs it (on fewer calls): its traffic ends now,
every layer fills, incidents are grouped, and at least one alert reaches the demo's local
inbox."""

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lake import LakeLocation
from lake import duckdb as lake_duckdb
from orchestration import demo

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
CALLS = 8


def _uv() -> list[str]:
    """uv as the README calls it (``python3 -m uv``), or the one on PATH."""
    for python in (shutil.which("python3"), sys.executable):
        if python and subprocess.run([python, "-m", "uv", "--version"], capture_output=True).returncode == 0:
            return [python, "-m", "uv"]
    if shutil.which("uv"):
        return ["uv"]
    if os.environ.get("CI"):
        pytest.fail("uv is not installed: the README's commands install it first")
    pytest.skip("uv is not installed (python3 -m pip install uv)")


def test_readme_demo_command_shows_fresh_calls_and_a_delivered_alert(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SCANLAKE_", "DAGSTER_", "VIRTUAL_ENV"))
    }
    started = dt.datetime.now(dt.UTC)
    result = subprocess.run(
        [*_uv(), "run", "--frozen", "scanlake", "demo", "--calls", str(CALLS), "--seed", "11",
         "--workdir", str(tmp_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Where to look" in result.stdout and "scanlake live" in result.stdout

    con = lake_duckdb.connect(LakeLocation(str(tmp_path / "lake")))
    count = lambda table: con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: E731
    assert count("raw_calls") == CALLS
    # every raw call reached exactly one of the audio tables
    assert count("normalized_audio") + count("audio_quarantine") == CALLS
    assert (tmp_path / "dagster_home" / "dagster.yaml").exists()

    newest, oldest = con.execute("SELECT max(start_time), min(start_time) FROM raw_calls").fetchone()
    assert started - dt.timedelta(hours=24) < oldest <= newest <= started
    assert started - newest < dt.timedelta(minutes=10), "the demo's traffic should end about now"

    assert count("incidents") >= 1 and count("call_incidents") >= 1
    assert count("alerts") >= 1
    delivered = demo.inbox_alerts(tmp_path / demo.INBOX_FILE)
    assert delivered, "no alert reached the demo inbox"
    alert_ids = {r[0] for r in con.execute("SELECT alert_id FROM alerts").fetchall()}
    sent = con.execute("SELECT DISTINCT alert_id FROM alert_deliveries WHERE status = 'sent'").fetchall()
    assert {r[0] for r in sent} <= alert_ids and sent
