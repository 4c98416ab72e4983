"""OpenStreetMap's Nominatim, through geopy, inside the usage policy: at most one request
per second, an identifying User-Agent, and a search bounded to the county's viewbox.

Requests are ``GET {url}/search?q=...&format=jsonv2&viewbox=lon1,lat1,lon2,lat2&bounded=1
&limit=1&countrycodes=us``; the answer is a JSON array of places with ``lat``/``lon`` as
strings, ``category``, ``type``, ``place_rank`` and ``addresstype`` (jsonv2 fields).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from geopy.exc import GeocoderServiceError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.location import Location
from geopy.point import Point

from resources.geocoding.backend import (
    ADDRESS,
    CITY,
    STREET,
    GeocodeQuery,
    GeocoderUnavailable,
    Match,
    scrub,
)


class _NominatimJsonV2(Nominatim):
    """geopy's Nominatim asks for ``format=json``; jsonv2 adds ``place_rank`` and
    ``addresstype``, which tell a house from a street from a town. geopy documents
    ``_construct_url`` as the hook for extending the parameters."""

    def _construct_url(self, base_api: str, params: dict[str, object]) -> str:
        return super()._construct_url(base_api, {**params, "format": "jsonv2"})


class NominatimGeocoder:
    name = "nominatim"
    kinds = frozenset({ADDRESS, STREET, CITY})
    cache_id = "nominatim"

    def __init__(
        self,
        url: str,
        user_agent: str,
        viewbox: tuple[float, float, float, float] | None,
        region: str = "",
        default_city: str = "",
        min_delay_s: float = 1.0,
        timeout_s: float = 10.0,
        max_retries: int = 2,
        retry_wait_s: float = 2.0,
    ) -> None:
        if not user_agent.strip():
            raise ValueError("Nominatim's usage policy requires an identifying User-Agent")
        parts = urlsplit(url)
        self._geocoder = _NominatimJsonV2(
            domain=parts.netloc + parts.path.rstrip("/"),
            scheme=parts.scheme or "https",
            user_agent=user_agent,
            timeout=timeout_s,
        )
        self._search = RateLimiter(
            self._geocoder.geocode,
            min_delay_seconds=min_delay_s,
            max_retries=max_retries,
            error_wait_seconds=max(retry_wait_s, min_delay_s),  # geopy requires it
            swallow_exceptions=False,
        )
        self.viewbox = viewbox
        self.region = region
        self.default_city = default_city

    def geocode(self, queries: list[GeocodeQuery]) -> dict[str, Match | None]:
        answers: dict[str, Match | None] = {}
        for query in queries:
            if query.kind not in self.kinds:
                continue
            answers[query.key] = self._one(query)
        return answers

    def _one(self, query: GeocodeQuery) -> Match | None:
        parts = [query.text]
        if query.kind != CITY and (query.city or self.default_city):
            parts.append(query.city or self.default_city)
        if self.region:
            parts.append(self.region)
        kwargs: dict[str, object] = {"exactly_one": True, "country_codes": "us"}
        if self.viewbox:
            min_lon, min_lat, max_lon, max_lat = self.viewbox
            kwargs.update(viewbox=[Point(min_lat, min_lon), Point(max_lat, max_lon)], bounded=True)
        try:
            found = self._search(", ".join(parts), **kwargs)
        except GeocoderServiceError as exc:
            raise GeocoderUnavailable(self.name, f"{type(exc).__name__}: {scrub(str(exc), [query])}") from exc
        return _match(found) if isinstance(found, Location) else None


def _match(found: Location) -> Match:
    raw = found.raw
    rank = int(raw.get("place_rank") or 0)
    kind = str(raw.get("addresstype") or raw.get("type") or "")
    if rank >= 28 or kind in ("house", "building"):
        precision, score = "rooftop", 0.9
    elif rank >= 26 or kind in ("road", "street"):
        precision, score = "street", 0.6
    else:
        precision, score = "city", 0.3
    return Match(found.latitude, found.longitude, precision, score, found.address or "")
