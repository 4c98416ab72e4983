"""House numbers the recognizer wrote partly as words that sound like number words, and a
respelling that cannot tell a street's name from its suffix. Street names are made up for
these tests (no simulated town's), except where a case reproduces a recognizer's output on
a development corpus."""

from __future__ import annotations

import pytest

from assets.entities.extract import EntityExtractor
from assets.entities.heard import heard_tens
from assets.entities.pipeline import RadioSettings
from tests.assets.entities.test_patterns import found

STREETS = (
    "SHERRIDGE DR", "PRESBURY CT", "KELLEY LN", "WENMOOR PL", "WINMERE WAY", "HOLTBY ST",
    "DARNELL CT", "NORLEY PL", "DUNMORE BLVD", "CARBROOK PL", "TOLLIVER ST",
)  # fmt: skip
NUMBERS = (
    ("SHERRIDGE DR", (8401, 8443, 8499)),
    ("PRESBURY CT", (8501, 8583, 8599)),
    ("KELLEY LN", (8201, 8301, 8399)),
    ("WENMOOR PL", (1101, 1474, 2298)),
    ("WINMERE WAY", (2201, 2233, 2299)),
    ("HOLTBY ST", (8001, 8005, 8090)),
    ("DARNELL CT", (501, 540, 599)),
    ("NORLEY PL", (1102, 1250, 1290)),
    ("DUNMORE BLVD", (8201, 8305, 8399)),
    ("CARBROOK PL", (2101, 2147, 2199)),
    ("TOLLIVER ST", (601, 661, 690)),
)


@pytest.fixture(scope="module")
def county() -> EntityExtractor:
    return EntityExtractor(RadioSettings(streets=STREETS, house_numbers=NUMBERS))


def addresses(extractor: EntityExtractor, text: str) -> list[str]:
    return [n for _, n in found(extractor, text, "ADDRESS")]


def test_a_tens_word_written_as_it_sounds() -> None:
    assert heard_tens("AD-443") == "8443"  # eighty-four forty-three
    assert heard_tens("AD-5") == "85"
    assert heard_tens("AD-05") == "8005"  # eighty oh five
    assert heard_tens("AD") == "80"
    assert heard_tens("ad") is None  # the English word, as any recognizer writes it
    assert heard_tens("AD-4435") is None and heard_tens("ADD-4") is None


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # seen on a development corpus (base): "eighty" written AD before its group
        ("Engine 7, Respond to AD-443, Sherage Drive, Auldbridge, for", "8443 SHERRIDGE DR"),
        ("Engine 7, Respond to AD-5, AD-3, Presbury Court, Albridge, for", "8583 PRESBURY CT"),
        ("Respond to AD-301, Kelly Lane, Albridge, for a reported fire", "8301 KELLEY LN"),
        ("Respond to AD-05 Holtby Street", "8005 HOLTBY ST"),
        # "fourteen seventy-four": the "four" written "for" before a name heard by sound
        ("Unit 23, respond to 1470 for one more place, Albridge", "1474 WENMOOR PL"),
        # "eighty three oh five": the tens word and its unit written apart, "803"
        ("Medic 4, Respond to 803-05, Demore Boulevard, Albridge", "8305 DUNMORE BLVD"),
        # a comma between the name and its suffix
        ("respond to 2147, Carver, Place, Osport, Reference", "2147 CARBROOK PL"),
        # a lone letter is the name's first sound, not a directional
        ("Engine 1, Respond to 1290 N orally Place, for a fire", "1290 NORLEY PL"),
    ],
)
def test_number_words_heard_as_other_words(
    county: EntityExtractor, text: str, address: str
) -> None:
    assert addresses(county, text) == [address]


@pytest.mark.parametrize(
    "text",
    [
        # no street holds 8443 but Sherridge Drive's neighbours: AD read as 80 is no number on it
        "Respond to AD-9, Holtby Street",
        # an ad is not a number, and "AD" with no street after it is nothing
        "We ran an ad-443 for a week",
        "Respond to AD-443, reference a theft",
        # "for" before a phrase that is no street the county has
        "Respond to 1470 for a fire, Albridge",
        # "Wenmoor Way": Wenmoor Place by name, Winmere Way by suffix and sound; both hold
        # 2233, so spelling cannot choose and the address stays unplaced
        "Medic 6, Respond to 22-33, Wenmoor Way, Albridge, Chest Pain",
        # 803-05 read as 8305 or 80305: neither is on Norley Place
        "Respond to 803-05, Norley Place",
        # the name alone is too unlike Tolliver: with no suffix heard it stays unplaced
        "Respond to 661 however, fall",
        # the letter and the words are no street the county has
        "Respond to 1290 N main place",
    ],
)
def test_doubtful_readings_stay_unplaced(county: EntityExtractor, text: str) -> None:
    assert addresses(county, text) == []


def test_a_respelled_suffix_stands_when_no_close_street_keeps_the_heard_one(
    county: EntityExtractor,
) -> None:
    # Darnell has only a court, and no street like it is a drive: the suffix is respelled
    assert addresses(county, "Respond to 540 Darnell Drive") == ["540 DARNELL CT"]
    # the name heard exactly with its own suffix stays what it is
    assert addresses(county, "Respond to 2233 Winmere Way") == ["2233 WINMERE WAY"]
