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

import psutil
import pytest

REPO = Path(__file__).resolve().parents[2]
# Ctrl-C's budget: a run in progress gets scanlake live's grace period (20 s) to stop.
STOP_BOUND_S = 45


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_live(tmp_path: Path, home: Path, port: int) -> subprocess.Popen[bytes]:
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
        _wait_until_up(proc, home, port)
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    return proc


def _wait_until_up(proc: subprocess.Popen[bytes], home: Path, port: int) -> None:
    deadline = time.monotonic() + 480  # dagster dev takes minutes on a loaded machine
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


def _session(leader: int) -> list[psutil.Process]:
    """Every live process of the session ``scanlake live`` leads (its whole tree)."""
    found = []
    for p in psutil.process_iter():
        try:
            if os.getsid(p.pid) == leader and p.status() != psutil.STATUS_ZOMBIE:
                found.append(p)
        except (ProcessLookupError, psutil.Error):
            continue
    return found


def test_live_starts_the_worker_and_dagster_and_ctrl_c_stops_both(tmp_path):
    home = Path(os.environ.get("TMPDIR", "/tmp")) / f"sl-live-{os.getpid()}"  # short: a socket path
    proc = _start_live(tmp_path, home, _free_port())
    try:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
        proc.wait(timeout=60)
        assert not (home / "scanlake-worker.sock").exists()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        subprocess.run(["rm", "-rf", str(home)], check=False)


@pytest.mark.parametrize("target", ["group", "leader"])
def test_live_sigterm_stops_every_child(tmp_path, target):
    """A service manager stops ``scanlake live`` with SIGTERM: systemd to its process group,
    ``docker stop`` to the main process alone. Either way the worker, ``dagster dev`` and
    everything they started must be gone within a bound, as after Ctrl-C."""
    home = Path(os.environ.get("TMPDIR", "/tmp")) / f"sl-term-{target}-{os.getpid()}"
    proc = _start_live(tmp_path, home, _free_port())
    try:
        children = _session(proc.pid)
        assert len(children) >= 3, children  # scanlake live, the worker, dagster dev and its servers
        if target == "group":
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.send_signal(signal.SIGTERM)
        _gone, alive = psutil.wait_procs(children, timeout=STOP_BOUND_S)
        assert not alive, [" ".join(p.cmdline()[:3]) for p in alive]
        assert not _session(proc.pid), "a process started after the snapshot outlived scanlake live"
        assert not (home / "scanlake-worker.sock").exists()
    finally:
        for p in _session(proc.pid):
            p.kill()
        subprocess.run(["rm", "-rf", str(home)], check=False)
