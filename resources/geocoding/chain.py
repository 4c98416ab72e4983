"""The geocoder: a chain of backends behind one call, with the cache in front and the
county behind.

Each backend is asked only what the cache cannot answer for it, and only queries that no
earlier backend has placed precisely (rooftop, interpolated or intersection); a coarse
street- or city-level match is kept unless a later backend does better. Every answer,
found or not, is cached under the backend's cache id. A match farther outside the county
than its margin is rejected: it is reported, never returned as a place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from resources.geocoding.area import ServiceArea
from resources.geocoding.backend import PRECISE, Backend, GeocodeQuery, GeocoderUnavailable, Match
from resources.geocoding.cache import CacheKey, GeocodeCache


@dataclass(frozen=True)
class Placement:
    match: Match
    backend: str


@dataclass
class GeocodeOutcome:
    placed: dict[str, Placement] = field(default_factory=dict)  # by query key
    rejected: dict[str, Placement] = field(default_factory=dict)  # outside the county
    unavailable: dict[str, str] = field(default_factory=dict)  # backend name -> why
    asked: dict[str, int] = field(default_factory=dict)  # backend name -> queries sent
    cache_hits: int = 0
    cached_rows: int = 0


class Geocoder:
    def __init__(
        self, backends: list[Backend], cache: GeocodeCache, area: ServiceArea | None
    ) -> None:
        self.backends = backends
        self.cache = cache
        self.area = area

    def geocode(self, queries: Iterable[GeocodeQuery]) -> GeocodeOutcome:
        unique = {q.key: q for q in queries}
        outcome = GeocodeOutcome()
        known = self.cache.lookup(set(unique))
        fresh: dict[CacheKey, Match | None] = {}
        for backend in self.backends:
            todo = [
                q
                for q in unique.values()
                if q.kind in backend.kinds
                and not (
                    q.key in outcome.placed and outcome.placed[q.key].match.precision in PRECISE
                )
            ]
            missing = [q for q in todo if (q.key, backend.cache_id) not in known]
            outcome.cache_hits += len(todo) - len(missing)
            if missing:
                outcome.asked[backend.name] = len(missing)
                try:
                    answers = backend.geocode(missing)
                except GeocoderUnavailable as exc:
                    # Not cached: the next run asks again once the service is back.
                    outcome.unavailable[backend.name] = exc.detail
                    answers = {}
                for key, match in answers.items():
                    known[(key, backend.cache_id)] = fresh[(key, backend.cache_id)] = match
            for query in todo:
                match = known.get((query.key, backend.cache_id))
                if match is not None:
                    self._consider(outcome, query.key, Placement(match, backend.name))
        outcome.rejected = {k: v for k, v in outcome.rejected.items() if k not in outcome.placed}
        outcome.cached_rows = self.cache.store(fresh)
        return outcome

    def _consider(self, outcome: GeocodeOutcome, key: str, placement: Placement) -> None:
        match = placement.match
        if self.area is not None and not self.area.accepts(match.lat, match.lon):
            outcome.rejected.setdefault(key, placement)
            return
        current = outcome.placed.get(key)
        if current is None or match.rank < current.match.rank:
            outcome.placed[key] = placement
