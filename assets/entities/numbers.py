"""House numbers the county's address file lists, and what a misheard one was meant to be.

Most of tiny.en's house-number errors are noise, but one is regular: a teen and its tens
word swap ("three nineteen" comes back as 390, "six fourteen" as 640). A heard number is
replaced by such a reading only when the address file lists none of the heard number on
that street, the street's listed numbers do not reach it, and the file lists exactly one
of its readings: the file may confirm a reading but never invents one. A street the file knows
only by TIGER ranges (no numbered points) is never repaired.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# tens digit <-> the teen that sounds like it: "thirty" / "thirteen" ... "ninety" / "nineteen"
_SWAPS = {f"{d}0": f"1{d}" for d in range(3, 10)} | {f"1{d}": f"{d}0" for d in range(3, 10)}

HouseNumberSettings = tuple[tuple[str, tuple[int, ...]], ...]  # (street key, numbers), sorted


def house_number_settings(
    street_keys: Iterable[str], numbers: Iterable[int | None]
) -> HouseNumberSettings:
    """Each street's numbered address points, in the hashable shape the extractor's
    settings keep (rows without a number, such as TIGER ranges, are skipped)."""
    by_street: dict[str, set[int]] = {}
    for key, number in zip(street_keys, numbers, strict=True):
        if key and number is not None:
            by_street.setdefault(key, set()).add(number)
    return tuple((key, tuple(sorted(ns))) for key, ns in sorted(by_street.items()))


@dataclass(frozen=True)
class HouseNumbers:
    """The numbered address points of each street (canonical street key -> numbers)."""

    by_street: Mapping[str, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, settings: Iterable[tuple[str, Iterable[int]]]) -> HouseNumbers:
        return cls({key: frozenset(numbers) for key, numbers in settings})

    def holds(self, street_key: str, number: int) -> bool:
        """Whether ``number`` lies between the lowest and highest number listed on the street."""
        known = self.by_street.get(street_key)
        return bool(known) and min(known) <= number <= max(known)  # type: ignore[type-var]

    def lists(self, street_key: str, number: int) -> bool | None:
        """Whether the file has this number on this street; None when it lists no number
        on the street at all (unknown street, or known by ranges only)."""
        known = self.by_street.get(street_key)
        return None if not known else number in known


def teen_ty_readings(number: str) -> list[str]:
    """The numbers ``number`` may have been, had one of its spoken pairs swapped a teen
    and a tens word: 390 -> 319, 640 -> 614, 1940 -> 1914 and 9040, 40 -> 14. Pairs are
    read as dispatchers say them: the last two digits, and the first two of four."""
    if not number.isdigit() or len(number) > 4:
        return []
    pairs = [(len(number) - 2, len(number))] if len(number) >= 2 else []
    if len(number) == 4:
        pairs.append((0, 2))
    out = []
    for lo, hi in pairs:
        swapped = _SWAPS.get(number[lo:hi])
        if swapped:
            out.append(number[:lo] + swapped + number[hi:])
    return out


def confirmed(heard: str, street_key: str, known: HouseNumbers, readings: Iterable[str]) -> str:
    """The house number to keep: ``heard``, unless the file lists other numbers on the
    street but not it, the street's listed numbers do not reach it, and the file lists
    exactly one of ``readings``. A number between the street's listed ones may simply be
    unlisted (a dispatcher may give any number on the block): changing it would turn a
    right address into a wrong one, as it did on the simulator's second town."""
    if not heard.isdigit() or known.lists(street_key, int(heard)) is not False:
        return heard
    if known.holds(street_key, int(heard)):
        return heard
    listed = {r for r in readings if r.isdigit() and r != heard and known.lists(street_key, int(r))}
    return listed.pop() if len(listed) == 1 else heard
