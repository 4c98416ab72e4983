"""Spoken and ASR-written numbers become the digits that were meant."""

from __future__ import annotations

import pytest

from radiotext.spoken import (
    digit_chunks,
    is_number_token,
    ordinal_text,
    ordinal_value,
    spoken_number,
)


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("twelve twenty", "1220"),
        ("twelve oh five", "1205"),
        ("one two two zero", "1220"),
        ("four fifty six", "456"),
        ("twenty two twenty", "2220"),
        ("twelve hundred", "1200"),
        ("twenty one hundred", "2100"),
        ("one thousand two hundred twenty", "1220"),
        ("1,220", "1220"),
        ("12 20", "1220"),
        ("12-20", "1220"),
        ("4.56", "456"),  # an ASR's "four fifty six"
        ("21.05", "2105"),
        ("seven", "7"),
    ],
)
def test_spoken_number(words: str, digits: str) -> None:
    assert spoken_number(words.split()) == digits


def test_not_numbers() -> None:
    assert spoken_number(["oak"]) is None
    assert spoken_number([]) is None
    assert not is_number_token("Oak")
    assert is_number_token("twenty") and is_number_token("1,220")


def test_digit_chunks_keep_groups() -> None:
    assert digit_chunks(["twenty", "three"]) == ["23"]
    assert digit_chunks(["twenty", "oh"]) == ["20", "0"]
    assert digit_chunks(["1-2-3"]) == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("words", "value", "used"),
    [
        (["fifth"], 5, 1),
        (["5th"], 5, 1),
        (["twenty", "third", "street"], 23, 2),
        (["21st"], 21, 1),
        (["twelfth"], 12, 1),
    ],
)
def test_ordinals(words: list[str], value: int, used: int) -> None:
    assert ordinal_value(words) == (value, used)


def test_ordinal_text() -> None:
    assert [ordinal_text(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 111)] == [
        "1ST", "2ND", "3RD", "4TH", "11TH", "12TH", "13TH", "21ST", "22ND", "23RD", "111TH",
    ]  # fmt: skip
