"""The benchmark's webhook receiver on 127.0.0.1: it verifies each alert's signature and
notes when the alert for each call arrived."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from resources.notify.signing import SIGNATURE_HEADER, verify


@dataclass
class Arrivals:
    secret: str
    port: int = 0
    at: dict[str, float] = field(default_factory=dict)  # call_uid -> first arrival (epoch s)
    bad_signatures: int = 0
    duplicates: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/alerts"

    def wait_for(self, call_uid: str, timeout_s: float) -> float | None:
        deadline = time.monotonic() + timeout_s
        with self.changed:
            while call_uid not in self.at:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.changed.wait(left)
            return self.at[call_uid]

    def note(self, body: bytes, signature: str | None) -> None:
        now = time.time()
        if not verify(self.secret, body, signature):
            self.bad_signatures += 1
            return
        uid = json.loads(body)["call_uid"]
        with self.changed:
            if uid in self.at:
                self.duplicates += 1
            else:
                self.at[uid] = now
            self.changed.notify_all()


@contextmanager
def receiving(secret: str) -> Iterator[Arrivals]:
    arrivals = Arrivals(secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            arrivals.note(body, self.headers.get(SIGNATURE_HEADER))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    arrivals.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield arrivals
    finally:
        server.shutdown()
        server.server_close()
