"""Typed failures of the Broadcastify Calls API, so a caller can tell a bad key (stop and
say so) from an outage (try later) from a broken answer (report it)."""

from __future__ import annotations


class BroadcastifyError(Exception):
    """Anything that stopped a Broadcastify request from giving an answer."""


class BroadcastifyAuthError(BroadcastifyError):
    """401/403: the key, key id, app id or user token was refused. Retrying cannot help."""

    def __init__(self, status: int, code: str | None, title: str | None) -> None:
        hint = {
            "103": "the JWT was rejected (signature or exp): check the API key secret",
            "108": "the API key id (kid) is unknown: it is neither the key nor the app id",
        }.get(code or "", "check the API key, key id, app id and the user token")
        super().__init__(f"Broadcastify refused the credentials (HTTP {status}, code {code}: {title}): {hint}")
        self.status = status
        self.code = code
        self.title = title


class BroadcastifyUnavailable(BroadcastifyError):
    """5xx, 429, timeouts or connection failures that outlasted every retry."""


class BroadcastifyBadResponse(BroadcastifyError):
    """A 200 whose body is not what the endpoint promises (not JSON, wrong shape, errors)."""


class AudioDownloadError(BroadcastifyError):
    """A call's audio could not be fetched (after retries, where retrying made sense)."""

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(f"audio {url}: {detail}")
        self.url = url
        self.detail = detail
