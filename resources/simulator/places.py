"""What a gazetteer is made of: streets with house-number ranges, their crossings,
highways with mile markers, and address points.

A street's number-to-position mapping is one piecewise linear function along its centre
line, odd numbers set off to the left of travel and even to the right. The simulator uses
the same function to list address points and to place any number a dispatcher says, so a
geocoder that interpolates along the street lands where the ground truth says.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from resources.simulator import county

_SIDE_OFFSET_M = 12.0  # a house sits off the centre line

LonLat = tuple[float, float]


@dataclass(frozen=True)
class Street:
    name: str  # as the gazetteer writes it: "Oak Street", "5th Street", "County Road 40"
    spoken: str  # "Oak Street", "Fifth Street", "County Road forty"
    short: str  # how an intersection names it: "Oak", "Fifth"
    city: str
    postcode: str
    vertices: tuple[LonLat, ...]
    numbers: tuple[int, ...]  # house number where each vertex's block starts, increasing

    @property
    def first_number(self) -> int:
        return self.numbers[0]

    @property
    def last_number(self) -> int:
        return self.numbers[-1] - 1

    def locate(self, number: int) -> LonLat:
        """Where house ``number`` stands: interpolated along its block, off to its side."""
        if not self.first_number <= number <= self.last_number:
            raise ValueError(
                f"{number} {self.name} is outside {self.first_number}-{self.last_number}"
            )
        i = max(k for k in range(len(self.numbers) - 1) if self.numbers[k] <= number)
        frac = (number - self.numbers[i]) / (self.numbers[i + 1] - self.numbers[i])
        (lon1, lat1), (lon2, lat2) = self.vertices[i], self.vertices[i + 1]
        lon, lat = lon1 + frac * (lon2 - lon1), lat1 + frac * (lat2 - lat1)
        east = (lon2 - lon1) * math.cos(math.radians(lat1))
        north = lat2 - lat1
        length = math.hypot(east, north)
        left_x, left_y = -north / length, east / length  # unit normal to the left of travel
        side = _SIDE_OFFSET_M if number % 2 else -_SIDE_OFFSET_M
        return county.offset(lon, lat, left_x * side, left_y * side)


@dataclass(frozen=True)
class Intersection:
    a: Street
    b: Street
    lon: float
    lat: float


@dataclass(frozen=True)
class Highway:
    name: str  # "I-65", "US-82", "AL-14"
    spoken: tuple[str, ...]  # "I sixty five", "Interstate sixty five"
    vertices: tuple[LonLat, ...]  # in the direction mile markers rise
    first_mile: int

    @functools.cached_property
    def _cum_m(self) -> tuple[float, ...]:
        out = [0.0]
        for a, b in zip(self.vertices, self.vertices[1:], strict=False):
            out.append(out[-1] + county.distance_m(a, b))
        return tuple(out)

    @property
    def last_mile(self) -> int:
        return self.first_mile + int(self._cum_m[-1] / 1609.344)

    def locate(self, mile: float) -> LonLat:
        """Where mile marker ``mile`` stands along the road."""
        d = (mile - self.first_mile) * 1609.344
        if not 0 <= d <= self._cum_m[-1]:
            raise ValueError(f"{self.name} has no mile marker {mile} in this county")
        i = max(k for k in range(len(self._cum_m) - 1) if self._cum_m[k] <= d)
        frac = (d - self._cum_m[i]) / (self._cum_m[i + 1] - self._cum_m[i])
        (lon1, lat1), (lon2, lat2) = self.vertices[i], self.vertices[i + 1]
        return lon1 + frac * (lon2 - lon1), lat1 + frac * (lat2 - lat1)


@dataclass(frozen=True)
class AddressPoint:
    lon: float
    lat: float
    number: int
    street: Street
    unit: str = ""


@dataclass(frozen=True)
class Gazetteer:
    streets: tuple[Street, ...]
    intersections: tuple[Intersection, ...]
    highways: tuple[Highway, ...]
    addresses: tuple[AddressPoint, ...]
    area: county.County = county.AUTAUGA

    def street(self, name: str) -> Street:
        for s in self.streets:
            if s.name == name:
                return s
        raise KeyError(name)
