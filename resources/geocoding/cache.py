"""Geocoder answers kept in the lake's ``geocode_cache`` table, hits and misses alike, so a
place asked again (the same corner is called out all day) never costs a second request."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from lake import delta
from lake.location import LakeLocation
from lake.tables import GEOCODE_CACHE
from resources.geocoding.backend import Match

CacheKey = tuple[str, str]  # (query_key, backend cache id)


class GeocodeCache:
    """Reads the answers for a batch of queries once, and writes the new ones in one commit.
    Without a lake location it only remembers answers for its own lifetime."""

    def __init__(self, location: LakeLocation | None) -> None:
        self.location = location
        self._memory: dict[CacheKey, Match | None] = {}

    def lookup(self, query_keys: set[str]) -> dict[CacheKey, Match | None]:
        found = {k: v for k, v in self._memory.items() if k[0] in query_keys}
        if self.location is None or not query_keys:
            return found
        table = delta.read(self.location, GEOCODE_CACHE)
        if table.num_rows == 0:
            return found
        wanted = pc.is_in(table["query_key"], value_set=pa.array(sorted(query_keys), pa.string()))
        for row in table.filter(wanted).to_pylist():
            match = None
            if row["found"]:
                match = Match(
                    row["lat"],
                    row["lon"],
                    row["precision"],
                    row["score"] or 0.0,
                    row["matched"] or "",
                )
            found[(row["query_key"], row["backend"])] = match
        return found

    def store(self, answers: dict[CacheKey, Match | None]) -> int:
        """Record answers; returns how many rows were written."""
        self._memory.update(answers)
        if self.location is None or not answers:
            return 0
        now = dt.datetime.now(dt.UTC)
        rows = [
            {
                "query_key": key,
                "backend": backend,
                "found": match is not None,
                "lat": match.lat if match else None,
                "lon": match.lon if match else None,
                "precision": match.precision if match else None,
                "score": match.score if match else None,
                "matched": match.matched if match else None,
                "cached_at": now,
            }
            for (key, backend), match in answers.items()
        ]
        result = delta.merge(
            self.location, GEOCODE_CACHE, pa.Table.from_pylist(rows, schema=GEOCODE_CACHE.schema)
        )
        return result.rows_inserted + result.rows_updated
