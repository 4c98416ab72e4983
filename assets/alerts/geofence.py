"""Geofences for alert filters: a polygon, or a radius around a point, tested against the
geocoded locations of a call. Coordinates are written ``[lat, lon]``, the order people read
them in; shapely's (x, y) is (lon, lat), which is handled here and nowhere else."""

from __future__ import annotations

import math
from dataclasses import dataclass

from shapely.geometry import Point, Polygon
from shapely.prepared import PreparedGeometry, prep

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Circle:
    lat: float
    lon: float
    radius_m: float

    def contains(self, lat: float, lon: float) -> bool:
        return haversine_m(self.lat, self.lon, lat, lon) <= self.radius_m


@dataclass(frozen=True)
class Area:
    """A polygon given as ``[lat, lon]`` vertices; its boundary counts as inside."""

    vertices: tuple[tuple[float, float], ...]

    def __post_init__(self) -> None:
        if len(self.vertices) < 3:
            raise ValueError("a polygon needs at least 3 vertices")
        shape = Polygon([(lon, lat) for lat, lon in self.vertices])
        if not shape.is_valid:
            raise ValueError("the polygon crosses itself")
        object.__setattr__(self, "_shape", prep(shape))

    def contains(self, lat: float, lon: float) -> bool:
        shape: PreparedGeometry = object.__getattribute__(self, "_shape")
        return bool(shape.covers(Point(lon, lat)))


Geofence = Circle | Area


def check_lat_lon(lat: float, lon: float) -> None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"[{lat}, {lon}] is not a [lat, lon] pair")
