import pytest

from resources.simulator import spoken


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1220, "twelve twenty"),
        (405, "four oh five"),
        (1200, "twelve hundred"),
        (2450, "twenty four fifty"),
        (1205, "twelve oh five"),
        (2000, "two thousand"),
        (100, "one hundred"),
        (38, "thirty eight"),
        (12345, "one two three four five"),
    ],
)
def test_house_numbers_read_in_pairs(n, words):
    assert spoken.paired(n) == words


def test_number_styles():
    assert spoken.house_number(1220, "digits") == "one two two zero"
    assert spoken.house_number(1220, "cardinal") == "one thousand two hundred twenty"
    with pytest.raises(ValueError):
        spoken.house_number(1, "roman")


def test_ordinals_and_codes():
    assert spoken.ordinal(5) == "fifth"
    assert spoken.ordinal(21) == "twenty first"
    assert spoken.ordinal(40) == "fortieth"
    assert [spoken.ordinal_suffix(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
    ]
    assert spoken.ten_code(4) == "ten four"
    assert spoken.ten_code(23) == "ten twenty three"
    assert spoken.clock(8, 14) == "zero eight fourteen"
    assert spoken.clock(14, 5) == "fourteen zero five"
    assert spoken.clock(20, 0) == "twenty hundred"


def test_plates_in_the_police_alphabet():
    assert spoken.plate("ABC123") == "Adam Boy Charles one two three"
    assert spoken.plate_written("ABC123") == "Adam Boy Charles 1 2 3"
    assert spoken.plate("XZ0") == "Xray Zebra zero"
    with pytest.raises(ValueError):
        spoken.plate("AB-1")
