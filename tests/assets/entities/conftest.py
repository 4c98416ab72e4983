"""One built pipeline per test session: with the county's vocabulary, and without."""

from __future__ import annotations

import pytest

from assets.entities.extract import EntityExtractor
from assets.entities.pipeline import RadioSettings

STREETS = (
    "OAK ST", "WASHINGTON AVE", "MAPLE AVE", "3RD ST", "5TH ST", "7TH ST", "N ELM ST", "PINE ST", "CALHOUN ST",
    "JEFFERSON ST", "HAMILTON ST", "COUNTY ROAD 40", "MARTIN LUTHER KING JR BLVD",
)  # fmt: skip


@pytest.fixture(scope="session")
def extractor() -> EntityExtractor:
    return EntityExtractor(
        RadioSettings(
            streets=STREETS,
            cities=("Prattville", "Autaugaville"),
            highways=("I-65", "US-82", "AL-14"),
        )
    )


@pytest.fixture(scope="session")
def bare_extractor() -> EntityExtractor:
    """No gazetteer: only suffixes, ordinals and capitals say what a street is."""
    return EntityExtractor(RadioSettings())


# Numbered address points, as the gazetteer table lists them: what confirms a reading of a
# misheard house number (390 is not on Hickory Street, 319 is).
HOUSE_NUMBERS = (
    ("HICKORY ST", (301, 308, 319, 331, 391)),
    ("9TH ST", (601, 609, 614, 625, 634, 645)),
    ("8TH ST", (402, 410, 420)),
    ("5TH ST", (662, 666, 670, 684)),
    ("OAK ST", (1214, 1220, 1240)),
)


@pytest.fixture(scope="session")
def numbered_extractor() -> EntityExtractor:
    return EntityExtractor(
        RadioSettings(
            streets=(*STREETS, "HICKORY ST", "4TH ST", "8TH ST", "9TH ST", "HOLLY ST", "MAIN ST"),
            cities=("Prattville", "Autaugaville"),
            house_numbers=HOUSE_NUMBERS,
        )
    )
