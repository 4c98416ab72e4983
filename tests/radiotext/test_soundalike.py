"""Heard street spans matched by sound over word breaks, narrowed by the house number, and
left unmatched below the threshold. Names come from both simulated towns (Autauga's word
names, Wexmoor's syllable names) and from names in neither, so no one corpus is encoded."""

from __future__ import annotations

import pytest

from radiotext.fuzzy import StreetIndex
from radiotext.soundalike import (
    HELD,
    LISTED,
    OUTSIDE,
    best_heard,
    heard_streets,
    number_fit,
    span_similarity,
)

STREETS = (
    # Autauga (simulator, town 1)
    "MILL ST", "MULBERRY ST", "MONROE ST", "WALNUT ST", "WILLOW ST", "PECAN ST", "5TH ST",
    # Wexmoor (simulator, town 2)
    "EVERRIVER CT", "SELLELL TRL", "KELDALE CT", "DORLEY LN", "FENMOOR PKWY", "FENWICK LN",
    # neither
    "COMMERCE ST", "CARRINGTON DR", "TOLLIVER ST", "ASHGROVE CT", "ASHFORD CT", "QUENTISH WAY", "BRANNOCK LN",
)  # fmt: skip
INDEX = StreetIndex(STREETS)
NUMBERS = {
    "ASHGROVE CT": frozenset(range(2002, 2400, 6)),
    "ASHFORD CT": frozenset(range(3002, 3300, 6)),
    "TOLLIVER ST": frozenset(range(601, 700, 4)),
    "CARRINGTON DR": frozenset(range(1001, 1400, 9)),
    "COMMERCE ST": frozenset(range(101, 400, 7)),
}


def heard(text: str, suffix: str = "", number: int | None = None) -> str | None:
    found = best_heard(heard_streets(INDEX, text.split(), suffix, number, NUMBERS))
    return found.key if found else None


def test_span_similarity_ignores_word_breaks() -> None:
    assert span_similarity(["ash", "grove"], "ASHGROVE") == 1.0
    assert span_similarity(["carrying", "can"], "CARRINGTON") > 0.75
    assert span_similarity(["or"], "MONROE") == 0.0  # too little heard


@pytest.mark.parametrize(
    ("words", "suffix", "number", "street"),
    [
        ("carrying can", "DR", 1030, "CARRINGTON DR"),
        ("carrying can", "DR", None, "CARRINGTON DR"),
        ("tall over", "ST", 661, "TOLLIVER ST"),
        ("ever river", "CT", None, "EVERRIVER CT"),
        ("sell hell", "TRL", None, "SELLELL TRL"),
        ("kelldale", "CT", None, "KELDALE CT"),
        ("milk", "ST", None, "MILL ST"),
        ("quench ish", "WAY", None, "QUENTISH WAY"),
        ("bran knock", "LN", None, "BRANNOCK LN"),
    ],
)
def test_split_and_respelled_names_match(
    words: str, suffix: str, number: int | None, street: str
) -> None:
    assert heard(words, suffix, number) == street


def test_the_house_number_narrows_the_candidates() -> None:
    # "Ashburg Court" sounds a little like both courts; 2007 is only on Ashgrove's block
    assert heard("ashburg", "CT", 2007) == "ASHGROVE CT"
    assert heard("ashburg", "CT", 3007) == "ASHFORD CT"
    assert heard("ashburg", "CT", None) is None  # nothing narrows it: left unmatched
    assert heard("ashburg", "CT", 9000) is None  # on neither street


@pytest.mark.parametrize(
    ("words", "suffix", "number"),
    [
        ("however", "ST", 661),  # Tolliver, but not alike enough to be sure
        ("movers", "ST", None),  # Mulberry? Monroe? too far from either
        ("or", "ST", None),
        ("respond", "", None),
        ("to con", "ST", None),  # Pecan, by a recognizer that lost its start
        ("fen", "", None),  # Fenmoor or Fenwick: no margin between them
        ("comes", "", 268),  # "1 2 6 8 comes back": a plate, not 268 Commerce
    ],
)
def test_a_doubtful_match_stays_unmatched(words: str, suffix: str, number: int | None) -> None:
    assert heard(words, suffix, number) is None


def test_a_disagreeing_suffix_or_a_far_number_counts_against_a_street() -> None:
    ranked = {h.key: h for h in heard_streets(INDEX, ["carrington"], "DR", 1030, NUMBERS)}
    lane = {h.key: h for h in heard_streets(INDEX, ["carrington"], "LN", 1030, NUMBERS)}
    far = {h.key: h for h in heard_streets(INDEX, ["carrington"], "DR", 8000, NUMBERS)}
    assert ranked["CARRINGTON DR"].score > lane["CARRINGTON DR"].score
    assert ranked["CARRINGTON DR"].score > far["CARRINGTON DR"].score
    assert best_heard(list(far.values())) is not None  # the name alone still suffices


def test_number_fit() -> None:
    listed = frozenset({101, 111, 125, 199})
    assert number_fit(listed, 111) == LISTED
    assert number_fit(listed, 150) == HELD
    assert number_fit(listed, 1501) == OUTSIDE
    assert number_fit(listed, None) == 0.0 and number_fit(None, 150) == 0.0
