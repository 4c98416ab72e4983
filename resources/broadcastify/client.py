"""A client for the Broadcastify Calls API's live feed, pure of Dagster.

What it speaks (Broadcastify's developer docs at bcfy.io/dev, as used by client code that
runs against the live API):

- Every request carries ``Authorization: Bearer <JWT>``: HS256, signed with the API key
  secret, header ``kid`` = the API key id, claims ``iss`` = the application id, ``iat``,
  ``exp``; and, for feeds that need a Broadcastify user, ``sub`` = the user id and
  ``utk`` = the user token that ``POST /common/v1/auth`` (username, password) returns.
- ``GET /calls/v1/live/`` with one of ``sid``, ``groups``, ``playlist_uuid`` or
  ``nodeId``, and ``pos`` (unix seconds): the calls that started after ``pos`` (the last
  five minutes without it), as ``{"serverTime", "lastPos", "calls": [...]}``. The docs ask
  for no more than one poll every five seconds.
- 401/403 come with ``{"errors": [{"code", "title"}]}``; the same shape can arrive with a
  200, which is a refusal too.
- Call audio is an MP3 (or M4A) at the call's ``url``, fetched without the API's JWT.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx
import jwt
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from resources.broadcastify.errors import (
    AudioDownloadError,
    BroadcastifyAuthError,
    BroadcastifyBadResponse,
    BroadcastifyError,
    BroadcastifyUnavailable,
)
from resources.broadcastify.pacing import RetryPolicy, shared_limiter
from resources.ratelimit import TokenBucket

LIVE_PATH = "/calls/v1/live/"
AUTH_PATH = "/common/v1/auth"


@dataclass(frozen=True)
class Credentials:
    api_key_id: str
    api_key_secret: str
    app_id: str
    user_id: int | None = None
    user_token: str | None = None


@dataclass(frozen=True)
class LiveFeed:
    """Which calls to follow: exactly one of a system, talkgroup groups (``"sid-tg"``), a
    playlist or a node."""

    sid: int | None = None
    groups: tuple[str, ...] = ()
    playlist_uuid: str | None = None
    node_id: int | None = None

    def params(self) -> dict[str, str]:
        chosen = {
            "sid": str(self.sid) if self.sid is not None else None,
            "groups": ",".join(self.groups) if self.groups else None,
            "playlist_uuid": self.playlist_uuid or None,
            "nodeId": str(self.node_id) if self.node_id is not None else None,
        }
        given = {k: v for k, v in chosen.items() if v is not None}
        if len(given) != 1:
            raise ValueError(f"a live feed needs exactly one of sid, groups, playlist_uuid, node_id; got {sorted(given)}")
        return given


@dataclass(frozen=True)
class LivePage:
    calls: list[object]
    last_pos: int | None
    server_time: int | None


@dataclass(frozen=True)
class UserToken:
    user_id: int
    token: str
    expires: float | None = None


@dataclass(frozen=True)
class Audio:
    data: bytes
    content_type: str | None


class BroadcastifyClient:
    """Live calls and their audio, with JWT auth, retries with backoff and a rate limit."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        timeout_s: float = 20.0,
        retry: RetryPolicy | None = None,
        min_interval_s: float = 5.0,
        limiter: TokenBucket | None = None,
        jwt_ttl_s: int = 3600,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.retry = retry or RetryPolicy()
        self.limiter = limiter or shared_limiter(self.base_url, credentials.api_key_id, min_interval_s)
        self.jwt_ttl_s = jwt_ttl_s
        self._now = now
        self._http = httpx.Client(timeout=timeout_s, follow_redirects=True)
        self._token: tuple[str, float] | None = None

    def __enter__(self) -> BroadcastifyClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def use_user(self, user: UserToken) -> None:
        """Sign from now on as this Broadcastify user (``sub``/``utk``)."""
        c = self.credentials
        self.credentials = Credentials(c.api_key_id, c.api_key_secret, c.app_id, user.user_id, user.token)
        self._token = None

    def jwt(self, with_user: bool = True) -> str:
        """A signed token, reused until a minute before it expires."""
        now = self._now()
        if with_user and self._token and self._token[1] - 60 > now:
            return self._token[0]
        c = self.credentials
        claims: dict[str, object] = {"iss": c.app_id, "iat": int(now), "exp": int(now) + self.jwt_ttl_s}
        if with_user and c.user_id is not None and c.user_token:
            claims |= {"sub": c.user_id, "utk": c.user_token}
        token = jwt.encode(claims, c.api_key_secret, algorithm="HS256", headers={"kid": c.api_key_id})
        if with_user:
            self._token = (token, now + self.jwt_ttl_s)
        return token

    def live_calls(self, feed: LiveFeed, pos: int | None) -> LivePage:
        """The feed's calls that started after ``pos`` (unix seconds)."""
        params = feed.params()
        if pos is not None:
            params["pos"] = str(int(pos))
        body = self._json(self._api("GET", LIVE_PATH, params=params))
        calls = body.get("calls")
        if not isinstance(calls, list):
            raise BroadcastifyBadResponse(f"live calls answer has no calls list (keys: {sorted(body)})")
        return LivePage(calls=calls, last_pos=_opt_int(body, "lastPos"), server_time=_opt_int(body, "serverTime"))

    def authenticate_user(self, username: str, password: str) -> UserToken:
        """Trade a Broadcastify username and password for the user id and token a JWT
        carries as ``sub`` and ``utk``."""
        resp = self._api("POST", AUTH_PATH, data={"username": username, "password": password}, with_user=False)
        body = self._json(resp)
        try:
            uid, token = int(body["uid"]), str(body["token"])  # type: ignore[call-overload]
        except (KeyError, TypeError, ValueError) as exc:
            raise BroadcastifyBadResponse(f"user auth answer lacks uid/token (keys: {sorted(body)})") from exc
        return UserToken(uid, token, _opt_float(body, "exp"))

    def download(self, url: str) -> Audio:
        """A call's audio. 5xx and timeouts are retried; other failures are final for
        this attempt (the caller may try again on a later poll)."""
        try:
            resp = self._send("GET", url, limited=False)
        except BroadcastifyAuthError as exc:
            raise AudioDownloadError(url, f"HTTP {exc.status}") from exc
        except BroadcastifyError as exc:
            raise AudioDownloadError(url, str(exc)) from exc
        if not resp.content:
            raise AudioDownloadError(url, "empty body")
        return Audio(resp.content, resp.headers.get("content-type"))

    # -- transport ---------------------------------------------------------------------

    def _api(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        with_user: bool = True,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.jwt(with_user)}", "Accept": "application/json"}
        return self._send(method, f"{self.base_url}{path}", params=params, data=data, headers=headers)

    def _send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        limited: bool = True,
    ) -> httpx.Response:
        attempts = self.retry.max_retries + 1

        def wait(state: RetryCallState) -> float:
            # tenacity numbers attempts from 1, the policy from 0
            failed = state.outcome.exception() if state.outcome else None
            retry_after = failed.retry_after if isinstance(failed, _Retryable) else None
            return self.retry.delay(state.attempt_number - 1, retry_after)

        retrying = Retrying(
            stop=stop_after_attempt(attempts),
            wait=wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self.retry.sleep,
            reraise=True,
        )
        try:
            return retrying(self._send_once, method, url, params, data, headers, limited)
        except _Retryable as exc:
            raise BroadcastifyUnavailable(f"{method} {url}: {exc}, after {attempts} attempts") from None

    def _send_once(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        limited: bool,
    ) -> httpx.Response:
        if limited:
            self.limiter.wait()  # retries wait their turn too
        try:
            resp = self._http.request(method, url, params=params, data=data, headers=headers)
        except httpx.TimeoutException as exc:
            raise _Retryable(f"timed out ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"connection failed ({type(exc).__name__}: {exc})") from None
        status = resp.status_code
        if status in (401, 403):
            code, title = _error_of(resp)
            raise BroadcastifyAuthError(status, code, title)
        if status == 429 or status >= 500:
            raise _Retryable(f"HTTP {status}", resp.headers.get("retry-after"))
        if status >= 400:
            raise BroadcastifyError(f"HTTP {status} from {method} {url}: {resp.text[:200]!r}")
        return resp

    @staticmethod
    def _json(resp: httpx.Response) -> dict[str, object]:
        try:
            body = resp.json()
        except ValueError as exc:
            kind = resp.headers.get("content-type") or "no content type"
            raise BroadcastifyBadResponse(f"answer is not JSON ({kind}): {resp.text[:120]!r}") from exc
        if not isinstance(body, dict):
            raise BroadcastifyBadResponse(f"answer is a JSON {type(body).__name__}, not an object")
        errors = body.get("errors")
        if errors:
            raise BroadcastifyBadResponse(f"request refused: {errors!r:.200}")
        return body


class _Retryable(Exception):
    """A failure a later attempt may not meet: a timeout, no connection, 429 or a 5xx."""

    def __init__(self, detail: str, retry_after: str | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


def _error_of(resp: httpx.Response) -> tuple[str | None, str | None]:
    try:
        first = resp.json()["errors"][0]
        return str(first.get("code")), str(first.get("title"))
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None, resp.text[:120] or None


def _opt_int(body: Mapping[str, object], key: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BroadcastifyBadResponse(f"{key} is {value!r}, not a timestamp")
    try:
        return int(float(value))
    except ValueError as exc:
        raise BroadcastifyBadResponse(f"{key} is {value!r}, not a timestamp") from exc


def _opt_float(body: Mapping[str, object], key: str) -> float | None:
    value = _opt_int(body, key)
    return None if value is None else float(value)
