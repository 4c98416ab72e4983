from __future__ import annotations

import datetime as dt
import json

from assets.alerts.message import audio_url, notification
from resources.notify.signing import body_bytes

ALERT = {
    "alert_id": "abc123",
    "call_uid": "metro-1201-1717243200",
    "keyword_group": "structure-fire",
    "matched_terms": ["working fire"],
    "matched_words": [
        {"term": "working fire", "word_index": 2, "word": "working", "start_s": 1.0, "end_s": 1.4},
        {"term": "working fire", "word_index": 3, "word": "fire", "start_s": 1.5, "end_s": 1.9},
    ],
    "match_start_s": 1.0,
    "match_end_s": 1.9,
    "snippet": "Engine 12 working fire at 1220 Oak",
    "system": "metro",
    "talkgroup": "1201@metro",
    "talkgroup_tag": "Metro Fire Disp",
    "call_start_time": dt.datetime(2024, 6, 1, 12, 0, 5, tzinfo=dt.UTC),
    "incident_types": ["structure fire"],
    "audio_key": "audio/raw/system=metro/date=2024-06-01/metro-1201-1717243200.wav",
    "location": "1220 Oak St",
    "lat": 41.92,
    "lon": -87.65,
}


def test_text_carries_snippet_talkgroup_time_location_audio_and_ref():
    note = notification(
        ALERT, "https://app.example/audio/x.wav", timezone="America/Chicago", attempt=2
    )
    assert note.title == "[structure-fire] Metro Fire Disp (1201@metro)"
    lines = note.body.splitlines()
    assert lines[0] == "Metro Fire Disp (1201@metro) · 2024-06-01 07:00:05 CDT"
    assert "Engine 12 working fire at 1220 Oak" in lines[1]
    assert "Matched: working fire at 1.0 s" in lines
    assert "Location: 1220 Oak St (41.92000, -87.65000)" in lines
    assert "Audio: https://app.example/audio/x.wav" in lines
    assert lines[-1] == "ref abc123"
    assert note.alert_id == "abc123" and note.attempt == 2


def test_payload_is_json_and_the_same_for_every_attempt():
    first = notification(ALERT, "u", attempt=1).payload
    again = notification(ALERT, "u", attempt=3).payload
    assert body_bytes(first) == body_bytes(again)
    data = json.loads(body_bytes(first))
    assert data["call_start_time"] == "2024-06-01T12:00:05+00:00"
    assert data["location"] == {"text": "1220 Oak St", "lat": 41.92, "lon": -87.65}
    assert data["matched_words"][1]["start_s"] == 1.5
    assert data["audio_url"] == "u"


def test_no_location_no_location_line():
    note = notification({**ALERT, "lat": None, "lon": None, "location": None}, None)
    assert not any(line.startswith(("Location", "Audio")) for line in note.body.splitlines())
    assert note.payload["location"] is None


def test_audio_link_prefers_the_app_route():
    key = ALERT["audio_key"]
    assert audio_url(key, "https://app.example/audio/", lambda k: "unused") == (
        "https://app.example/audio/audio/raw/system%3Dmetro/date%3D2024-06-01/metro-1201-1717243200.wav"
    )
    assert audio_url(key, None, lambda k: f"s3://bucket/lake/{k}") == f"s3://bucket/lake/{key}"
    assert audio_url(None, "https://app.example", lambda k: k) is None


def test_a_retraction_says_when_and_why_and_a_restoration_says_it_stands_again():
    at = dt.datetime(2024, 6, 1, 13, 0, tzinfo=dt.UTC)
    gone = {**ALERT, "retracted_at": at, "retraction_reason": "transcript correction v1 by ed"}
    note = notification(gone, "u", notice=1)
    assert note.title == "[structure-fire] RETRACTION: Metro Fire Disp (1201@metro)"
    assert note.body.splitlines()[0] == "RETRACTED: transcript correction v1 by ed"
    assert note.body.splitlines()[-1] == "ref abc123 · retraction 1"
    assert (note.event, note.notice, note.alert_id) == ("retraction", 1, "abc123")
    data = json.loads(body_bytes(note.payload))
    assert (data["event"], data["notice"], data["version"]) == ("retraction", 1, 2)
    assert data["retracted_at"] == "2024-06-01T13:00:00+00:00"
    assert data["retraction_reason"] == "transcript correction v1 by ed"
    assert body_bytes(notification(gone, "u", attempt=4, notice=1).payload) == body_bytes(
        note.payload
    )

    back = notification(ALERT, "u", notice=2)
    assert back.body.startswith("RESTORED: ") and back.event == "restoration"
    assert back.payload["retracted_at"] is None and back.payload["event"] == "restoration"
    first = notification(ALERT, "u")
    assert (first.payload["event"], first.payload["notice"], first.event) == ("alert", 0, "alert")
