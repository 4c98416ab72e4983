"""The US Census Bureau geocoder, through its batch endpoint.

Request (Geocoding Services API): ``POST {base}/locations/addressbatch`` as
multipart/form-data with a ``benchmark`` field (e.g. ``Public_AR_Current``) and an
``addressFile``: a headerless CSV of ``Unique ID, Street address, City, State, ZIP``, at
most 10,000 rows. Response: a headerless CSV, one row per input in any order:
``"id","input address","Match","Exact","matched address","lon,lat","tigerline id","side"``
for a match, ``"id","input address","No_Match"`` (or ``Tie``) otherwise. The Census places
addresses along TIGER address ranges, so every match is an interpolated one.
"""

from __future__ import annotations

import csv
import io

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from radiotext.streets import parse_street
from resources.geocoding.backend import ADDRESS, GeocodeQuery, GeocoderUnavailable, Match, scrub

MAX_BATCH = 10_000
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class CensusBatchGeocoder:
    name = "census"
    kinds = frozenset({ADDRESS})

    def __init__(
        self,
        base_url: str = "https://geocoding.geo.census.gov/geocoder",
        benchmark: str = "Public_AR_Current",
        state: str = "",
        default_city: str = "",
        batch_size: int = 1000,
        timeout_s: float = 60.0,
        max_retries: int = 3,
        backoff_s: float = 1.0,
    ) -> None:
        self.url = base_url.rstrip("/") + "/locations/addressbatch"
        self.benchmark = benchmark
        self.state = state
        self.default_city = default_city
        self.batch_size = max(1, min(batch_size, MAX_BATCH))
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s

    @property
    def cache_id(self) -> str:
        return f"{self.name}:{self.benchmark}"

    def geocode(self, queries: list[GeocodeQuery]) -> dict[str, Match | None]:
        wanted = [q for q in queries if q.kind == ADDRESS and q.number]
        answers: dict[str, Match | None] = {}
        with httpx.Client(timeout=self.timeout_s) as client:
            for start in range(0, len(wanted), self.batch_size):
                batch = wanted[start : start + self.batch_size]
                body = self._post(client, _address_file(batch, self.default_city, self.state), batch)
                answers.update(_parse_response(body, batch))
        return answers

    def _post(self, client: httpx.Client, address_file: bytes, batch: list[GeocodeQuery]) -> str:
        retrying = Retrying(
            stop=stop_after_attempt(self.max_retries + 1),
            wait=wait_exponential(multiplier=self.backoff_s),
            retry=retry_if_exception_type(_Retryable),
            reraise=True,
        )
        try:
            return retrying(self._post_once, client, address_file, batch)
        except _Retryable as exc:
            raise GeocoderUnavailable(
                self.name, f"gave up after {self.max_retries + 1} attempts ({exc})"
            ) from None

    def _post_once(self, client: httpx.Client, address_file: bytes, batch: list[GeocodeQuery]) -> str:
        try:
            response = client.post(
                self.url,
                data={"benchmark": self.benchmark},
                files={"addressFile": ("addresses.csv", address_file, "text/csv")},
            )
        except httpx.TransportError as exc:
            raise _Retryable(f"{type(exc).__name__}: {scrub(str(exc), batch)}") from None
        if response.status_code in _RETRY_STATUS:
            raise _Retryable(f"HTTP {response.status_code}")
        if response.status_code != 200:
            # The Census error page quotes the rows it choked on: addresses.
            raise GeocoderUnavailable(
                self.name, f"HTTP {response.status_code}: {scrub(response.text, batch)[:200]}"
            )
        return response.text


class _Retryable(Exception):
    """A failure the next attempt may not meet: no connection, a timeout, 429 or a 5xx."""


def _address_file(batch: list[GeocodeQuery], default_city: str, state: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i, query in enumerate(batch):
        parsed = parse_street(query.street)
        street = parsed.spoken if parsed else query.street
        writer.writerow([i, f"{query.number} {street}", query.city or default_city, state, ""])
    return out.getvalue().encode()


def _parse_response(body: str, batch: list[GeocodeQuery]) -> dict[str, Match | None]:
    answers: dict[str, Match | None] = {}
    for row in csv.reader(io.StringIO(body)):
        if not row:
            continue
        if len(row) < 3 or not row[0].strip().isdigit() or int(row[0]) >= len(batch):
            # row[1] is the address as the Census read it: named by position only
            raise GeocoderUnavailable("census", f"malformed batch response row (id {row[0][:12]!r}, {len(row)} fields)")
        query = batch[int(row[0])]
        if row[2] != "Match":
            answers[query.key] = None  # No_Match, or a Tie the Census will not break for us
            continue
        try:
            lon_text, lat_text = row[5].split(",")
            lon, lat = float(lon_text), float(lat_text)
        except (IndexError, ValueError) as exc:
            raise GeocoderUnavailable(
                "census", f"malformed coordinates in row {row[0]}: {row[5:6]}"
            ) from exc
        score = 1.0 if row[3] == "Exact" else 0.85
        answers[query.key] = Match(lat, lon, "interpolated", score, row[4])
    return answers
