"""``streamlit run dashboards/app.py``, the command Streamlit's own docs teach, started from
the repository root with no flags: the app's shipped config must keep it on localhost."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

from tests.dashboards.server import stop
from tests.support.seaweed import free_port

REPO = Path(__file__).resolve().parents[2]


def non_loopback_address() -> str | None:
    """An address of this machine other than loopback, to try reaching the app through."""
    for addrs in psutil.net_if_addrs().values():
        for addr in addrs:
            if addr.family == socket.AF_INET and not addr.address.startswith("127."):
                return addr.address
    return None


def test_plain_streamlit_run_listens_on_localhost_only(tmp_path):
    port = free_port()
    # A clean HOME: no ~/.streamlit/config.toml of the machine may decide the answer.
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env |= {"HOME": str(tmp_path), "SCANLAKE_LAKE_URI": str(tmp_path / "lake")}
    log = (tmp_path / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboards/app.py", "--server.port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "streamlit.log").read_text()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).text == "ok":
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "streamlit did not start"
            time.sleep(0.3)
        listening = {
            c.laddr.ip
            for p in (psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True))
            for c in p.net_connections(kind="inet")
            if c.status == psutil.CONN_LISTEN and c.laddr.port == port
        }
        assert listening == {"127.0.0.1"}
        other = non_loopback_address()
        if other:
            with socket.socket() as s:
                s.settimeout(2)
                assert s.connect_ex((other, port)) != 0
    finally:
        stop(proc)
        log.close()
