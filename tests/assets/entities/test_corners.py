"""Corners whose names the recognizer heard by sound: each side is matched to the county's
streets as an address's street is (``radiotext.soundalike``), with no suffix expected, since
dispatchers name a corner's streets bare ("Lindett and Yarbury"). Street names are made up
for these tests, except where a case reproduces a recognizer's output on a development
corpus."""

from __future__ import annotations

import pytest

from assets.entities.extract import EntityExtractor
from assets.entities.pipeline import RadioSettings
from tests.assets.entities.test_patterns import found

STREETS = (
    "LINDETT ST", "YARBURY DR", "STANMORE CT", "DORMONT PL", "BROCKGROVE BLVD", "CALBURY CT",
    "WENMOOR PL", "WINMERE WAY", "SHERRIDGE DR", "HOLTBY ST", "FAIRRETT AVE",
    "BRAMMINGTON WAY", "PENNARD TRL", "BRANSTON CT", "WILFORD DR", "PRESLEY DR", "WENHAVEN WAY",
    "BRANFIELD ST", "MARLHAM WAY", "WINMOOR DR",
)  # fmt: skip


@pytest.fixture(scope="module")
def county() -> EntityExtractor:
    return EntityExtractor(RadioSettings(streets=STREETS))


def corners(extractor: EntityExtractor, text: str) -> list[str]:
    return [n for _, n in found(extractor, text, "INTERSECTION")]


@pytest.mark.parametrize(
    ("text", "corner"),
    [
        # seen on development corpora (base)
        ("Unit 23, respond to Lendit and Yarberry, reference", "LINDETT ST & YARBURY DR"),
        ("respond to stammercord and dormant place, Gilton", "STANMORE CT & DORMONT PL"),
        # a side read over the words up to "and", though a shorter reading is surer
        (
            "Respond to Calbury Corps and Brockgrove Boulevard, Osport",
            "CALBURY CT & BROCKGROVE BLVD",
        ),
        # a name ending in a suffix word, heard as two words
        ("respond to Brock Grove and Calbury, reference", "BROCKGROVE BLVD & CALBURY CT"),
        # both bare and spelled right
        ("Respond to Holtby and Lindett", "HOLTBY ST & LINDETT ST"),
        # "and" run into a name, after it or before it ("in" heard "im" before a P)
        ("Unit 23, respond to Pennardin Branson, Branton", "PENNARD TRL & BRANSTON CT"),
        ("Engine 1, respond to Wilford Impressley, for a fire", "WILFORD DR & PRESLEY DR"),
        # a digit hyphened before a name is its first syllable (WUN AVEN)
        ("Respond to 1-Aven Way and Bramfield Street, Lambert", "WENHAVEN WAY & BRANFIELD ST"),
        # beside a sure side (WUN MORE DRIVE), the other may sound less alike (0.77)
        ("respond to Marlon Way and one more drive, Kelvin", "MARLHAM WAY & WINMOOR DR"),
    ],
)
def test_corners_heard_by_sound(county: EntityExtractor, text: str, corner: str) -> None:
    assert corners(county, text) == [corner]


@pytest.mark.parametrize(
    "text",
    [
        # words of a call, not streets, on either side of "and"
        "patient is conscious and breathing, fight and progress",
        # one side a street, the other no street the county has
        "Respond to Lendit and Morrow, reference",
        # "Wenmoor Way" is Wenmoor Place or Winmere Way: the corner is doubtful
        "Respond to Sherage Drive, and Wenmoor Way, Albridge",
        # a house number before the first side makes it an address, not a corner
        "Respond 4, Fort in Bramington Way, Calvo",
        # a name ending in "in" before words that are no street, and one before a street
        # that is no street itself
        "Robin Branson said the caller left",
        "Austin Presley Drive",
        # beside a side that is not sure, the other is held to the full bar
        "respond to Marlon and Lendet, reference",
    ],
)
def test_doubtful_corners_are_not_asserted(county: EntityExtractor, text: str) -> None:
    assert corners(county, text) == []


@pytest.fixture(scope="module")
def numbered() -> EntityExtractor:
    return EntityExtractor(RadioSettings(streets=("LINDETT ST", "YARBURY DR", "8TH ST", "5TH ST")))


@pytest.mark.parametrize(
    ("text", "corner"),
    [
        # "and" clipped to "n" and run into the ordinal (seen on development seed 121, base)
        ("Respond to Lindett N-8 for a reported fire", "LINDETT ST & 8TH ST"),
        ("Unit 27, 10-50, 2 vehicle rack, Yarbury, N-8, Unknown", "YARBURY DR & 8TH ST"),
        ("Car 58, Respond to Lindett, N5, Reference of Domestic", "LINDETT ST & 5TH ST"),
    ],
)
def test_and_clipped_into_the_ordinal(numbered: EntityExtractor, text: str, corner: str) -> None:
    assert corners(numbered, text) == [corner]


@pytest.mark.parametrize(
    "text",
    [
        "Car 58, N-8 Car 58, 10-4",  # after a callsign: ten-eight
        "Respond to Lindett N-9 for a fire",  # the county has no 9th Street
        "Respond to Pemberton N-8 for a fire",  # no street heard before it
    ],
)
def test_and_clipped_refused(numbered: EntityExtractor, text: str) -> None:
    assert corners(numbered, text) == []
