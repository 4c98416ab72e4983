"""Alerts on a tone-out: a keyword group naming stations of the tones layer's plan fires
when a call's tones page one of them, with or without words."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pyarrow as pa
import pytest

from assets.alerts.config import BadAlertConfig, parse_config
from assets.alerts.evaluate import evaluate
from lake.tables import TONES, conform
from tests.assets.alerts.rows import Call, inputs

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
T0 = dt.datetime(2024, 6, 1, 11, 59, tzinfo=dt.UTC)

CONFIG = parse_config(
    {
        "channels": {"pager": {}},
        "keyword_groups": {
            "station-1-page": {"tones": ["Station 1"], "veto": ["this is a test"]},
            "fire-or-all-call": {"words": ["fire"], "tones": ["All Call"]},
        },
        "subscriptions": [{"groups": ["station-1-page", "fire-or-all-call"], "channels": ["pager"]}],
    }
)


def _with_tones(calls: list[Call], tones: list[tuple[Call, str | None, float]]):
    rows = [
        dict(call_uid=c.uid, call_date=c.day, tone_index=i, tone_type="two_tone", freqs_hz=[853.2, 1123.4],
             start_s=at, end_s=at + 4.0, station=station, detector_version=1, detected_at=NOW)
        for i, (c, station, at) in enumerate(tones)
    ]
    table = conform(pa.Table.from_pylist(rows), TONES) if rows else TONES.empty()
    return dataclasses.replace(inputs(calls), tones=table)


def test_a_tone_out_alone_raises_the_groups_alert():
    paged = Call("Station one, structure fire at Maple", start=T0)
    quiet = Call("Engine three clear", start=T0 + dt.timedelta(seconds=30), talkgroup=1202)
    unnamed = Call("unit one", start=T0 + dt.timedelta(seconds=60), talkgroup=1203)
    rows = evaluate(_with_tones([paged, quiet, unnamed], [(paged, "Station 1", 0.4), (unnamed, None, 0.2)]), CONFIG, NOW).to_pylist()
    by = {(r["call_uid"], r["keyword_group"]): r for r in rows}
    alert = by[(paged.uid, "station-1-page")]
    assert alert["matched_terms"] == ["tone:Station 1"] and alert["matched_words"] == []
    assert (alert["match_start_s"], alert["match_end_s"]) == (0.4, 4.4)
    assert alert["snippet"].startswith("Tone-out: Station 1") and alert["channels"] == ["pager"]
    # fire is a word of the other group: words still match on their own
    assert (paged.uid, "fire-or-all-call") in by and by[(paged.uid, "fire-or-all-call")]["matched_terms"] == ["fire"]
    assert not [r for r in rows if r["call_uid"] in (quiet.uid, unnamed.uid)]


def test_words_and_a_tone_out_are_both_named_and_a_veto_still_holds():
    both = Call("all call, working fire", start=T0)
    test_call = Call("this is a test of the paging system", start=T0 + dt.timedelta(seconds=40), talkgroup=1202)
    rows = evaluate(_with_tones([both, test_call], [(both, "All Call", 1.0), (test_call, "Station 1", 0.5)]), CONFIG, NOW).to_pylist()
    (alert,) = [r for r in rows if r["call_uid"] == both.uid]
    assert alert["matched_terms"] == ["fire", "tone:All Call"]
    assert not [r for r in rows if r["call_uid"] == test_call.uid]


def test_a_group_needs_words_or_tones():
    with pytest.raises(BadAlertConfig):
        parse_config({"channels": {}, "keyword_groups": {"empty": {"tones": []}}})
