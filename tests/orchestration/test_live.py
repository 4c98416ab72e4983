"""``scanlake live`` as a user runs it: the resident worker and ``dagster dev`` come up on
one instance, the UI answers, and Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_live_starts_the_worker_and_dagster_and_ctrl_c_stops_both(tmp_path):
    home = Path(os.environ.get("TMPDIR", "/tmp")) / f"sl-live-{os.getpid()}"  # short: a socket path
    port = _free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "SCANLAKE_LAKE_URI": str(tmp_path / "lake"),
        "SCANLAKE_TRUNK_RECORDER_DIRS": str(tmp_path / "capture"),
    }
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "scanlake"), "live", "--port", str(port)],
        cwd=REPO,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        ui = False
        while time.monotonic() < deadline and not (ui and (home / "scanlake-worker.sock").exists()):
            assert proc.poll() is None, "scanlake live exited early"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as r:
                    ui = r.status == 200
            except OSError:
                pass
            time.sleep(0.5)
        assert ui, "the Dagster UI never answered"
        assert (home / "scanlake-worker.sock").exists(), "the worker never listened"
        assert "ResidentRunLauncher" in (home / "dagster.yaml").read_text()

        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
        proc.wait(timeout=60)
        assert not (home / "scanlake-worker.sock").exists()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        subprocess.run(["rm", "-rf", str(home)], check=False)
