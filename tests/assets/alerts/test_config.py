from __future__ import annotations

from pathlib import Path

import pytest

from assets.alerts.config import BadAlertConfig, load_config, parse_config
from assets.alerts.geofence import Area, Circle, haversine_m

EXAMPLE = Path(__file__).parents[3] / "assets" / "alerts" / "alerts.example.yaml"

MINIMAL = {
    "channels": {"ops-hook": {}},
    "keyword_groups": {"fire": {"words": ["fire"]}},
    "subscriptions": [{"groups": ["fire"], "channels": ["ops-hook"]}],
}


def test_the_shipped_example_parses():
    config = load_config(EXAMPLE)
    assert set(config.groups) == {"structure-fire", "shots-fired", "downtown-crash"}
    assert config.channels["cad-webhook"].signed and config.channels["cad-webhook"].resend_in_doubt
    assert config.channels["dispatch-signal"].url_env == "SCANLAKE_NOTIFY_DISPATCH_SIGNAL"
    fire = config.groups["structure-fire"]
    assert [t.label for t in fire.negations] == ["fire alarm test", "fire drill", "cease fire"]
    assert fire.filters.talkgroups[0].search("1201@metro")
    assert isinstance(config.groups["downtown-crash"].filters.geofence, Circle)
    assert isinstance(config.subscriptions[1].filters.geofence, Area)
    assert config.timezone == "America/Chicago"


def test_a_missing_file_is_no_alerts(tmp_path):
    config = load_config(tmp_path / "nope.yaml")
    assert not config.groups and not config.subscriptions


def test_channel_env_defaults_from_its_name():
    assert parse_config(MINIMAL).channels["ops-hook"].url_env == "SCANLAKE_NOTIFY_OPS_HOOK"


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"keyword_groups": {"fire": {"word": ["fire"]}}}, "unknown keys"),
        ({"keyword_groups": {"fire": {"regexes": ["(unclosed"]}}}, "bad regex"),
        ({"keyword_groups": {"fire": {"not": ["x"]}}}, "at least one"),
        (
            {"subscriptions": [{"groups": ["nope"], "channels": ["ops-hook"]}]},
            "unknown keyword group",
        ),
        ({"subscriptions": [{"groups": ["fire"], "channels": ["pager"]}]}, "unknown channel"),
        (
            {
                "keyword_groups": {
                    "fire": {"words": ["fire"], "geofence": {"center": [41.9, -87.6]}}
                }
            },
            "radius_m",
        ),
        (
            {
                "keyword_groups": {
                    "fire": {"words": ["fire"], "geofence": {"polygon": [[1, 2], [3, 4]]}}
                }
            },
            "3 vertices",
        ),
        (
            {
                "keyword_groups": {
                    "fire": {
                        "words": ["fire"],
                        "geofence": {"center": [-122.4, 37.8], "radius_m": 5},
                    }
                }
            },
            "lat, lon",
        ),
        (
            {"keyword_groups": {"fire": {"words": ["fire"], "talkgroups": ["(["]}}},
            "talkgroup regex",
        ),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"channels": {"bad name": {}}}, "must be letters"),
    ],
)
def test_bad_configs_say_what_is_wrong(change, needle):
    with pytest.raises(BadAlertConfig, match=needle):
        parse_config({**MINIMAL, **change})


def test_bad_yaml_is_a_typed_error(tmp_path):
    path = tmp_path / "alerts.yaml"
    path.write_text("keyword_groups: [unclosed\n")
    with pytest.raises(BadAlertConfig, match="not valid YAML"):
        load_config(path)


def test_geofences_use_lat_lon_order():
    circle = Circle(41.8781, -87.6298, 1000)
    assert circle.contains(41.8800, -87.6300)
    assert not circle.contains(41.9000, -87.6298)  # ~2.4 km north
    assert 2400 < haversine_m(41.8781, -87.6298, 41.9, -87.6298) < 2450
    area = Area(((41.90, -87.70), (41.90, -87.60), (41.95, -87.60), (41.95, -87.70)))
    assert area.contains(41.92, -87.65)
    assert area.contains(41.90, -87.65)  # on the edge
    assert not area.contains(41.85, -87.65)
    assert not area.contains(-87.65, 41.92)
