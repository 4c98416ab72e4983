"""Number words and digits heard for syllables of a street's name, and a respelled street
the house number refutes. Street names are made up for these tests (neither simulated
town's), except where a case reproduces a recognizer's output on the development corpus."""

from __future__ import annotations

import pytest

from assets.entities.extract import EntityExtractor
from assets.entities.pipeline import RadioSettings
from assets.entities.syllables import respelled, sound_of
from tests.assets.entities.test_patterns import found

STREETS = (
    "WINWOOD ST", "WENBURY ST", "THORNFIELD LN", "ASHFIELD LN", "MALWICK CT", "MALWOOD DR",
    "TOLLIVER ST", "TOLLWOOD ST",
)  # fmt: skip
NUMBERS = (
    ("WINWOOD ST", (1002, 1250, 1479)),
    ("WENBURY ST", (3100, 3150, 3190)),
    ("THORNFIELD LN", (6001, 6069, 6192)),
    ("ASHFIELD LN", (2401, 2600, 2797)),
    ("MALWICK CT", (4101, 4183, 4390)),
    ("MALWOOD DR", (7201, 7500, 7799)),
    ("TOLLIVER ST", (601, 661, 690)),
    ("TOLLWOOD ST", (1401, 1501, 1599)),
)


@pytest.fixture(scope="module")
def county() -> EntityExtractor:
    return EntityExtractor(RadioSettings(streets=STREETS, house_numbers=NUMBERS))


def addresses(extractor: EntityExtractor, text: str) -> list[str]:
    return [n for _, n in found(extractor, text, "ADDRESS")]


def test_number_words_are_respelled_as_they_sound() -> None:
    assert sound_of("one") == "WUN" and sound_of("4") == "FOR" and sound_of("Eight") == "ATE"
    assert sound_of("45") is None and sound_of("would") is None
    assert respelled(["one", "would"]) == ["WUN", "would"]
    assert respelled(["brand", "field"]) is None  # nothing to respell: scored once


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # seen on the development corpus (base): Winwood heard as "one would"
        ("Unit 35, respond to 14-79, one would street, reference", "1479 WINWOOD ST"),
        # the last digit group is the name's first syllable: four-field, Thornfield
        ("Engine 1, Respond to 60-6-9-4-Field Lane, Tambert, for", "6069 THORNFIELD LN"),
        # respelled into a street whose numbers are far off; the number picks the court
        ("Medic 4, Respond to 4,183 Malwood Court, Sick Person", "4183 MALWICK CT"),
    ],
)
def test_syllables_and_refuting_numbers_find_the_street(
    county: EntityExtractor, text: str, address: str
) -> None:
    assert addresses(county, text) == [address]


@pytest.mark.parametrize(
    "text",
    [
        # the name was heard exactly: the number is the likelier error, left unplaced
        # (not moved to Tollwood Street, which holds 1501)
        "Respond to 1501 Tolliver Street",
        # a respelled street refuted by its number, and no other street holds the number
        "Respond to 9999 Malwood Court",
        # "one" respelled, but "WUN WAY" is not near enough to Winwood to be sure
        "Respond to 1250 one way street",
        # a digit group after a comma is the number's, not a syllable: 6,069, 4 is no
        # reading, and "Field Lane" alone is too far from either lane
        "Respond to 60, 69, 4, Field Lane",
    ],
)
def test_doubtful_readings_stay_unplaced(county: EntityExtractor, text: str) -> None:
    assert addresses(county, text) == []


def test_a_name_heard_exactly_keeps_its_street_when_the_number_fits(
    county: EntityExtractor,
) -> None:
    assert addresses(county, "Respond to 1250 Winwood Street") == ["1250 WINWOOD ST"]
    assert addresses(county, "Respond to 7500 Malwood Drive") == ["7500 MALWOOD DR"]
