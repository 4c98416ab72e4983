"""Misheard house numbers, read again where the county's address file confirms a reading."""

from __future__ import annotations

import pytest

from assets.entities.misheard import merge_tens
from assets.entities.numbers import (
    HouseNumbers,
    confirmed,
    house_number_settings,
    teen_ty_readings,
)
from assets.entities.pipeline import RadioSettings

KNOWN = HouseNumbers.of(
    [
        ("HICKORY ST", (301, 319, 331)),
        ("OAK ST", (1214, 1240)),
        ("DORLEY LN", (6102, 6130, 6175)),  # the second town's
        ("QUENTISH WAY", (4405, 4440, 4477)),  # in neither town
    ]
)


@pytest.mark.parametrize(
    ("heard", "readings"),
    [
        ("390", ["319"]),  # "three nineteen" heard as "three ninety"
        ("319", ["390"]),
        ("640", ["614"]),
        ("40", ["14"]),
        ("1940", ["1914", "9040"]),  # either pair of "nineteen forty"
        ("1220", []),  # twenty has no teen
        ("110", []),  # nor does ten
        ("336", []),
        ("7", []),
        ("12345", []),
        ("4.5", []),
    ],
)
def test_teen_ty_readings(heard: str, readings: list[str]) -> None:
    assert teen_ty_readings(heard) == readings


def test_a_reading_the_file_confirms_replaces_an_unlisted_number() -> None:
    assert confirmed("390", "HICKORY ST", KNOWN, teen_ty_readings("390")) == "319"
    assert confirmed("1250", "OAK ST", KNOWN, ["1214", "1240"]) == "1250"  # two: no choice


def test_a_listed_number_or_an_unnumbered_street_is_kept() -> None:
    assert confirmed("319", "HICKORY ST", KNOWN, ["390"]) == "319"
    assert confirmed("390", "ELM ST", KNOWN, ["319"]) == "390"  # nothing listed on Elm
    assert confirmed("390", "HICKORY ST", HouseNumbers(), ["319"]) == "390"  # no file
    assert confirmed("395", "HICKORY ST", KNOWN, ["394"]) == "395"  # no reading listed


def test_an_unlisted_number_between_listed_ones_is_kept() -> None:
    # "sixty one thirteen" is 6113 even though the file lists 6130 and not 6113
    assert confirmed("6113", "DORLEY LN", KNOWN, teen_ty_readings("6113")) == "6113"
    assert confirmed("4414", "QUENTISH WAY", KNOWN, teen_ty_readings("4414")) == "4414"
    assert confirmed("4490", "QUENTISH WAY", KNOWN, ["4419"]) == "4490"  # nothing confirms


def test_settings_from_gazetteer_rows() -> None:
    settings = house_number_settings(
        ["OAK ST", "OAK ST", "ELM ST", "ELM ST", "OAK ST"], [1240, 1214, None, 12, 1214]
    )
    assert settings == (("ELM ST", (12,)), ("OAK ST", (1214, 1240)))  # ranges have no number
    assert HouseNumbers.of(settings).lists("OAK ST", 1214)
    assert HouseNumbers.of(settings).lists("PINE ST", 1) is None


def test_house_numbers_change_the_extractor_version() -> None:
    numbered = RadioSettings(house_numbers=(("OAK ST", (1220,)),))
    assert numbered.version != RadioSettings().version
    assert numbered.version != RadioSettings(house_numbers=(("OAK ST", (1221,)),)).version


@pytest.mark.parametrize(
    ("groups", "merged"),
    [
        (["290", "2"], ["292"]),  # "two ninety two" written "290-2"
        (["120", "5"], ["125"]),
        (["1200", "5"], ["1205"]),
        (["270", "4"], ["274"]),  # "270 for"
        (["12", "20"], ["12", "20"]),  # pairs stay pairs
        (["10", "5"], ["10", "5"]),  # a ten-code's shape is not a tens group
        (["1", "6", "0"], ["1", "6", "0"]),
        (["290", "0"], ["290", "0"]),
        (["twelve", "twenty"], ["twelve", "twenty"]),
    ],
)
def test_merge_tens(groups: list[str], merged: list[str]) -> None:
    assert merge_tens(groups) == merged
