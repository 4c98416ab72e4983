"""The local gazetteer backend: offline geocoding against the lake's ``gazetteer`` table.

Addresses are placed on an exact address point (rooftop), on a TIGER range or between the
two nearest numbered points of the street (interpolated), or, when the number is off the
street's ends, at the nearest numbered point (street). Intersections are the closest
approach of the two streets' points and lines. Streets are matched fuzzily (see ``fuzzy``).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
from shapely import wkt as shapely_wkt
from shapely.geometry import LineString, MultiPoint
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, unary_union

from radiotext.fuzzy import StreetIndex, StreetMatch
from radiotext.streets import leading_number, parse_street
from resources.geocoding.backend import ADDRESS, CITY, INTERSECTION, STREET, GeocodeQuery, Match
from resources.geocoding.metric import LocalMetres
from resources.geocoding.placing import AddressRange, Street

# Least score (street similarity times how well the number places) of a placed address.
MIN_ADDRESS_SCORE = 0.7


class LocalGazetteer:
    """Geocoder backend over gazetteer rows (OpenAddresses points and TIGER ranges)."""

    name = "gazetteer"
    kinds = frozenset({ADDRESS, INTERSECTION, STREET, CITY})

    def __init__(
        self,
        rows: pa.Table,
        min_score: float = 0.75,
        max_corner_gap_m: float = 120.0,
        min_address_score: float = MIN_ADDRESS_SCORE,
    ) -> None:
        self.min_score = min_score
        self.min_address_score = min_address_score
        self.max_corner_gap_m = max_corner_gap_m
        # street key -> town -> street: two towns' Oak Avenues are different streets
        self.streets: dict[str, dict[str, Street]] = {}
        self.city_points: dict[str, list[tuple[float, float]]] = {}
        self._geometries: dict[tuple[str, str], BaseGeometry | None] = {}
        self._load(rows)
        self.index = StreetIndex(self.streets)
        shas = sorted(set(rows.column("file_sha256").to_pylist())) if rows.num_rows else []
        self._version = hashlib.sha256("".join(shas).encode()).hexdigest()[:12]
        lats = [p[1] for s in self._all() for p in s.points + s.others]
        self._metres = LocalMetres.at(float(np.mean(lats)) if lats else 0.0)

    @property
    def cache_id(self) -> str:
        # Answers depend on the data: a new gazetteer file must not be served old answers.
        return f"{self.name}@{self._version}"

    def street_names(self) -> list[str]:
        """Canonical keys of every known street: the vocabulary for entity extraction."""
        return sorted(self.streets)

    def extent(self) -> tuple[float, float, float, float] | None:
        """(min_lon, min_lat, max_lon, max_lat) of all points, or None when empty."""
        coords = [p for s in self._all() for p in s.points + s.others]
        coords += [c for s in self._all() for r in s.ranges for c in r.line.coords]
        if not coords:
            return None
        arr = np.asarray(coords)
        return (
            float(arr[:, 0].min()),
            float(arr[:, 1].min()),
            float(arr[:, 0].max()),
            float(arr[:, 1].max()),
        )

    def _all(self) -> list[Street]:
        return [s for towns in self.streets.values() for s in towns.values()]

    def _load(self, rows: pa.Table) -> None:
        data = rows.select(
            [
                "kind",
                "number",
                "street_key",
                "city",
                "lon",
                "lat",
                "from_number",
                "to_number",
                "parity",
                "line_wkt",
            ]
        ).to_pylist()
        for row in data:
            town = (row["city"] or "").upper()
            street = self.streets.setdefault(row["street_key"], {}).setdefault(town, Street())
            if row["kind"] == "range" and row["line_wkt"]:
                line = shapely_wkt.loads(row["line_wkt"])
                street.ranges.append(
                    AddressRange(
                        row["from_number"], row["to_number"], row["parity"] or "both", line
                    )
                )
                continue
            if row["lon"] is None or row["lat"] is None:
                continue
            point = (row["lon"], row["lat"])
            if row["city"]:
                self.city_points.setdefault(row["city"].upper(), []).append(point)
            number = leading_number(row["number"])
            if number is None:
                street.others.append(point)
            else:
                street.numbers.append(number)
                street.points.append(point)

    # -- the Backend interface -------------------------------------------------------------

    def geocode(self, queries: list[GeocodeQuery]) -> dict[str, Match | None]:
        return {q.key: self.locate(q) for q in queries}

    def locate(self, query: GeocodeQuery) -> Match | None:
        if query.kind == ADDRESS and query.number.isdigit():
            return self._address(query)
        if query.kind == INTERSECTION:
            return self._intersection(query)
        if query.kind in (STREET, ADDRESS):
            return self._street(query)
        if query.kind == CITY:
            return self._city(query.city)
        return None

    def _candidates(self, street_text: str, city: str) -> list[tuple[StreetMatch, str]]:
        """(match, town) pairs; a named town narrows them to its own streets if it has any."""
        parsed = parse_street(street_text)
        if parsed is None:
            return []
        found = [
            (m, town)
            for m in self.index.match(parsed, limit=6, min_score=self.min_score)
            for town in self.streets[m.key]
        ]
        in_city = [(m, town) for m, town in found if town == city.upper()] if city else []
        return in_city or found

    def _address(self, query: GeocodeQuery) -> Match | None:
        number = int(query.number)
        best: Match | None = None
        for cand, town in self._candidates(query.street, query.city):
            placed = self.streets[cand.key][town].place(number)
            if placed is None:
                continue
            (lon, lat), precision, factor = placed
            match = Match(
                lat,
                lon,
                precision,
                round(cand.score * factor, 4),
                _named(f"{number} {cand.key}", town),
            )
            if best is None or (match.score, -match.rank[0]) > (best.score, -best.rank[0]):
                best = match
        # A doubtful address (a street barely like the heard one, a number far off its
        # ends) is left unplaced: no point beats a wrong point.
        return best if best is not None and best.score >= self.min_address_score else None

    def _intersection(self, query: GeocodeQuery) -> Match | None:
        best: Match | None = None
        for a, town in self._candidates(query.street, query.city)[:6]:
            for b, other in self._candidates(query.cross_street, query.city)[:6]:
                if a.key == b.key or town != other:
                    continue
                ga, gb = self._geometry(a.key, town), self._geometry(b.key, town)
                if ga is None or gb is None:
                    continue
                pa_, pb_ = nearest_points(ga, gb)
                gap = pa_.distance(pb_)
                if gap > self.max_corner_gap_m:
                    continue
                lon, lat = self._metres.to_degrees((pa_.x + pb_.x) / 2, (pa_.y + pb_.y) / 2)
                score = round(min(a.score, b.score) * (1 - 0.3 * gap / self.max_corner_gap_m), 4)
                match = Match(lat, lon, "intersection", score, _named(f"{a.key} & {b.key}", town))
                if best is None or match.score > best.score:
                    best = match
        return best

    def _street(self, query: GeocodeQuery) -> Match | None:
        found = self._candidates(query.street, query.city)
        if not found:
            return None
        best, town = found[0]
        street = self.streets[best.key][town]
        coords = street.points + street.others + [c for r in street.ranges for c in r.line.coords]
        if not coords:
            return None
        arr = np.asarray(coords)
        centre = arr.mean(axis=0)
        # The point of the street nearest its centroid: a curved street's centroid is off it.
        nearest = arr[int(np.argmin(((arr - centre) ** 2).sum(axis=1)))]
        return Match(
            float(nearest[1]),
            float(nearest[0]),
            "street",
            round(best.score * 0.8, 4),
            _named(best.key, town),
        )

    def _city(self, city: str) -> Match | None:
        points = self.city_points.get(city.upper())
        if not points:
            return None
        lon, lat = np.asarray(points).mean(axis=0)
        return Match(float(lat), float(lon), "city", 0.5, city.upper())

    def _geometry(self, key: str, town: str) -> BaseGeometry | None:
        if (key, town) not in self._geometries:
            self._geometries[(key, town)] = self._build_geometry(self.streets[key][town])
        return self._geometries[(key, town)]

    def _build_geometry(self, street: Street) -> BaseGeometry | None:
        parts: list[BaseGeometry] = []
        coords = street.points + street.others
        if coords:
            parts.append(MultiPoint([self._metres.to_metres(*c) for c in coords]))
        parts += [
            LineString([self._metres.to_metres(*c) for c in r.line.coords]) for r in street.ranges
        ]
        return unary_union(parts) if parts else None


def _named(place: str, town: str) -> str:
    return f"{place}, {town}" if town else place

