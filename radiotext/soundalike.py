"""A street as a recognizer heard it, matched to the county's streets over the whole span.

A recognizer splits and respells names it does not know: "Carrington Drive" comes back as
"carrying can drive", "Ashgrove Court" as "Ashburg Court". So the heard words are joined
and compared with each street's name, joined, by spelling, by sound (Metaphone) and by a
start-weighted similarity (Jaro-Winkler: the onset is what a recognizer keeps best). The
house number then narrows the field: a street that lists the number, or whose numbers
hold it, gains; one whose numbers are nowhere near it loses. A heard suffix that agrees
gains; one that disagrees loses.

Every candidate gets a score, and the best is taken only when it reaches ``ACCEPT`` and
stands ``MARGIN`` clear of the next; otherwise the heard street is left unmatched, since
an address left unplaced costs less than one placed on the wrong street.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz import fuzz

from radiotext.fuzzy import StreetIndex
from radiotext.streets import SUFFIX_WORDS, StreetName

ACCEPT = 0.8
MARGIN = 0.06
# A street whose name scores under this against the heard words is no candidate at all.
CANDIDATE_FLOOR = 0.5
# What a house number says about a street (see ``number_fit``).
LISTED, HELD, NEAR_END, OUTSIDE = 0.12, 0.08, 0.0, -0.25
_END_SLACK = 50  # numbers past a street's last listed point that still sit on its last block
_SUFFIX_AGREES, _SUFFIX_DIFFERS, _NO_SUFFIX = 0.05, -0.15, -0.05


@dataclass(frozen=True)
class HeardStreet:
    key: str
    street: StreetName
    score: float  # name similarity plus the suffix's and the number's evidence
    name_score: float


def joined(words: Sequence[str]) -> str:
    """The letters of a heard span or a street name, in one upper-case run."""
    return "".join(ch for w in words for ch in w.upper() if ch.isalpha())


def span_similarity(heard: Sequence[str], name: str) -> float:
    """How alike heard words are to a street name, word breaks ignored, in [0, 1]."""
    return _similarity(joined(heard), joined(name.split()))


@lru_cache(maxsize=65536)
def _similarity(a: str, b: str) -> float:
    if len(a) < 3 or not b:
        return 0.0  # "or", "to": too little heard to stand for a name
    if a == b:
        return 1.0
    spelled = fuzz.ratio(a, b) / 100.0
    sounded = fuzz.ratio(jellyfish.metaphone(a), jellyfish.metaphone(b)) / 100.0
    onset = jellyfish.jaro_winkler_similarity(a, b)
    return max(spelled, 0.5 * (spelled + sounded), 0.85 * onset)


def number_fit(numbers: frozenset[int] | None, number: int | None) -> float:
    """The evidence a house number gives for a street with these listed numbers: listed,
    held between its lowest and highest, just past an end, or nowhere near (0 when
    either is unknown)."""
    if number is None or not numbers:
        return 0.0
    if number in numbers:
        return LISTED
    lo, hi = min(numbers), max(numbers)
    if lo <= number <= hi:
        return HELD
    if lo - _END_SLACK <= number <= hi + _END_SLACK:
        return NEAR_END
    return OUTSIDE


def heard_streets(
    index: StreetIndex,
    words: Sequence[str],
    suffix: str = "",
    number: int | None = None,
    numbers: Mapping[str, frozenset[int]] | None = None,
    bare: bool = False,
) -> list[HeardStreet]:
    """Every named street of ``index`` scored against the heard ``words`` (and heard
    ``suffix``, a USPS abbreviation or ""), best first. Numbered streets are left to the
    ordinal rules: "Fifth" is never a sound-alike of "Fifty". ``bare``: the words stand
    where a name is said without its suffix (a corner: "Lindett and Yarbury"), so a
    missing suffix is no evidence against them."""
    out = []
    for key, street in index.streets.items():
        if any(ch.isdigit() for ch in street.name):
            continue
        name_score = span_similarity(words, street.name)
        if not suffix and street.suffix:
            # the suffix may be fused into the heard name: "Stammortares" (Stanmoor Terrace)
            whole = f"{street.name} {SUFFIX_WORDS.get(street.suffix, street.suffix)}"
            name_score = max(name_score, span_similarity(words, whole))
        if name_score < CANDIDATE_FLOOR:
            continue
        score = name_score + number_fit((numbers or {}).get(key), number)
        if suffix and street.suffix:
            score += _SUFFIX_AGREES if suffix == street.suffix else _SUFFIX_DIFFERS
        elif not suffix and not bare:
            # with no suffix heard the words may be no street at all: "1 2 6 8 comes back"
            # is a plate read back, not 1268 Commerce
            score += _NO_SUFFIX
        out.append(HeardStreet(key, street, round(score, 4), round(name_score, 4)))
    out.sort(key=lambda h: (-h.score, h.key))
    return out


def best_heard(ranked: Sequence[HeardStreet], accept: float | None = None) -> HeardStreet | None:
    """The best candidate when it is sure enough (``accept``, else ``ACCEPT``), else None:
    an address left unplaced rather than placed on a doubtful street."""
    if not ranked or ranked[0].score < (ACCEPT if accept is None else accept):
        return None
    if len(ranked) > 1 and ranked[0].score - ranked[1].score < MARGIN:
        return None
    return ranked[0]
