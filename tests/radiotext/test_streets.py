"""One canonical spelling per street, whatever the transcript or the file wrote."""

from __future__ import annotations

import pytest

from radiotext.streets import leading_number, parse_street, street_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("North Fifth Street", "N 5TH ST"),
        ("N. 5th St.", "N 5TH ST"),
        ("n fifth st", "N 5TH ST"),
        ("twenty third avenue", "23RD AVE"),
        ("Maple Av", "MAPLE AVE"),
        ("Martin Luther King Jr Boulevard", "MARTIN LUTHER KING JR BLVD"),
        ("Main St NW", "MAIN ST NW"),
        ("Court Street", "COURT ST"),  # a suffix word can be a name
        ("Park", "PARK"),
        ("North Road", "NORTH RD"),  # a directional can be a name
        ("County Road 40", "COUNTY ROAD 40"),
        ("Cedar Lane", "CEDAR LN"),
    ],
)
def test_street_key(text: str, key: str) -> None:
    assert street_key(text) == key


def test_spoken_form() -> None:
    assert parse_street("N 5TH ST").spoken == "N 5th Street"
    assert parse_street("OAK AVE").spoken == "Oak Avenue"


def test_nothing_usable() -> None:
    assert parse_street("...") is None
    assert street_key("") == ""


@pytest.mark.parametrize(
    ("text", "number"),
    [("1220", 1220), ("12B", 12), (" 7 ", 7), ("0", 0), ("B12", None), ("", None), (None, None)],
)
def test_leading_number(text: str | None, number: int | None) -> None:
    # the gazetteer's points, its TIGER range ends and the extractor's house numbers
    assert leading_number(text) == number
