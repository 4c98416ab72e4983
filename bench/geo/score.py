"""Scoring entities and locations against the simulator's ground truth.

Entities are compared per call by their normalized value (a multiset per label), since an
ASR transcript's character spans do not line up with the spoken text's. Addresses compare
as house number plus canonical street; intersections as the pair of street names, in
either order and with or without suffixes; the rest as their normalized text.

Locations: each spoken address is paired with the nearest geocoded ADDRESS entity of the
same call (each used once); "placed" means it got one, and its error is the distance.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from radiotext.streets import parse_street
from resources.geocoding.metric import distance_m


def canonical(label: str, normalized: str) -> object:
    text = normalized.strip()
    if label == "ADDRESS":
        number, _, street = text.partition(" ")
        parsed = parse_street(street)
        return f"{int(number) if number.isdigit() else number} {parsed.key if parsed else street.upper()}"
    if label == "INTERSECTION":
        names = []
        for part in text.split("&"):
            parsed = parse_street(part)
            names.append(parsed.name if parsed else part.strip().upper())
        return frozenset(names)
    return text.lower()


@dataclass
class LabelScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")


def score_entities(
    truth: list[tuple[str, str]], predicted: list[tuple[str, str]], scores: dict[str, LabelScore]
) -> None:
    """Add one call's (label, normalized) lists to ``scores``."""
    want = Counter((label, canonical(label, n)) for label, n in truth)
    got = Counter((label, canonical(label, n)) for label, n in predicted)
    for label, _ in want | got:
        scores.setdefault(label, LabelScore())
    for key, count in want.items():
        hit = min(count, got.get(key, 0))
        scores[key[0]].tp += hit
        scores[key[0]].fn += count - hit
    for key, count in got.items():
        scores[key[0]].fp += count - min(count, want.get(key, 0))


@dataclass
class PlaceScore:
    spoken: int = 0
    located: int = 0  # geocoded entities, paired with a true place or not
    errors_m: list[float] = field(default_factory=list)

    def add(self, truth: list[tuple[float, float]], located: list[tuple[float, float]]) -> None:
        """One call's true places and its geocoded ones (lat, lon)."""
        self.located += len(located)
        left = list(located)
        for place in truth:
            self.spoken += 1
            if not left:
                continue
            nearest = min(left, key=lambda p: distance_m(place, p))
            left.remove(nearest)
            self.errors_m.append(distance_m(place, nearest))

    @property
    def placed(self) -> float:
        return len(self.errors_m) / self.spoken if self.spoken else float("nan")

    def within(self, metres: float) -> float:
        return (
            sum(e <= metres for e in self.errors_m) / self.spoken if self.spoken else float("nan")
        )

    def precision(self, metres: float) -> float:
        """The share of geocoded entities that landed within ``metres`` of a true place."""
        hits = sum(e <= metres for e in self.errors_m)
        return hits / self.located if self.located else float("nan")

    def percentile(self, q: float) -> float:
        if not self.errors_m:
            return float("nan")
        if len(self.errors_m) == 1:
            return self.errors_m[0]
        return statistics.quantiles(self.errors_m, n=100, method="inclusive")[int(q) - 1]
