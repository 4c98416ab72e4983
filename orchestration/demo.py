"""The one-command demo: simulate a county's traffic that ends now, run every layer on a
local lake, and deliver its alerts to a local inbox, so a first look at the app shows
live-looking calls, places and alerts.

The inbox is a webhook on 127.0.0.1 that the demo runs for as long as it runs: each alert
the pipeline delivers there is appended to ``<workdir>/demo-inbox.jsonl``. Nothing leaves
the machine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DEMO_ALERTS = Path(__file__).parent / "demo_config" / "alerts.yaml"
INBOX_CHANNEL_ENV = "SCANLAKE_NOTIFY_DEMO_INBOX"
INBOX_FILE = "demo-inbox.jsonl"
# The traffic's last call ends this long before the demo starts: the newest call in the
# app is minutes old, as on a live feed.
END_BEFORE_NOW = dt.timedelta(minutes=1)
_MAX_BODY_BYTES = 1 << 20


@dataclass(frozen=True)
class DemoPaths:
    workdir: Path
    lake: Path
    dagster_home: Path
    sim: Path
    alerts_config: Path
    inbox: Path

    @classmethod
    def under(cls, workdir: Path) -> DemoPaths:
        workdir = workdir.resolve()
        return cls(
            workdir=workdir,
            lake=workdir / "lake",
            dagster_home=workdir / "dagster_home",
            sim=workdir / "sim",
            alerts_config=workdir / "alerts.yaml",
            inbox=workdir / INBOX_FILE,
        )


def traffic_end(now: dt.datetime | None = None) -> dt.datetime:
    """When the demo's simulated traffic ends: just before now."""
    return (now or dt.datetime.now(dt.UTC)) - END_BEFORE_NOW


def write_alerts_config(paths: DemoPaths) -> Path:
    """The demo's alerts YAML, beside its lake (the user may edit the copy)."""
    paths.workdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DEMO_ALERTS, paths.alerts_config)
    return paths.alerts_config


def _handler(inbox: Path, lock: threading.Lock) -> type[BaseHTTPRequestHandler]:
    class Inbox(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= _MAX_BODY_BYTES:
                self.send_response(413 if length else 400)
                self.end_headers()
                return
            body = self.rfile.read(length)
            try:
                payload = json.loads(body)
            except ValueError:
                self.send_response(400)
                self.end_headers()
                return
            record = {"received_at": dt.datetime.now(dt.UTC).isoformat(), "alert": payload}
            with lock, inbox.open("a", encoding="utf-8") as out:
                out.write(json.dumps(record) + "\n")
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return  # the demo's console shows progress bars, not request lines

    return Inbox


@contextmanager
def local_inbox(inbox: Path) -> Iterator[str]:
    """A webhook on 127.0.0.1 (a free port) appending each POSTed alert to ``inbox``;
    yields the Apprise URL that delivers to it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(inbox, threading.Lock()))
    thread = threading.Thread(target=server.serve_forever, name="demo-inbox", daemon=True)
    thread.start()
    try:
        yield f"json://127.0.0.1:{server.server_address[1]}/inbox"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def inbox_alerts(inbox: Path) -> list[dict[str, object]]:
    """The alerts the demo's inbox received."""
    if not inbox.exists():
        return []
    return [json.loads(line) for line in inbox.read_text(encoding="utf-8").splitlines() if line]


def demo_environment(paths: DemoPaths) -> dict[str, str]:
    """The settings the demo runs with; ones the user already set are kept."""
    wanted = {
        "SCANLAKE_LAKE_URI": str(paths.lake),
        "DAGSTER_HOME": str(paths.dagster_home),
        "SCANLAKE_ALERTS_CONFIG": str(paths.alerts_config),
    }
    return {k: os.environ.get(k) or v for k, v in wanted.items()}
