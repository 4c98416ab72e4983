"""The Broadcastify Calls API as a Dagster resource: credentials (from the environment),
which feed to follow, and how politely to ask. The work lives in ``client`` and ``poller``."""

from __future__ import annotations

import threading
import time
from typing import ClassVar

from dagster import ConfigurableResource
from pydantic import Field

from resources.broadcastify.client import BroadcastifyClient, Credentials, LiveFeed, UserToken
from resources.broadcastify.errors import BroadcastifyAuthError
from resources.broadcastify.pacing import RetryPolicy, shared_limiter
from resources.broadcastify.poller import PollResult, PollSettings, poll_once
from resources.landing import LandingZone

# A user token lives for hours; asking for one per sensor tick would double the requests.
_USER_TOKENS: dict[tuple[str, str], UserToken] = {}
_USER_TOKENS_LOCK = threading.Lock()


class BroadcastifyResource(ConfigurableResource):
    """Polls one Broadcastify Calls live feed. Secrets are meant to come from the
    environment (``ENV`` names their variables); unset, the source is off."""

    ENV: ClassVar[dict[str, str]] = {
        "api_key_id": "SCANLAKE_BCFY_API_KEY_ID",
        "api_key_secret": "SCANLAKE_BCFY_API_KEY",
        "app_id": "SCANLAKE_BCFY_APP_ID",
        "username": "SCANLAKE_BCFY_USERNAME",
        "password": "SCANLAKE_BCFY_PASSWORD",
        "playlist_uuid": "SCANLAKE_BCFY_PLAYLIST_UUID",
        "sid": "SCANLAKE_BCFY_SID",
        "node_id": "SCANLAKE_BCFY_NODE_ID",
    }

    base_url: str = Field(default="https://api.bcfy.io", description="Broadcastify API host")
    api_key_id: str = Field(default="", description="API key id: the JWT header's kid")
    api_key_secret: str = Field(default="", description="API key: the JWT's HS256 signing secret")
    app_id: str = Field(default="", description="Application id: the JWT's iss")
    username: str = Field(default="", description="Broadcastify user, traded for a user token")
    password: str = Field(default="", description="Password of that user")
    user_id: int | None = Field(default=None, description="User id (sub), when a token is configured directly")
    user_token: str = Field(default="", description="User token (utk), when configured directly")
    sid: int | None = Field(default=None, description="Follow a whole system (Broadcastify sid)")
    groups: list[str] = Field(default_factory=list, description="Or talkgroups, as 'sid-tg'")
    playlist_uuid: str = Field(default="", description="Or a playlist")
    node_id: int | None = Field(default=None, description="Or a capturing node")
    system_names: dict[str, str] = Field(
        default_factory=dict, description="Broadcastify sid -> scanlake system name (default 'bcfy-SID')"
    )
    min_interval_s: float = Field(default=5.0, description="Least time between API requests (the docs' floor)")
    timeout_s: float = Field(default=20.0, description="Per-request timeout")
    max_retries: int = Field(default=3, description="Retries of 5xx, 429 and timeouts")
    backoff_s: float = Field(default=1.0, description="First retry delay, doubled each retry")
    lag_s: float = Field(default=60.0, description="Seconds the cursor trails the server clock, for late calls")
    give_up_s: float = Field(default=3600.0, description="Age after which a call without audio is a problem")
    jwt_ttl_s: int = Field(default=3600, description="Lifetime of each signed JWT")

    @property
    def configured(self) -> bool:
        feeds = [self.sid is not None, bool(self.groups), bool(self.playlist_uuid), self.node_id is not None]
        return bool(self.api_key_id and self.api_key_secret and self.app_id) and sum(feeds) == 1

    def feed(self) -> LiveFeed:
        return LiveFeed(
            sid=self.sid, groups=tuple(self.groups), playlist_uuid=self.playlist_uuid or None, node_id=self.node_id
        )

    def settings(self) -> PollSettings:
        return PollSettings(
            feed=self.feed(), system_names=dict(self.system_names), lag_s=self.lag_s, give_up_s=self.give_up_s
        )

    def client(self) -> BroadcastifyClient:
        """A client signed for this key (and user, when one is configured)."""
        base = BroadcastifyClient(
            self.base_url,
            Credentials(self.api_key_id, self.api_key_secret, self.app_id),
            timeout_s=self.timeout_s,
            retry=RetryPolicy(max_retries=self.max_retries, backoff_s=self.backoff_s),
            limiter=shared_limiter(self.base_url.rstrip("/"), self.api_key_id, self.min_interval_s),
            jwt_ttl_s=self.jwt_ttl_s,
        )
        user = self._user(base)
        if user is not None:
            base.use_user(user)
        return base

    def poll(self, landing: LandingZone, cursor: str | None) -> PollResult:
        """One poll of the configured feed into the landing zone (see ``poller.poll_once``)."""
        try:
            with self.client() as client:
                return poll_once(client, landing, cursor, self.settings())
        except BroadcastifyAuthError:
            # an expired user token must not be reused by every later tick
            with _USER_TOKENS_LOCK:
                _USER_TOKENS.pop((self.base_url, self.username), None)
            raise

    def _user(self, client: BroadcastifyClient) -> UserToken | None:
        if self.user_id is not None and self.user_token:
            return UserToken(self.user_id, self.user_token)
        if not (self.username and self.password):
            return None
        key = (self.base_url, self.username)
        with _USER_TOKENS_LOCK:
            cached = _USER_TOKENS.get(key)
        if cached and (cached.expires is None or cached.expires - 300 > time.time()):
            return cached
        fresh = client.authenticate_user(self.username, self.password)
        with _USER_TOKENS_LOCK:
            _USER_TOKENS[key] = fresh
        return fresh
