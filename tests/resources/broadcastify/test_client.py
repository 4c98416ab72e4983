"""The Broadcastify client against a local server that speaks the API's shapes."""

from __future__ import annotations

import time
from collections.abc import Callable

import jwt
import pytest

from resources.broadcastify.client import BroadcastifyClient, Credentials, LiveFeed, UserToken
from resources.broadcastify.errors import (
    AudioDownloadError,
    BroadcastifyAuthError,
    BroadcastifyBadResponse,
    BroadcastifyError,
    BroadcastifyUnavailable,
)
from resources.broadcastify.pacing import RetryPolicy, shared_limiter
from resources.ratelimit import TokenBucket as RateLimiter
from tests.resources.broadcastify.server import Fault, LocalBroadcastify

FEED = LiveFeed(sid=9099)
LIVE = "/calls/v1/live/"
MakeClient = Callable[..., BroadcastifyClient]


def test_jwt_has_the_documented_header_and_claims(api: LocalBroadcastify, make_client: MakeClient) -> None:
    client = make_client()
    token = client.jwt()
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT", "kid": api.api_key_id}
    claims = jwt.decode(token, api.api_key_secret, algorithms=["HS256"])
    assert claims["iss"] == api.app_id and claims["exp"] - claims["iat"] == 3600
    assert "sub" not in claims and "utk" not in claims
    client.use_user(UserToken(4412, "utk-abc"))
    with_user = jwt.decode(client.jwt(), api.api_key_secret, algorithms=["HS256"], options={"verify_sub": False})
    assert (with_user["sub"], with_user["utk"]) == (4412, "utk-abc")


def test_live_calls_since_a_position(api: LocalBroadcastify, make_client: MakeClient, mp3_bytes: bytes) -> None:
    now = int(time.time())
    api.add_call("9099-2021", now - 30, mp3_bytes)
    api.add_call("9099-2105", now - 20, mp3_bytes)
    api.add_call("7000-1", now - 10, mp3_bytes)  # another system
    page = make_client().live_calls(FEED, pos=now - 25)
    assert [c["groupId"] for c in page.calls] == ["9099-2105"]  # type: ignore[index]
    assert page.last_pos == now - 20 and page.server_time is not None
    [seen] = api.requests_to(LIVE)
    assert seen.query == {"sid": "9099", "pos": str(now - 25)}
    assert seen.claims is not None and seen.claims["iss"] == api.app_id


def test_5xx_is_retried_until_it_succeeds(api: LocalBroadcastify, make_client: MakeClient) -> None:
    api.fail_next(LIVE, Fault(503), Fault(502, b"bad gateway", content_type="text/plain"))
    page = make_client(max_retries=2).live_calls(FEED, pos=0)
    assert page.calls == [] and len(api.requests_to(LIVE)) == 3


def test_5xx_that_outlasts_the_retries_is_unavailable(api: LocalBroadcastify, make_client: MakeClient) -> None:
    api.fail_next(LIVE, *[Fault(500)] * 3)
    with pytest.raises(BroadcastifyUnavailable, match="HTTP 500, after 3 attempts"):
        make_client(max_retries=2).live_calls(FEED, pos=0)


def test_timeouts_are_retried_then_reported(api: LocalBroadcastify, make_client: MakeClient) -> None:
    api.fail_next(LIVE, Fault(200, b"{}", delay_s=0.6))
    page = make_client(timeout_s=0.2, max_retries=1).live_calls(FEED, pos=0)
    assert page.calls == []
    api.fail_next(LIVE, *[Fault(200, b"{}", delay_s=0.6)] * 2)
    with pytest.raises(BroadcastifyUnavailable, match="timed out"):
        make_client(timeout_s=0.2, max_retries=1).live_calls(FEED, pos=0)


def test_connection_refused_is_unavailable(make_client: MakeClient) -> None:
    client = BroadcastifyClient("http://127.0.0.1:9", Credentials("k", "s" * 32, "a"), limiter=RateLimiter(0))
    client.retry.backoff_s = 0.01
    with pytest.raises(BroadcastifyUnavailable, match="connection failed"):
        client.live_calls(FEED, pos=0)
    client.close()


def test_a_wrong_secret_is_a_clear_auth_error_without_retries(api: LocalBroadcastify, make_client: MakeClient) -> None:
    with pytest.raises(BroadcastifyAuthError) as caught:
        make_client(secret="not-the-secret-but-long-enough-for-hs256").live_calls(FEED, pos=0)
    assert (caught.value.status, caught.value.code) == (401, "103")
    assert "API key secret" in str(caught.value)
    assert len(api.requests_to(LIVE)) == 1


def test_a_feed_needing_a_user_answers_403(api: LocalBroadcastify, make_client: MakeClient) -> None:
    api.user = ("dispatchfan", "pw", 4412, "utk-abc")
    client = make_client()
    with pytest.raises(BroadcastifyAuthError) as caught:
        client.live_calls(FEED, pos=0)
    assert caught.value.status == 403
    user = client.authenticate_user("dispatchfan", "pw")
    assert (user.user_id, user.token) == (4412, "utk-abc")
    client.use_user(user)
    assert client.live_calls(FEED, pos=0).calls == []
    with pytest.raises(BroadcastifyAuthError):
        client.authenticate_user("dispatchfan", "wrong")


@pytest.mark.parametrize(
    ("body", "content_type", "match"),
    [
        (b"<html>Gateway</html>", "text/html", "not JSON"),
        (b'{"calls": [', "application/json", "not JSON"),
        (b"[1, 2]", "application/json", "JSON list, not an object"),
        (b'{"serverTime": 1}', "application/json", "no calls list"),
        (b'{"calls": {"a": 1}}', "application/json", "no calls list"),
        (b'{"calls": [], "lastPos": "soon"}', "application/json", "lastPos is 'soon'"),
        (b'{"errors": [{"code": "104", "title": "Invalid Parameters"}]}', "application/json", "refused"),
    ],
)
def test_malformed_bodies_are_typed_errors(
    api: LocalBroadcastify, make_client: MakeClient, body: bytes, content_type: str, match: str
) -> None:
    api.fail_next(LIVE, Fault(200, body, content_type=content_type))
    with pytest.raises(BroadcastifyBadResponse, match=match):
        make_client().live_calls(FEED, pos=0)


def test_requests_are_spaced_by_the_rate_limit(api: LocalBroadcastify, make_client: MakeClient) -> None:
    limiter = RateLimiter(0.3)
    first, second = make_client(limiter=limiter), make_client(limiter=limiter)
    for client in (first, second, first, second):
        client.live_calls(FEED, pos=0)
    times = [s.at for s in api.requests_to(LIVE)]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    # spaced when sent; arrival adds each request's own latency, hence the margin
    assert len(gaps) == 3 and min(gaps) >= 0.2
    # retries wait their turn too
    api.fail_next(LIVE, Fault(503))
    first.live_calls(FEED, pos=0)
    retry_times = [s.at for s in api.requests_to(LIVE)][-2:]
    assert retry_times[1] - retry_times[0] >= 0.2


def test_the_shared_limiter_is_one_per_key_and_host() -> None:
    a = shared_limiter("http://127.0.0.1:1", "kid-1", 0.5)
    assert shared_limiter("http://127.0.0.1:1", "kid-1", 0.5) is a
    assert shared_limiter("http://127.0.0.1:1", "kid-2", 0.5) is not a


def test_audio_download(api: LocalBroadcastify, make_client: MakeClient, mp3_bytes: bytes) -> None:
    record = api.add_call("9099-2021", 1_700_000_000, mp3_bytes)
    client = make_client()
    url = str(record["url"])
    audio = client.download(url)
    assert (audio.data, audio.content_type) == (mp3_bytes, "audio/mpeg")
    path = url.removeprefix(api.base_url)
    assert "Authorization" not in str(api.requests_to(path))  # the API's JWT stays home
    api.fail_next(path, Fault(502))
    assert client.download(url).data == mp3_bytes
    with pytest.raises(AudioDownloadError, match="HTTP 404"):
        client.download(f"{api.base_url}/audio/missing.mp3")
    assert len(api.requests_to("/audio/missing.mp3")) == 1  # a 404 is not retried
    api.fail_next(path, *[Fault(503)] * 3)
    with pytest.raises(AudioDownloadError, match="after 3 attempts"):
        client.download(url)


def test_a_feed_is_exactly_one_selector() -> None:
    assert LiveFeed(groups=("9099-2021", "9099-2105")).params() == {"groups": "9099-2021,9099-2105"}
    assert LiveFeed(playlist_uuid="abc").params() == {"playlist_uuid": "abc"}
    with pytest.raises(ValueError, match="exactly one"):
        LiveFeed().params()
    with pytest.raises(ValueError, match="exactly one"):
        LiveFeed(sid=1, node_id=2).params()


def test_a_4xx_is_final_and_a_5xx_backs_off_doubling(api: LocalBroadcastify, make_client: MakeClient) -> None:
    api.fail_next(LIVE, Fault(404, b"{}"))
    with pytest.raises(BroadcastifyError, match="HTTP 404"):
        make_client().live_calls(FEED, pos=0)
    assert len(api.requests_to(LIVE)) == 1
    waits: list[float] = []
    client = make_client(max_retries=2)
    client.retry.sleep = waits.append
    api.fail_next(LIVE, Fault(503), Fault(503))
    assert client.live_calls(FEED, pos=0).calls == []
    assert waits == [pytest.approx(0.01), pytest.approx(0.02)]  # backoff_s doubling


def test_retry_after_stretches_the_wait_up_to_the_cap() -> None:
    policy = RetryPolicy(backoff_s=1.0, max_backoff_s=30.0)
    assert [policy.delay(0), policy.delay(1, "7"), policy.delay(2, "120"), policy.delay(0, "soon")] == [1.0, 7.0, 30.0, 1.0]
