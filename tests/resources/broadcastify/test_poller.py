"""Polling the live feed into the landing zone, with a cursor that never passes an unstored call."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

from resources.broadcastify.client import BroadcastifyClient, LiveFeed
from resources.broadcastify.errors import BroadcastifyAuthError, BroadcastifyUnavailable
from resources.broadcastify.poller import PollSettings, call_meta, poll_once
from resources.calls import CallDelivery, MalformedCallJson
from resources.landing import LandingZone
from tests.resources.broadcastify.server import Fault, LocalBroadcastify

NOW = 1_714_746_600  # the server's clock in these tests
SETTINGS = PollSettings(feed=LiveFeed(sid=9099), system_names={"9099": "metro"})
MakeClient = Callable[..., BroadcastifyClient]


@pytest.fixture(autouse=True)
def _clock(api: LocalBroadcastify) -> None:
    api.server_time = NOW


def _landed(landing: LandingZone) -> list[CallDelivery]:
    items = list(landing.read(landing.pending()))
    assert all(isinstance(i, CallDelivery) for i in items)
    return sorted(items, key=lambda d: d.meta.start_time)  # type: ignore[union-attr, return-value]


def _pos(cursor: str) -> int:
    return json.loads(cursor)["pos"]


def test_stores_each_call_and_advances_past_them(
    api: LocalBroadcastify, make_client: MakeClient, landing: LandingZone, mp3_bytes: bytes
) -> None:
    api.add_call("9099-2021", NOW - 200, mp3_bytes, duration=4.5)
    api.add_call("9099-2105", NOW - 100, mp3_bytes, src=0)
    result = poll_once(make_client(), landing, None, SETTINGS)
    assert (result.stored, result.problems, result.retrying) == (2, [], [])
    assert _pos(result.new_cursor) == NOW - 100

    first, second = _landed(landing)
    assert first.source == "broadcastify" and first.audio_ext == "mp3"
    assert first.read_audio() == mp3_bytes
    meta = first.meta
    assert (meta.system, meta.talkgroup, meta.duration_s) == ("metro", 2021, 4.5)
    assert meta.start_time == dt.datetime.fromtimestamp(NOW - 200, dt.UTC)
    assert meta.call_uid == f"metro-2021-{NOW - 200}"
    assert meta.freq_hz == 851_012_500  # the feed gives MHz
    assert (meta.talkgroup_tag, meta.talkgroup_description) == ("PD Dispatch", "Police Dispatch")
    assert (meta.talkgroup_group, meta.talkgroup_group_tag) == ("City Police", "Law Dispatch")
    assert [u.unit_id for u in meta.units] == [1403127]
    assert second.meta.units == ()

    # the next poll asks from the cursor and finds only what is new
    again = poll_once(make_client(), landing, result.new_cursor, SETTINGS)
    assert again.stored == 0 and again.new_cursor == result.new_cursor
    api.add_call("9099-2021", NOW - 50, mp3_bytes)
    newer = poll_once(make_client(), landing, again.new_cursor, SETTINGS)
    assert newer.stored == 1 and _pos(newer.new_cursor) == NOW - 50
    assert api.requests_to("/calls/v1/live/")[-1].query["pos"] == str(NOW - 100)


def test_a_failed_download_holds_the_cursor_behind_that_call(
    api: LocalBroadcastify, make_client: MakeClient, landing: LandingZone, mp3_bytes: bytes
) -> None:
    api.add_call("9099-2021", NOW - 300, mp3_bytes)
    broken = api.add_call("9099-2105", NOW - 200, mp3_bytes)
    api.add_call("9099-2021", NOW - 100, mp3_bytes)
    broken_path = str(broken["url"]).removeprefix(api.base_url)
    api.fail_next(broken_path, *[Fault(503)] * 3)  # every retry of this poll fails

    result = poll_once(make_client(max_retries=2), landing, str(NOW - 400), SETTINGS)
    assert result.stored == 2 and result.retrying == [f"9099-2105-{NOW - 200}"]
    assert _pos(result.new_cursor) == NOW - 201  # not past the call it could not store
    assert json.loads(result.new_cursor)["done"] == [f"9099-2021-{NOW - 100}"]

    later_path = f"/audio/9099-2021-{NOW - 100}.mp3"
    downloads_before = len(api.requests_to(later_path))
    recovered = poll_once(make_client(), landing, result.new_cursor, SETTINGS)
    assert recovered.stored == 1 and recovered.retrying == []
    assert _pos(recovered.new_cursor) == NOW - 100
    assert len(api.requests_to(later_path)) == downloads_before  # stored once, not fetched again
    assert sorted(d.meta.talkgroup for d in _landed(landing)) == [2021, 2021, 2105]


def test_a_call_whose_audio_never_comes_becomes_a_problem(
    api: LocalBroadcastify, make_client: MakeClient, landing: LandingZone, mp3_bytes: bytes
) -> None:
    api.add_call("9099-2021", NOW - 7200, mp3_bytes, url=f"{api.base_url}/audio/gone.mp3")
    api.add_call("9099-2105", NOW - 30, mp3_bytes, url=None)  # listed before its audio
    result = poll_once(make_client(), landing, str(NOW - 8000), SETTINGS)
    [problem] = result.problems
    assert (problem.reason, problem.source_ref) == ("audio_unavailable", f"broadcastify:9099-2021-{NOW - 7200}")
    assert "HTTP 404" in problem.detail
    assert result.retrying == [f"9099-2105-{NOW - 30}"] and _pos(result.new_cursor) == NOW - 31


def test_malformed_records_are_problems_that_do_not_block(
    api: LocalBroadcastify, make_client: MakeClient, landing: LandingZone, mp3_bytes: bytes
) -> None:
    api.add_call("9099-2021", NOW - 90, mp3_bytes, duration=None, end_ts=None)
    api.add_call("9099-dispatch", NOW - 80, mp3_bytes)
    api.add_call("9099-2105", NOW - 70, mp3_bytes, freq="eight fifty")
    api.add_call("9099-2106", NOW - 60, mp3_bytes)
    result = poll_once(make_client(), landing, str(NOW - 120), SETTINGS)
    assert result.stored == 1
    details = sorted((p.source_ref, p.detail) for p in result.problems)
    assert details == [
        (f"broadcastify:9099-2021-{NOW - 90}", "no duration (nor start_ts and end_ts)"),
        (f"broadcastify:9099-2105-{NOW - 70}", "freq is 'eight fifty', not a number"),
        (f"broadcastify:9099-dispatch-{NOW - 80}", "groupId '9099-dispatch' has no numeric talkgroup"),
    ]
    assert all(isinstance(p, MalformedCallJson) for p in result.problems)
    assert _pos(result.new_cursor) == NOW - 60


def test_a_lagging_cursor_rereads_without_downloading_again(
    api: LocalBroadcastify, make_client: MakeClient, landing: LandingZone, mp3_bytes: bytes
) -> None:
    lagging = PollSettings(feed=LiveFeed(sid=9099), lag_s=60)
    api.add_call("9099-2021", NOW - 40, mp3_bytes)
    first = poll_once(make_client(), landing, str(NOW - 300), lagging)
    assert first.stored == 1 and _pos(first.new_cursor) == NOW - 60
    # published late: started before the newest call, listed after it
    api.add_call("9099-2105", NOW - 50, mp3_bytes)
    second = poll_once(make_client(), landing, first.new_cursor, lagging)
    assert second.stored == 1  # found, and the first call was not fetched twice
    assert len(api.requests_to(f"/audio/9099-2021-{NOW - 40}.mp3")) == 1
    assert sorted(json.loads(second.new_cursor)["done"]) == [f"9099-2021-{NOW - 40}", f"9099-2105-{NOW - 50}"]
    assert [d.meta.system for d in _landed(landing)] == ["bcfy-9099", "bcfy-9099"]
    api.server_time = NOW + 100  # once the cursor passes them, they leave the done list
    assert json.loads(poll_once(make_client(), landing, second.new_cursor, lagging).new_cursor) == {
        "pos": NOW + 40,
        "done": [],
    }


def test_api_failures_leave_the_cursor_and_the_landing_zone_alone(
    api: LocalBroadcastify, make_client: MakeClient, landing: LandingZone, mp3_bytes: bytes
) -> None:
    api.add_call("9099-2021", NOW - 40, mp3_bytes)
    api.fail_next("/calls/v1/live/", *[Fault(500)] * 3)
    with pytest.raises(BroadcastifyUnavailable):
        poll_once(make_client(max_retries=2), landing, str(NOW - 300), SETTINGS)
    with pytest.raises(BroadcastifyAuthError):
        poll_once(make_client(secret="a-different-secret-that-is-long-enough"), landing, str(NOW - 300), SETTINGS)
    assert landing.pending() == []


def test_cursor_forms() -> None:
    with pytest.raises(ValueError, match="not a Broadcastify cursor"):
        poll_once(None, None, "{not json", SETTINGS)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("record", "detail"),
    [
        ("a string", "call record is str, not an object"),
        ({"ts": 1}, "groupId is None"),
        ({"groupId": "9099-1"}, "missing ts"),
        ({"groupId": "9099-1", "ts": 1e20, "duration": 1}, "out of range"),
        ({"groupId": "9099-1", "ts": 1, "duration": True}, "duration is True, not a number"),
        ({"groupId": "9099-1", "ts": 1, "duration": 1, "display": ["x"]}, "display is ['x'], not text"),
    ],
)
def test_call_meta_rejects_bad_records(record: object, detail: str) -> None:
    with pytest.raises(MalformedCallJson) as caught:
        call_meta(record, "broadcastify:x", {})
    assert detail in caught.value.detail


def test_call_meta_for_conventional_and_hz_feeds() -> None:
    meta = call_meta(
        {"groupId": "c-22412", "ts": "1714746600", "start_ts": 1714746600, "end_ts": 1714746606, "freq": 460250000},
        "ref",
        {},
    )
    assert (meta.system, meta.talkgroup, meta.duration_s, meta.freq_hz) == ("bcfy-conventional", 22412, 6.0, 460250000)
    assert meta.stop_time == dt.datetime.fromtimestamp(1714746606, dt.UTC)
