"""Metres on the ground near a county: an equirectangular projection about one latitude.
Across a county's few tens of kilometres its error is far below a house lot, and it keeps
distance tests and corner-finding in plain planar geometry."""

from __future__ import annotations

import math
from dataclasses import dataclass

M_PER_DEG = 111_320.0


@dataclass(frozen=True)
class LocalMetres:
    cos_lat: float

    @classmethod
    def at(cls, lat: float) -> LocalMetres:
        return cls(math.cos(math.radians(lat)))

    def to_metres(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * M_PER_DEG * self.cos_lat, lat * M_PER_DEG

    def to_degrees(self, x: float, y: float) -> tuple[float, float]:
        """(lon, lat) of a projected point."""
        return x / (M_PER_DEG * self.cos_lat), y / M_PER_DEG


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in metres between two (lat, lon) points near each other."""
    dy = (a[0] - b[0]) * M_PER_DEG
    dx = (a[1] - b[1]) * M_PER_DEG * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)
