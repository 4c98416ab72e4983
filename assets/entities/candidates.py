"""A recognized span before overlaps are resolved: label, token span, normalized text,
detail (a ten-code's meaning, an address's town) and how much its rule trusts it."""

from __future__ import annotations

from dataclasses import dataclass

# When two candidates overlap, the higher priority wins, then the longer, then the surer.
PRIORITY = {
    "ADDRESS": 6,
    "INTERSECTION": 6,
    "PLATE": 5,
    "UNIT": 5,
    "HIGHWAY": 4,
    "MILE_MARKER": 4,
    "TEN_CODE": 4,
    "INCIDENT_TYPE": 3,
}
LABELS = tuple(PRIORITY)


@dataclass(frozen=True)
class Candidate:
    label: str
    start: int  # token index
    end: int  # token index, exclusive
    normalized: str
    detail: str | None
    prior: float


def resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, best first by priority, length and prior; in text order."""
    taken: list[Candidate] = []
    used: set[int] = set()
    ranked = sorted(
        candidates, key=lambda c: (-PRIORITY[c.label], -(c.end - c.start), -c.prior, c.start)
    )
    for cand in ranked:
        span = set(range(cand.start, cand.end))
        if span and not span & used:
            taken.append(cand)
            used |= span
    return sorted(taken, key=lambda c: c.start)
