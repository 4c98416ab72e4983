"""BroadcastifyResource: configuration to a polling client, against the local server."""

from __future__ import annotations

import json

import pytest

from resources.broadcastify.errors import BroadcastifyAuthError
from resources.broadcastify.resource import BroadcastifyResource
from resources.landing import LandingZone
from tests.resources.broadcastify.server import LocalBroadcastify

NOW = 1_714_746_600


def _resource(api: LocalBroadcastify, **overrides: object) -> BroadcastifyResource:
    settings: dict[str, object] = dict(
        base_url=api.base_url,
        api_key_id=api.api_key_id,
        api_key_secret=api.api_key_secret,
        app_id=api.app_id,
        username="dispatchfan",
        password="pw",
        sid=9099,
        system_names={"9099": "metro"},
        min_interval_s=0.0,
        backoff_s=0.01,
        lag_s=0.0,
    )
    return BroadcastifyResource(**(settings | overrides))  # type: ignore[arg-type]


def test_polls_as_the_configured_user(api: LocalBroadcastify, landing: LandingZone, mp3_bytes: bytes) -> None:
    api.server_time = NOW
    api.user = ("dispatchfan", "pw", 4412, "utk-abc")
    api.add_call("9099-2021", NOW - 60, mp3_bytes)
    resource = _resource(api)
    assert resource.configured
    result = resource.poll(landing, None)
    assert result.stored == 1 and json.loads(result.new_cursor)["pos"] == NOW - 60
    [live] = api.requests_to("/calls/v1/live/")
    assert live.claims is not None and (live.claims["sub"], live.claims["utk"]) == (4412, "utk-abc")
    [delivery] = landing.read(landing.pending())
    assert delivery.meta.system == "metro"  # type: ignore[union-attr]
    # the user token is reused by the next tick, not asked for again
    resource.poll(landing, result.new_cursor)
    assert len(api.requests_to("/common/v1/auth")) == 1


def test_a_refused_user_token_is_forgotten(api: LocalBroadcastify, landing: LandingZone) -> None:
    api.server_time = NOW
    api.user = ("fan2", "pw", 5, "utk-old")
    resource = _resource(api, username="fan2")
    resource.poll(landing, None)
    api.user = ("fan2", "pw", 5, "utk-new")  # the server expired the old token
    with pytest.raises(BroadcastifyAuthError):
        resource.poll(landing, None)
    resource.poll(landing, None)
    assert len(api.requests_to("/common/v1/auth")) == 2


def test_unconfigured_by_default() -> None:
    resource = BroadcastifyResource()
    assert not resource.configured
    assert resource.base_url == "https://api.bcfy.io" and resource.min_interval_s == 5.0
    assert not BroadcastifyResource(api_key_id="k", api_key_secret="s", app_id="a").configured  # no feed
    assert BroadcastifyResource(api_key_id="k", api_key_secret="s", app_id="a", groups=["1-2"]).configured
