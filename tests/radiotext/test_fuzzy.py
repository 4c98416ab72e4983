"""Streets found by how they sound as well as how they are spelled."""

from __future__ import annotations

from radiotext.fuzzy import StreetIndex, name_similarity
from radiotext.streets import parse_street

INDEX = StreetIndex(
    [
        "OAK ST",
        "OAK AVE",
        "WASHINGTON AVE",
        "MAPLE AVE",
        "5TH ST",
        "6TH ST",
        "N ELM ST",
        "PINE ST",
        "PIKE RD",
    ]
)


def keys(text: str) -> list[str]:
    return [m.key for m in INDEX.match(parse_street(text))]


def test_misheard_names_match_by_sound_and_spelling() -> None:
    assert keys("Oke Street") == ["OAK ST"]
    assert keys("Washingtun Avenue") == ["WASHINGTON AVE"]
    assert keys("Maypole Avenue") == ["MAPLE AVE"]


def test_suffix_and_directional_break_ties() -> None:
    assert keys("Oak Avenue")[0] == "OAK AVE"
    assert set(keys("Oak")) == {"OAK ST", "OAK AVE"}
    assert keys("Elm Street") == ["N ELM ST"]


def test_numbered_streets_do_not_blur() -> None:
    assert keys("Fifth Street") == ["5TH ST"]
    assert name_similarity("5TH", "6TH") == 0.0
    assert keys("Seventh Street") == []


def test_unrelated_names_do_not_match() -> None:
    assert keys("Zebra Road") == []
    assert StreetIndex([]).match(parse_street("Oak")) == []
