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
