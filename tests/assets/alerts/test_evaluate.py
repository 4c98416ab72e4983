from __future__ import annotations

import datetime as dt

from assets.alerts.config import parse_config
from assets.alerts.evaluate import alert_id, evaluate
from lake.tables import ALERTS
from tests.assets.alerts.rows import Call, inputs

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
T0 = dt.datetime(2024, 6, 1, 11, 59, tzinfo=dt.UTC)

CONFIG = parse_config(
    {
        "channels": {"fire-hook": {}, "north-mail": {}, "all-signal": {}},
        "keyword_groups": {
            "fire": {
                "words": ["fire"],
                "not": ["fire alarm test"],
                "talkgroups": ["^12\\d\\d@metro$"],
            },
            "shooting": {"phrases": ["shots fired"], "incident_types": ["Shooting"]},
            "crash": {
                "words": ["rollover"],
                "geofence": {"center": [41.8781, -87.6298], "radius_m": 1000},
            },
        },
        "subscriptions": [
            {"groups": ["fire"], "channels": ["fire-hook"]},
            {
                "groups": ["fire", "shooting"],
                "channels": ["north-mail"],
                "geofence": {
                    "polygon": [[41.90, -87.70], [41.90, -87.60], [41.95, -87.60], [41.95, -87.70]]
                },
            },
            {"groups": ["fire", "shooting", "crash"], "channels": ["all-signal", "fire-hook"]},
        ],
    }
)


def rows(calls: list[Call], created: dict | None = None) -> dict[tuple[str, str], dict]:
    table = evaluate(inputs(calls), CONFIG, NOW, created)
    assert table.schema == ALERTS.schema
    return {(r["call_uid"], r["keyword_group"]): r for r in table.to_pylist()}


def test_a_match_holds_words_times_call_and_location():
    call = Call(
        "Engine 12 working fire at 1220 Oak", start=T0, place=("1220 Oak St", 41.92, -87.65)
    )
    [row] = rows([call]).values()
    assert row["alert_id"] == alert_id(call.uid, "fire")
    assert row["matched_terms"] == ["fire"]
    assert row["matched_words"] == [
        {"term": "fire", "word_index": 3, "word": "fire", "start_s": 1.5, "end_s": 1.9}
    ]
    assert (row["match_start_s"], row["match_end_s"]) == (1.5, 1.9)
    assert row["snippet"] == "Engine 12 working fire at 1220 Oak"
    assert row["talkgroup"] == "1201@metro" and row["talkgroup_tag"] == "Metro Fire Disp"
    assert row["call_start_time"] == T0 and row["audio_key"].endswith(f"{call.uid}.wav")
    assert (row["location"], row["lat"], row["lon"]) == ("1220 Oak St", 41.92, -87.65)
    # inside the north polygon, so north-mail is subscribed too; fire-hook only once
    assert row["channels"] == ["fire-hook", "north-mail", "all-signal"]
    assert row["created_at"] == NOW


def test_talkgroup_regex_is_matched_on_talkgroup_at_system():
    assert rows([Call("working fire", talkgroup=1299, start=T0)])
    assert not rows([Call("working fire", talkgroup=1301, start=T0)])
    assert not rows([Call("working fire", system="county", start=T0)])


def test_negated_phrase_gives_no_alert():
    assert not rows([Call("this is a fire alarm test", start=T0)])


def test_incident_type_filter_uses_entities():
    assert not rows([Call("shots fired on 5th", start=T0)])
    [row] = rows([Call("shots fired on 5th", start=T0, incident="shooting")]).values()
    assert row["incident_types"] == ["shooting"]
    # outside the north polygon and no location: only the unfiltered subscription
    assert row["channels"] == ["all-signal", "fire-hook"]


def test_geofence_radius_against_locations():
    near = Call("rollover on the ramp", start=T0, place=("ramp", 41.8800, -87.6300))
    far = Call("rollover on the ramp", talkgroup=1202, start=T0, place=("ramp", 41.9500, -87.6300))
    nowhere = Call("rollover on the ramp", talkgroup=1203, start=T0)
    found = rows([near, far, nowhere])
    assert list(found) == [(near.uid, "crash")]


def test_newest_transcript_wins_and_the_id_is_model_independent():
    old = Call(
        "all quiet", start=T0, model_id="tiny.en", transcribed_at=NOW - dt.timedelta(hours=1)
    )
    new = Call("all quiet then a working fire", start=T0, model_id="small.en", transcribed_at=NOW)
    [row] = rows([old, new]).values()
    assert row["model_id"] == "small.en"
    assert row["alert_id"] == alert_id(old.uid, "fire")


def test_rerun_keeps_first_creation_time():
    call = Call("working fire", start=T0)
    first = NOW - dt.timedelta(minutes=5)
    [row] = rows([call], created={alert_id(call.uid, "fire"): first}).values()
    assert row["created_at"] == first and row["evaluated_at"] == NOW


def test_no_config_no_alerts():
    assert evaluate(inputs([Call("working fire", start=T0)]), parse_config({}), NOW).num_rows == 0


def test_read_for_the_configured_model_ignores_another_models_newer_transcript(lake):
    from assets.alerts.evaluate import read_inputs
    from tests.assets.alerts.rows import write

    current = Call(
        "working fire at 1220 Oak",
        start=T0,
        incident="Structure Fire",
        place=("1220 Oak St", 41.92, -87.65),
        transcribed_at=NOW - dt.timedelta(hours=1),
    )
    # a backfill with another model, half done: newer, and hearing no fire
    trial = Call("working file at 1220 Oak", start=T0, model_id="small.en", transcribed_at=NOW)
    write(lake, [current, trial])
    mixed = read_inputs(lake, T0.date())
    assert set(mixed.transcripts["model_id"].to_pylist()) == {"tiny.en", "small.en"}
    assert rows_of(mixed) == {}  # newest wins when no model is named

    kept = read_inputs(lake, T0.date(), model_id="tiny.en")
    assert set(kept.transcripts["model_id"].to_pylist()) == {"tiny.en"}
    assert set(kept.entities["model_id"].to_pylist()) == {"tiny.en"}
    assert kept.locations.num_rows == 1
    [row] = rows_of(kept).values()
    assert (row["call_uid"], row["model_id"], row["matched_terms"]) == (current.uid, "tiny.en", ["fire"])


def rows_of(found: object) -> dict[tuple[str, str], dict]:
    table = evaluate(found, CONFIG, NOW, None)  # type: ignore[arg-type]
    return {(r["call_uid"], r["keyword_group"]): r for r in table.to_pylist()}
