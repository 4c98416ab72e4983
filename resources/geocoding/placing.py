"""One street of the gazetteer and where a house number stands on it.

A number is placed on its own address point (rooftop), along a TIGER range that covers it
or between the nearest numbered points around it, same side first (interpolated), or, off
the street's numbered ends, at the nearest numbered point (street level, scored low when
the number is far past the end).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from shapely.geometry import LineString

_MAX_INTERPOLATION_GAP = 400  # house numbers; wider gaps are different blocks or streets
_END_SLACK = 50  # house numbers past a street's last listed one that still sit on its last block


@dataclass
class AddressRange:
    low: int
    high: int
    parity: str
    line: LineString  # lon/lat

    def covers(self, n: int) -> bool:
        lo, hi = min(self.low, self.high), max(self.low, self.high)
        if not lo <= n <= hi:
            return False
        return self.parity == "both" or (n % 2 == 1) == (self.parity == "odd")


@dataclass
class Street:
    """One street of one town: its address points, numbered or not, and its ranges."""

    numbers: list[int] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)  # numbered points, lon/lat
    others: list[tuple[float, float]] = field(default_factory=list)  # points without a number
    ranges: list[AddressRange] = field(default_factory=list)
    _order: np.ndarray | None = None

    def sorted_numbers(self) -> tuple[np.ndarray, np.ndarray]:
        if self._order is None:
            self._order = np.argsort(np.asarray(self.numbers, dtype=np.int64), kind="stable")
        return np.asarray(self.numbers, dtype=np.int64)[self._order], self._order

    def place(self, n: int) -> tuple[tuple[float, float], str, float] | None:
        """Where house ``n`` stands, how precisely, and a factor for the match score."""
        if self.numbers:
            numbers, order = self.sorted_numbers()
            hit = np.flatnonzero(numbers == n)
            if hit.size:
                return self.points[int(order[hit[0]])], "rooftop", 1.0
        for rng in self.ranges:
            if rng.covers(n):
                span = rng.high - rng.low
                frac = 0.5 if span == 0 else (n - rng.low) / span
                point = rng.line.interpolate(min(1.0, max(0.0, frac)), normalized=True)
                return (point.x, point.y), "interpolated", 0.97
        if not self.numbers:
            return None
        numbers, order = self.sorted_numbers()
        same_side = numbers % 2 == n % 2
        for pool in (same_side, np.ones_like(same_side)):
            below = np.flatnonzero(pool & (numbers < n))
            above = np.flatnonzero(pool & (numbers > n))
            if below.size and above.size:
                lo_i, hi_i = below[-1], above[0]
                lo_n, hi_n = int(numbers[lo_i]), int(numbers[hi_i])
                if hi_n - lo_n <= _MAX_INTERPOLATION_GAP:
                    frac = (n - lo_n) / (hi_n - lo_n)
                    a, b = self.points[int(order[lo_i])], self.points[int(order[hi_i])]
                    return (
                        (a[0] + frac * (b[0] - a[0]), a[1] + frac * (b[1] - a[1])),
                        "interpolated",
                        0.9,
                    )
        # Off the street's numbered ends: the nearest numbered point is still on the street,
        # and near its end when the number is just past the last one listed. Far past it,
        # the number is likely misheard ("661" as "1501"): a doubtful placement.
        nearest = int(np.argmin(np.abs(numbers - n)))
        near_end = abs(int(numbers[nearest]) - n) <= _END_SLACK
        return self.points[int(order[nearest])], "street", 0.9 if near_end else 0.6
