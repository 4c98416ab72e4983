"""The app started with its real command (``scanlake dashboard``'s), for the browser tests:
over a given lake, with no sign-in, and no tile server asked for (the offline basemap)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from dashboards import launch
from tests.support.seaweed import free_port


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def running_app(lake_uri: str, log_path: Path) -> Iterator[str]:
    """The app's URL once its health endpoint answers; stopped when the block ends."""
    port = free_port()
    env = dict(os.environ, SCANLAKE_LAKE_URI=lake_uri, SCANLAKE_MAP_STYLE="offline")
    for name in [n for n in env if n.startswith("SCANLAKE_DASHBOARD_")] + ["DAGSTER_HOME"]:
        env.pop(name, None)
    url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        proc = subprocess.Popen(launch.command(port=port), env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 90
            while True:
                assert proc.poll() is None, f"streamlit exited early; see {log_path}"
                try:
                    if httpx.get(f"{url}/_stcore/health", timeout=2).text.strip() == "ok":
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, f"streamlit did not start; see {log_path}"
                time.sleep(0.5)
            yield url
        finally:
            stop(proc)
