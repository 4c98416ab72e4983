"""A local HTTP server on 127.0.0.1 that speaks the Broadcastify Calls API's documented
shapes: it verifies each request's JWT (kid, HS256 signature, iss, exp, and the user's
sub/utk where the feed needs one), answers ``/calls/v1/live/`` by ``pos``, trades a
username and password for a user token, and serves call audio. Scripted faults (status,
body, delay) let tests drive retries, timeouts and broken answers."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt


@dataclass
class Fault:
    status: int = 503
    body: bytes = b'{"errors": [{"code": "500", "title": "Service Unavailable"}]}'
    delay_s: float = 0.0
    content_type: str = "application/json"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    at: float  # time.monotonic() when the request arrived
    claims: dict[str, object] | None = None


@dataclass
class LocalBroadcastify:
    api_key_id: str = "kid-7f3a"
    api_key_secret: str = "s3cret-signing-key-for-tests-only"
    app_id: str = "app-61c2"
    user: tuple[str, str, int, str] | None = None  # username, password, uid, token
    calls: list[dict[str, object]] = field(default_factory=list)
    audio: dict[str, bytes] = field(default_factory=dict)
    faults: dict[str, list[Fault]] = field(default_factory=dict)  # path -> next faults
    seen: list[Seen] = field(default_factory=list)
    server_time: int | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False  # a handler stalled by a delay fault is not waited for
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> LocalBroadcastify:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def add_call(
        self, group_id: str, ts: int, audio: bytes, duration: float | None = 3.0, **extra: object
    ) -> dict[str, object]:
        name = f"{group_id}-{ts}.mp3"
        record: dict[str, object] = {
            "groupId": group_id,
            "ts": ts,
            "start_ts": ts,
            "end_ts": ts + int(duration) if duration is not None else None,
            "duration": duration,
            "sid": int(group_id.split("-")[0]) if group_id.split("-")[0].isdigit() else None,
            "siteId": 3,
            "freq": 851.0125,
            "src": 1403127,
            "display": "PD Dispatch",
            "descr": "Police Dispatch",
            "grouping": "City Police",
            "tag": "Law Dispatch",
            "url": f"{self.base_url}/audio/{name}",
        }
        record.update(extra)
        with self._lock:
            self.calls.append(record)
            self.audio[name] = audio
        return record

    def fail_next(self, path: str, *faults: Fault) -> None:
        with self._lock:
            self.faults.setdefault(path, []).extend(faults)

    def requests_to(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path == path]

    # -- what the handler asks ----------------------------------------------------------

    def _next_fault(self, path: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(path)
            return queue.pop(0) if queue else None

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def _verify(self, header: str | None, need_user: bool) -> tuple[int, dict[str, object]]:
        """(status, claims or error body) for an Authorization header."""
        if not header or not header.startswith("Bearer "):
            return 401, _error("100", "Missing JWT")
        token = header.removeprefix("Bearer ")
        try:
            if jwt.get_unverified_header(token).get("kid") != self.api_key_id:
                return 401, _error("108", "Invalid API Key ID")
            # Broadcastify's sub is the numeric user id, which RFC 7519 strictness rejects
            claims = jwt.decode(
                token,
                self.api_key_secret,
                algorithms=["HS256"],
                issuer=self.app_id,
                options={"require": ["exp", "iat", "iss"], "verify_sub": False},
            )
        except jwt.PyJWTError:
            return 401, _error("103", "Invalid JWT")
        if need_user and self.user is not None:
            _, _, uid, utk = self.user
            if claims.get("sub") != uid or claims.get("utk") != utk:
                return 403, _error("110", "User authentication required")
        return 200, claims

    def _live(self, query: dict[str, str]) -> tuple[int, dict[str, object]]:
        chosen = [k for k in ("sid", "groups", "playlist_uuid", "nodeId") if k in query]
        if len(chosen) != 1:
            return 400, _error("400", "Exactly one of sid, groups, playlist_uuid, nodeId")
        now = self.server_time if self.server_time is not None else int(time.time())
        pos = int(query["pos"]) if "pos" in query else now - 300
        with self._lock:
            calls = [c for c in self.calls if int(c["ts"]) > pos and _matches(c, query)]  # type: ignore[call-overload]
        calls.sort(key=lambda c: c["ts"])  # type: ignore[arg-type, return-value]
        last = max((int(c["ts"]) for c in calls), default=0)  # type: ignore[call-overload]
        return 200, {"serverTime": now, "lastPos": last, "calls": calls}


def _matches(call: dict[str, object], query: dict[str, str]) -> bool:
    group = str(call["groupId"])
    if "sid" in query:
        return group.split("-")[0] == query["sid"]
    if "groups" in query:
        return group in query["groups"].split(",")
    return True


def _error(code: str, title: str) -> dict[str, object]:
    return {"errors": [{"code": code, "title": title}]}


def _handler(api: LocalBroadcastify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet: tests read the records instead
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            url = urlparse(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()} if length else {}
            seen = Seen(method, url.path, query, time.monotonic())
            api._record(seen)
            fault = api._next_fault(url.path)
            if fault is not None:
                time.sleep(fault.delay_s)
                self._send(fault.status, fault.body, fault.content_type)
                return
            if url.path.startswith("/audio/"):
                data = api.audio.get(url.path.removeprefix("/audio/"))
                if data is None:
                    self._send(404, b"not found", "text/plain")
                else:
                    self._send(200, data, "audio/mpeg")
                return
            need_user = url.path == "/calls/v1/live/"
            status, claims = api._verify(self.headers.get("Authorization"), need_user)
            if status != 200:
                self._json(status, claims)
                return
            seen.claims = claims
            if method == "GET" and url.path == "/calls/v1/live/":
                self._json(*api._live(query))
            elif method == "POST" and url.path == "/common/v1/auth":
                user = api.user
                if user and (form.get("username"), form.get("password")) == user[:2]:
                    self._json(200, {"uid": user[2], "token": user[3], "exp": int(time.time()) + 3600})
                else:
                    self._json(401, _error("120", "Invalid username or password"))
            else:
                self._json(404, _error("404", "No such endpoint"))

        def _json(self, status: int, body: dict[str, object]) -> None:
            self._send(status, json.dumps(body).encode(), "application/json")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing left to answer

    return Handler
