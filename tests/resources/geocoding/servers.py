"""Local HTTP servers on 127.0.0.1 that speak the geocoding services' documented formats.

- ``LocalCensus``: the Census Geocoder's batch endpoint, ``POST
  /geocoder/locations/addressbatch`` with multipart/form-data fields ``benchmark`` and
  ``addressFile`` (a headerless CSV: id, street, city, state, zip); it answers a headerless
  CSV, one row per input: ``"id","input","Match","Exact","matched","lon,lat","tlid","side"``
  or ``"id","input","No_Match"`` / ``"Tie"``. An unknown benchmark is a 400.
- ``LocalNominatim``: ``GET /search?q=...&format=json|jsonv2&viewbox=...&bounded=1``,
  answering a JSON array of places (``lat``/``lon`` as strings; jsonv2 has ``category``,
  ``place_rank`` and ``addresstype``, json has ``class``). Stock library User-Agents get a
  403, as the usage policy says; ``bounded=1`` drops places outside the viewbox.

Both count requests (the cache tests assert on them) and can be told to fail the next N.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

_SUFFIXES = {
    "STREET": "ST",
    "AVENUE": "AVE",
    "ROAD": "RD",
    "LANE": "LN",
    "DRIVE": "DR",
    "BOULEVARD": "BLVD",
}
BENCHMARKS = frozenset({"Public_AR_Current", "Public_AR_Census2020", "4", "2020"})


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = 0.0


class _Service:
    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.failures: list[int] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def hits(self) -> int:
        return len(self.seen)

    def fail_next(self, count: int, status: int = 503) -> None:
        self.failures += [status] * count

    def start(self):
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def answer(self, seen: Seen) -> tuple[int, str, bytes]:
        raise NotImplementedError

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _serve(self, method: str) -> None:
                url = urlparse(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                seen = Seen(
                    method,
                    url.path,
                    {k: v[0] for k, v in parse_qs(url.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    at=time.monotonic(),
                )
                if self.headers.get_content_type() == "multipart/form-data":
                    seen.form, seen.files = _multipart(self.headers["Content-Type"], body)
                with service._lock:
                    service.seen.append(seen)
                    failure = service.failures.pop(0) if service.failures else None
                if failure is not None:
                    status, ctype, payload = (
                        failure,
                        "text/html",
                        b"<html>Service Unavailable</html>",
                    )
                else:
                    status, ctype, payload = service.answer(seen)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

        return Handler


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, bytes]]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    form: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            files[name] = payload
        else:
            form[name] = payload.decode()
    return form, files


@dataclass(frozen=True)
class CensusAddress:
    street: str  # as the Census would parse it, e.g. "1220 OAK ST"
    lon: float
    lat: float
    city: str = ""
    tie: bool = False


class LocalCensus(_Service):
    def __init__(self, addresses: list[CensusAddress]) -> None:
        super().__init__()
        self.addresses = addresses
        self.rows_received: list[list[str]] = []
        self.quote_rows_in_errors: int | None = None

    def answer(self, seen: Seen) -> tuple[int, str, bytes]:
        if seen.method != "POST" or seen.path != "/geocoder/locations/addressbatch":
            return 404, "text/plain", b"not found"
        if self.quote_rows_in_errors and "addressFile" in seen.files:
            # As the Census does for a file it cannot read: the error page quotes the rows.
            rows = [", ".join(r[1:4]) for r in csv.reader(io.StringIO(seen.files["addressFile"].decode())) if r]
            return self.quote_rows_in_errors, "text/plain", ("Error: cannot parse " + "; ".join(rows)).encode()
        if seen.form.get("benchmark") not in BENCHMARKS:
            return 400, "text/plain", b"Error: Invalid benchmark"
        if "addressFile" not in seen.files:
            return 400, "text/plain", b"Error: addressFile is required"
        out = io.StringIO()
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        for row in csv.reader(io.StringIO(seen.files["addressFile"].decode())):
            if not row:
                continue
            self.rows_received.append(row)
            uid, street, city, state, zip_code = (row + [""] * 5)[:5]
            given = f"{street}, {city}, {state}, {zip_code}"
            found = self._find(street, city)
            if found is None:
                writer.writerow([uid, given, "No_Match"])
            elif found.tie:
                writer.writerow([uid, given, "Tie"])
            else:
                exact = "Exact" if street.upper() == found.street else "Non_Exact"
                matched = f"{found.street}, {found.city.upper()}, {state}, 36067"
                writer.writerow(
                    [
                        uid,
                        given,
                        "Match",
                        exact,
                        matched,
                        f"{found.lon},{found.lat}",
                        "636591430",
                        "L",
                    ]
                )
        return 200, "text/plain", out.getvalue().encode()

    def _find(self, street: str, city: str) -> CensusAddress | None:
        # The real service normalizes suffixes itself; here a spelled-out suffix also matches.
        words = [_SUFFIXES.get(w, w) for w in street.upper().split()]
        wanted = " ".join(words)
        for a in self.addresses:
            if a.street == wanted and (not city or not a.city or a.city.upper() == city.upper()):
                return a
        return None


@dataclass(frozen=True)
class NominatimPlace:
    match: str  # lower-case text that must appear in q
    lat: float
    lon: float
    place_rank: int = 30
    category: str = "place"
    type: str = "house"
    addresstype: str = "place"
    display_name: str = ""


_STOCK_AGENTS = ("python-requests", "python-urllib", "geopy/")


class LocalNominatim(_Service):
    def __init__(self, places: list[NominatimPlace]) -> None:
        super().__init__()
        self.places = places

    def answer(self, seen: Seen) -> tuple[int, str, bytes]:
        if seen.path != "/search":
            return 404, "text/plain", b"not found"
        agent = seen.headers.get("user-agent", "").lower()
        if not agent or agent.startswith(_STOCK_AGENTS):
            return 403, "text/html", b"<html>Access blocked: see the usage policy</html>"
        fmt = seen.query.get("format", "xml")
        if fmt not in ("json", "jsonv2"):
            return 400, "text/plain", b"unsupported format for this test server"
        q = seen.query.get("q", "").lower()
        found = [p for p in self.places if p.match in q]
        if seen.query.get("bounded") == "1" and "viewbox" in seen.query:
            x1, y1, x2, y2 = (float(v) for v in seen.query["viewbox"].split(","))
            found = [
                p
                for p in found
                if min(x1, x2) <= p.lon <= max(x1, x2) and min(y1, y2) <= p.lat <= max(y1, y2)
            ]
        found = found[: int(seen.query.get("limit", "10"))]
        return (
            200,
            "application/json",
            json.dumps([_place(p, i, fmt) for i, p in enumerate(found)]).encode(),
        )


def _place(p: NominatimPlace, i: int, fmt: str) -> dict[str, object]:
    out: dict[str, object] = {
        "place_id": 1000 + i,
        "licence": "Data (c) OpenStreetMap contributors, ODbL 1.0. https://osm.org/copyright",
        "osm_type": "node",
        "osm_id": 5000 + i,
        "lat": f"{p.lat:.7f}",
        "lon": f"{p.lon:.7f}",
        "type": p.type,
        "importance": 0.3,
        "display_name": p.display_name or p.match.title(),
        "boundingbox": [
            f"{p.lat - 0.0001:.7f}",
            f"{p.lat + 0.0001:.7f}",
            f"{p.lon - 0.0001:.7f}",
            f"{p.lon + 0.0001:.7f}",
        ],
    }
    if fmt == "jsonv2":
        out.update(category=p.category, place_rank=p.place_rank, addresstype=p.addresstype, name="")
    else:
        out["class"] = p.category
    return out
