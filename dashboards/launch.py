"""Starting the app: the one documented command is ``scanlake dashboard`` (which calls
``run``), equivalent to ``streamlit run dashboards/app.py``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def command(port: int = 8501, address: str = "127.0.0.1", headless: bool = True) -> list[str]:
    """The ``streamlit run`` command line for the app."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true" if headless else "false",
        "--client.toolbarMode",
        "minimal",
        "--browser.gatherUsageStats",
        "false",
    ]


def run(
    port: int = 8501,
    address: str = "127.0.0.1",
    headless: bool = True,
    lake_uri: str | None = None,
) -> int:
    """Run the app in the foreground until it is stopped; returns Streamlit's exit code."""
    env = dict(os.environ)
    if lake_uri:
        env["SCANLAKE_LAKE_URI"] = lake_uri
    return subprocess.call(command(port, address, headless), env=env)
