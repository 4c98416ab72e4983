"""Named tone-outs: which station a detected two-tone or long tone pages."""

import pytest

from assets.tones.detect import Tone
from assets.tones.stations import BadTonesConfig, load_plan, parse_plan, station_of, stations_paged

PLAN = parse_plan(
    {
        "tolerance_pct": 1.5,
        "stations": {
            "Station 1": {"a_hz": 853.2, "b_hz": 1123.4},
            "Station 2": {"a_hz": 853.2, "b_hz": 1202.0},
            "All Call": {"long_hz": 1000.0},
        },
    }
)


def _two(a: float, b: float) -> Tone:
    return Tone("two_tone", (a, b), 1.0, 5.0)


def test_two_tone_pairs_name_their_station_within_tolerance():
    assert station_of(_two(852.8, 1123.7), PLAN) == "Station 1"
    assert station_of(_two(855.0, 1199.0), PLAN) == "Station 2"
    assert station_of(_two(853.2, 1160.0), PLAN) is None  # between the two B tones: nobody
    assert station_of(_two(1123.4, 853.2), PLAN) is None  # A and B swapped is another page
    assert station_of(Tone("long", (1004.0,), 0.0, 5.0), PLAN) == "All Call"
    assert station_of(Tone("dtmf", (), 0.0, 1.0, "12"), PLAN) is None
    assert stations_paged([_two(852.8, 1123.7), Tone("long", (990.0,), 6, 11)], PLAN) == ["Station 1", "All Call"]


@pytest.mark.parametrize(
    "data",
    [
        ["not", "a", "mapping"],
        {"stations": {"x": {"a_hz": 900}}},
        {"stations": {"x": {"a_hz": 900, "b_hz": "loud"}}},
        {"stations": {"x": {"long_hz": 99999}}},
        {"tolerance_pct": 0},
        {"stations": {}, "extra": 1},
    ],
)
def test_bad_station_plans_are_refused_with_where(data):
    with pytest.raises(BadTonesConfig):
        parse_plan(data)


def test_no_file_is_no_stations(tmp_path):
    assert load_plan(None).stations == () and load_plan(tmp_path / "absent.yaml").stations == ()
    path = tmp_path / "tones.yaml"
    path.write_text("stations:\n  Station 9: {a_hz: 600.9, b_hz: 979.9}\n")
    assert [s.name for s in load_plan(path).stations] == ["Station 9"]
