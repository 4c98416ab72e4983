"""Real local receivers for notification tests: an HTTP server on 127.0.0.1 that takes JSON
webhooks and speaks signal-cli-rest-api's ``POST /v2/send``, and an aiosmtpd SMTP server."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class HttpReceiver:
    """Records every POST. ``fail_next`` requests get ``fail_status`` first; with
    ``fail_always`` every request does. ``/v2/send`` is checked against the Signal REST
    API's request shape (message, number, recipients) and answered like it (201)."""

    port: int = 0
    requests: list[Received] = field(default_factory=list)
    fail_next: int = 0
    fail_always: bool = False
    fail_status: int = 500
    # some receivers quote the request in their error reply
    echo_on_failure: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def accepted(self) -> list[Received]:
        return [r for r in self.requests if r.headers.get("x-test-outcome") == "accepted"]

    def _answer(self, path: str, body: bytes) -> tuple[int, dict]:
        with self.lock:
            if self.fail_always or self.fail_next > 0:
                self.fail_next = max(0, self.fail_next - 1)
                echoed = body.decode(errors="replace") if self.echo_on_failure else ""
                return self.fail_status, {"error": "receiver told to fail", "request": echoed}
        if path == "/v2/send":
            data = json.loads(body)
            ok = (
                isinstance(data.get("message"), str)
                and isinstance(data.get("number"), str)
                and isinstance(data.get("recipients"), list)
                and data["recipients"]
            )
            return (
                (201, {"timestamp": str(int(time.time() * 1000))})
                if ok
                else (400, {"error": "bad request"})
            )
        return 200, {"ok": True}


@contextmanager
def http_receiver(**kwargs: object) -> Iterator[HttpReceiver]:
    receiver = HttpReceiver(**kwargs)  # type: ignore[arg-type]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, reply = receiver._answer(self.path, body)
            headers = {k.lower(): v for k, v in self.headers.items()}
            headers["x-test-outcome"] = "accepted" if 200 <= status < 300 else "refused"
            receiver.requests.append(Received(self.path, headers, body, time.time()))
            payload = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class SmtpReceiver:
    port: int
    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))  # type: ignore[attr-defined]
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_receiver() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver(free_port())
    controller = Controller(receiver, hostname="127.0.0.1", port=receiver.port)
    controller.start()
    try:
        yield receiver
    finally:
        controller.stop()
