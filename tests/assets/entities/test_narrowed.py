"""A street heard too far from its name for the sound-alike bar, placed only when the
house number and the heard suffix leave it and no other street (issue 15)."""

from __future__ import annotations

import pytest

from assets.entities.extract import EntityExtractor
from assets.entities.heard import NARROWED_ACCEPT, singled_out
from assets.entities.pipeline import RadioSettings
from radiotext.soundalike import HeardStreet
from radiotext.streets import parse_street
from tests.assets.entities.test_patterns import found

NUMBERS = {
    "LINDHAM TRL": frozenset({6101, 6135, 6180}),
    "LINDELL TRL": frozenset({6120, 6150}),
    "LINDHAM DR": frozenset({6101, 6180}),
    "LINDETT ST": frozenset({1150, 1190}),
}


def heard(key: str, name_score: float) -> HeardStreet:
    street = parse_street(key)
    assert street is not None
    return HeardStreet(key, street, name_score, name_score)


def test_the_one_street_holding_the_number_with_the_heard_suffix_is_taken() -> None:
    ranked = [(heard("LINDHAM TRL", 0.62), "TRL"), (heard("LINDETT ST", 0.7), "TRL")]
    assert singled_out(ranked, 6135, NUMBERS) == "LINDHAM TRL"
    assert singled_out(ranked, 6160, NUMBERS) == "LINDHAM TRL"  # held between its numbers


def test_streets_below_the_bar_do_not_compete() -> None:
    ranked = [
        (heard("LINDHAM TRL", 0.62), "TRL"),
        (heard("LINDELL TRL", NARROWED_ACCEPT - 0.01), "TRL"),  # holds 6135, too unlike
        (heard("LINDHAM DR", NARROWED_ACCEPT - 0.01), ""),
    ]
    assert singled_out(ranked, 6135, NUMBERS) == "LINDHAM TRL"


@pytest.mark.parametrize(
    ("ranked", "number"),
    [
        # two trails alike enough both hold the number: which one is doubtful
        ([(heard("LINDHAM TRL", 0.66), "TRL"), (heard("LINDELL TRL", 0.62), "TRL")], 6135),
        # a drive by that name holds it too: the suffix may be what was misheard
        ([(heard("LINDHAM TRL", 0.66), "TRL"), (heard("LINDHAM DR", 0.66), "TRL")], 6135),
        ([(heard("LINDHAM TRL", 0.62), "DR")], 6135),  # the suffix heard is not its
        ([(heard("LINDHAM TRL", 0.62), "")], 6135),  # no suffix heard
        ([(heard("LINDHAM TRL", 0.62), "TRL")], None),  # no house number heard
        ([(heard("LINDHAM TRL", 0.62), "TRL")], 7135),  # outside its numbers
        ([(heard("LINDHAM TRL", 0.62), "TRL")], 6200),  # just past its last: not held
        ([(heard("LINDHAM TRL", NARROWED_ACCEPT - 0.01), "TRL")], 6135),  # below the bar
        ([(heard("OAK TRL", 0.9), "TRL")], 6135),  # no address file for the street
        ([], 6135),
    ],
)
def test_a_doubtful_street_is_left_unplaced(
    ranked: list[tuple[HeardStreet, str]], number: int | None
) -> None:
    assert singled_out(ranked, number, NUMBERS) is None


@pytest.fixture(scope="module")
def county() -> EntityExtractor:
    return EntityExtractor(
        RadioSettings(
            streets=("LINDHAM TRL", "LINDETT ST", "OSMONT ST", "FAIRRETT DR", "FENWICK LN"),
            house_numbers=(
                ("LINDHAM TRL", (6101, 6135, 6180)),
                ("LINDETT ST", (1150, 1179, 1190)),
                ("OSMONT ST", (1101, 1160)),
                ("FAIRRETT DR", (6050, 6087, 6250)),
                ("FENWICK LN", (2101, 2160)),
            ),
        )
    )


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Respond to 117-9, London Street, Paul Bacon", "1179 LINDETT ST"),
        ("Respond to 1179 London Street, Paul Bacon", "1179 LINDETT ST"),
        # a name scoring under round 4's bar of 0.6: the number and suffix still choose
        ("Respond to 61-35, Lyndon Trail, Ramen", "6135 LINDHAM TRL"),
    ],
)
def test_heard_streets_the_number_and_suffix_single_out_are_placed(
    county: EntityExtractor, text: str, address: str
) -> None:
    assert [n for _, n in found(county, text, "ADDRESS")] == [address]


@pytest.mark.parametrize(
    "text",
    [
        "Respond to 117-9, London Drive, Paul Bacon",  # no drive like it
        "Respond to 1779 London Street, Paul Bacon",  # outside Lindett Street's numbers
        "Respond to London Street, Paul Bacon",  # no house number
        "Respond to 1179 London, Paul Bacon",  # no suffix heard
        "Respond to 61-35, Lyndon Drive, Ramen",  # no drive like it
        "Respond to 21-60, Lyndon Trail, Ramen",  # Fenwick Lane holds 2160, no trail does
    ],
)
def test_without_number_and_suffix_agreeing_it_is_left_unplaced(
    county: EntityExtractor, text: str
) -> None:
    assert found(county, text, "ADDRESS") == []
