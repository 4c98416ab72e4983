"""Addresses whose street the recognizer split or respelled, or whose number it broke
into groups, read as the county's streets and address file allow; doubtful ones are not
asserted. Streets from both simulated towns and from neither."""

from __future__ import annotations

import pytest

from assets.entities.extract import EntityExtractor
from assets.entities.pipeline import RadioSettings
from tests.assets.entities.test_patterns import found

STREETS = (
    "MILL ST", "MULBERRY ST", "HICKORY ST",  # Autauga
    "KELDALE CT", "ASHFIELD LN", "STANMOOR TER", "DUNHAM LN",  # Wexmoor
    "CARRINGTON DR", "TOLLIVER ST", "ASHGROVE CT", "ASHFORD CT", "QUENTISH WAY",  # neither
)  # fmt: skip
NUMBERS = (
    ("KELDALE CT", (1301, 1338, 1360, 1377)),
    ("ASHFIELD LN", (2702, 2755, 2790, 2811)),
    ("STANMOOR TER", (1102, 1150, 1177)),
    ("DUNHAM LN", (1002, 1031, 1060, 1085)),
    ("CARRINGTON DR", (1001, 1030, 1066)),
    ("TOLLIVER ST", (601, 661, 690)),
    ("ASHGROVE CT", (2002, 2050, 2098)),
    ("ASHFORD CT", (3002, 3050, 3098)),
    ("QUENTISH WAY", (4405, 4440, 4477)),
    ("HICKORY ST", (301, 319, 391)),
    ("MULBERRY ST", (501, 550, 599)),
)


@pytest.fixture(scope="module")
def heard_extractor() -> EntityExtractor:
    return EntityExtractor(RadioSettings(streets=STREETS, house_numbers=NUMBERS))


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Respond to 1030 carrying can drive, fall", "1030 CARRINGTON DR"),
        ("Respond to 2050 Ashburg Court, fall", "2050 ASHGROVE CT"),  # number narrows
        ("Respond to 3050 Ashburg Court, fall", "3050 ASHFORD CT"),
        ("Respond to 4440 quench ish way, fall", "4440 QUENTISH WAY"),
        ("Respond to 11-56, Stammortares, Delan", "1156 STANMOOR TER"),  # suffix fused
        # a number broken into groups, read as the street holds it
        ("Respond to 27, 9-7, Asheville Lane, Yarbury", "2797 ASHFIELD LN"),
        ("Respond to 10-4, 7, Dunham Lane, Delan", "1047 DUNHAM LN"),
        ("Respond to 30, 71, Kelville Court, Reference", "1371 KELDALE CT"),  # and teen/ty
        ("Respond to 319 Hickory Street", "319 HICKORY ST"),
        # issue 15's own miss: a common word for the name, but Tolliver is the one street
        # like it that holds 661, and "street" is its suffix
        ("Respond to 661 however street, fall", "661 TOLLIVER ST"),
    ],
)
def test_heard_addresses_are_read_as_the_county_allows(
    heard_extractor: EntityExtractor, text: str, address: str
) -> None:
    assert [n for _, n in found(heard_extractor, text, "ADDRESS")] == [address]


@pytest.mark.parametrize(
    "text",
    [
        "Respond to 661 however lane, fall",  # Tolliver is a street, not a lane
        "Respond to 800 however street, fall",  # Tolliver Street ends at 690
        "Respond to 2050 Ashburg Lane, fall",  # no Ash- lane holds 2050
        "Respond to 2348 Rendro Street, fall",  # no street like it
        "Respond to 1501 Tolliver Street, fall",  # 661 misheard: far off Tolliver's numbers
        "Respond to 9, 9-9, Mulberry Street",  # no reading of the groups is on Mulberry
    ],
)
def test_doubtful_addresses_are_not_asserted(heard_extractor: EntityExtractor, text: str) -> None:
    assert found(heard_extractor, text, "ADDRESS") == []


def test_without_house_numbers_the_name_alone_decides() -> None:
    bare_numbers = EntityExtractor(RadioSettings(streets=STREETS))
    assert [n for _, n in found(bare_numbers, "go to 1030 carrying can drive", "ADDRESS")] == [
        "1030 CARRINGTON DR"
    ]
    assert found(bare_numbers, "go to 2050 Ashburg Court", "ADDRESS") == []  # two courts alike
