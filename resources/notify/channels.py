"""Notification channels: where an alert goes and how one send is made.

A channel is a name in the alerts YAML plus the names of the environment variables that
hold its secrets. Its URL is never in code or in the YAML:

- an **Apprise URL** (``signal://``, ``mailto://``, ``tgram://``, ``discord://``,
  ``slack://``, ``ntfy://``, ``json://``...) sent through Apprise;
- or, when the channel names a signing secret, a **signed webhook**: an ``http(s)://`` URL
  that receives the alert as canonical JSON with an HMAC-SHA256 signature header. Apprise
  cannot sign (a ``json://`` header is fixed when the URL is parsed, and the body it posts
  is built inside the plugin after its own format conversions), so these are POSTed with
  httpx over bytes signed right before sending.

Every send carries the alert id and its notice (0 the alert, then its retraction and its
restoration after a correction) as an idempotency key the receiver can see: the
``X-Scanlake-Alert-Id`` and ``X-Scanlake-Notice`` headers for webhooks and e-mail (Apprise
plugins with custom headers), and a ``ref`` line in the text for the others (Signal, chat
apps). ``X-Scanlake-Event`` names the notice: ``alert``, ``retraction`` or ``restoration``.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import apprise
import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from resources.notify.signing import (
    ALERT_ID_HEADER,
    ATTEMPT_HEADER,
    EVENT_HEADER,
    NOTICE_HEADER,
    SIGNATURE_HEADER,
    body_bytes,
    signature,
)


class ChannelNotConfigured(Exception):
    """The channel cannot be sent to as configured (unset variable, unusable URL).
    Retrying within the run would not help; the delivery stays pending until it is fixed."""

    def __init__(self, channel: str, detail: str) -> None:
        super().__init__(f"channel {channel!r}: {detail}")
        self.channel = channel
        self.detail = detail


class SendFailed(Exception):
    """One send failed in a way a later send may not: no answer, a timeout, a 5xx, a 429."""


class SendRefused(SendFailed):
    """The receiver refused the send for good (a 4xx other than 408 and 429): sending the
    same bytes again would be refused again."""


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    url_env: str
    signing_secret_env: str | None = None
    # Resend an attempt whose outcome was lost in a crash: only for receivers that drop
    # a second copy with the same alert id and notice.
    resend_in_doubt: bool = False

    @property
    def signed(self) -> bool:
        return self.signing_secret_env is not None


@dataclass(frozen=True)
class Notification:
    alert_id: str
    title: str
    body: str
    payload: Mapping[str, object] = field(default_factory=dict)
    attempt: int = 1
    notice: int = 0
    event: str = "alert"


@dataclass(frozen=True)
class SendResult:
    ok: bool
    tries: int
    error: str | None = None


def send_once(
    channel: ChannelSpec,
    note: Notification,
    env: Mapping[str, str],
    timeout_s: float,
) -> None:
    """Send ``note`` once; raise SendFailed (worth retrying) or ChannelNotConfigured."""
    url = env.get(channel.url_env, "").strip()
    if not url:
        raise ChannelNotConfigured(
            channel.name, f"environment variable {channel.url_env} is not set"
        )
    if channel.signed:
        secret = env.get(channel.signing_secret_env or "", "")
        if not secret:
            raise ChannelNotConfigured(
                channel.name, f"environment variable {channel.signing_secret_env} is not set"
            )
        _send_signed(channel, url, secret, note, timeout_s)
    else:
        _send_apprise(channel, url, note, timeout_s)


_URL = re.compile(r"\b([a-z][a-z0-9+.-]*://)[^\s'\"<>]+", re.IGNORECASE)


def without_urls(text: str) -> str:
    """``text`` with every URL cut to its scheme: channel URLs carry tokens (Slack, Telegram,
    a webhook's secret path) in the host and path, and error texts quote them."""
    return _URL.sub(lambda m: f"{m.group(1)}[redacted]", text)


def send_with_retries(
    channel: ChannelSpec,
    note: Notification,
    env: Mapping[str, str],
    tries: int,
    backoff_s: float,
    backoff_max_s: float,
    timeout_s: float,
    sleep: Callable[[float], None] = time.sleep,
) -> SendResult:
    """Up to ``tries`` sends with exponential backoff and jitter between them. Only a
    failure worth retrying (``SendFailed``, not ``SendRefused``) is sent again."""

    def jittered(state: RetryCallState) -> float:
        # Jitter keeps many runs that failed together from retrying in lockstep.
        wait = min(backoff_max_s, backoff_s * 2 ** (state.attempt_number - 1))
        return wait * random.uniform(0.5, 1.0)

    retrying = Retrying(
        stop=stop_after_attempt(max(1, tries)),
        wait=jittered,
        retry=retry_if_exception(
            lambda exc: isinstance(exc, SendFailed) and not isinstance(exc, SendRefused)
        ),
        sleep=sleep,
        reraise=True,
    )
    n = 0
    try:
        for attempt in retrying:
            with attempt:
                n = attempt.retry_state.attempt_number
                send_once(channel, note, env, timeout_s)
    except (ChannelNotConfigured, SendFailed) as exc:
        return SendResult(False, n, str(exc))
    return SendResult(True, n)


def _send_signed(
    channel: ChannelSpec, url: str, secret: str, note: Notification, timeout_s: float
) -> None:
    if not url.startswith(("http://", "https://")):
        raise ChannelNotConfigured(
            channel.name, "a signed webhook needs an http:// or https:// URL"
        )
    body = body_bytes(note.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "scanlake-alerts",
        ALERT_ID_HEADER: note.alert_id,
        ATTEMPT_HEADER: str(note.attempt),
        NOTICE_HEADER: str(note.notice),
        EVENT_HEADER: note.event,
        SIGNATURE_HEADER: signature(secret, body),
    }
    try:
        reply = httpx.post(url, content=body, headers=headers, timeout=timeout_s)
    except httpx.HTTPError as exc:
        raise SendFailed(f"{type(exc).__name__}: {without_urls(str(exc))}") from exc
    if not 200 <= reply.status_code < 300:
        # Not the reply body: a receiver may echo the payload back (transcript, address,
        # plates), and this text is logged and kept in alert_deliveries.last_error.
        detail = f"HTTP {reply.status_code} {reply.reason_phrase}".strip()
        if 400 <= reply.status_code < 500 and reply.status_code not in (408, 429):
            raise SendRefused(detail)
        raise SendFailed(detail)


def _send_apprise(channel: ChannelSpec, url: str, note: Notification, timeout_s: float) -> None:
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        # Apprise logs why; the URL itself may hold a token, so it is not repeated here.
        raise ChannelNotConfigured(channel.name, f"{channel.url_env} is not a usable Apprise URL")
    plugin.socket_connect_timeout = timeout_s
    plugin.socket_read_timeout = timeout_s
    headers = getattr(plugin, "headers", None)
    if isinstance(headers, dict):
        headers[ALERT_ID_HEADER] = note.alert_id
        headers[ATTEMPT_HEADER] = str(note.attempt)
        headers[NOTICE_HEADER] = str(note.notice)
        headers[EVENT_HEADER] = note.event
    sender = apprise.Apprise()
    sender.add(plugin)
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as logs:
        ok = sender.notify(body=note.body, title=note.title, body_format=apprise.NotifyFormat.TEXT)
    if not ok:
        detail = (
            without_urls(" ".join(logs.getvalue().split()))[:300] or "Apprise reported a failure"
        )
        raise SendFailed(detail)
