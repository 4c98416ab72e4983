"""How the upload service meets the network: uvicorn with TLS, a header deadline and a
connection cap.

Keys travel in the request body, so plain HTTP is refused on any address but loopback
unless ``SCANLAKE_UPLOAD_ALLOW_PLAINTEXT=1`` says a TLS-terminating reverse proxy sits in
front (README, Security). uvicorn has no deadline for a request's headers, so a client
that opens a connection and trickles (or never sends) them would hold it forever:
``HeaderDeadline`` closes such a connection after ``header_timeout_s``. Body deadlines,
the cap on bodies and the throttling of refused keys live in ``app`` and ``multipart``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from lake.objects import ObjectStore
from resources.landing import LandingZone
from resources.upload.app import create_app
from resources.upload.settings import UploadSettings

log = logging.getLogger("scanlake.upload")


class PlaintextRefused(RuntimeError):
    """Plain HTTP on a network address, without TLS settings or an explicit opt-out."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def check_transport(settings: UploadSettings) -> None:
    """Refuse to serve keys in clear text on anything but loopback."""
    if settings.tls or settings.allow_plaintext or is_loopback(settings.host):
        return
    raise PlaintextRefused(
        f"refusing plain HTTP on {settings.host}: API keys would cross the network in clear text. "
        "Set SCANLAKE_UPLOAD_TLS_CERT and SCANLAKE_UPLOAD_TLS_KEY, or, behind a reverse proxy "
        "that terminates TLS, SCANLAKE_UPLOAD_ALLOW_PLAINTEXT=1"
    )


class HeaderDeadline(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request headers are not complete
    ``header_timeout_s`` after it opened or after its previous response."""

    header_timeout_s = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.cycle is not None and self.cycle is not self._waiting_after:
            self._disarm()  # a new request's headers are in

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._waiting_after = self.cycle
        self._header_timer: asyncio.TimerHandle | None = self.loop.call_later(
            self.header_timeout_s, self._expire
        )

    def _disarm(self) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
        self._header_timer = None

    def _expire(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            log.info("closing %s: no request headers within %.0f s", self.client, self.header_timeout_s)
            self.transport.close()


def uvicorn_config(
    settings: UploadSettings, landing: LandingZone | None = None, log_level: str = "info"
) -> uvicorn.Config:
    """The service's uvicorn set-up, for ``serve`` and for tests that run the real thing."""
    protocol = type("HeaderDeadline", (HeaderDeadline,), {"header_timeout_s": settings.header_timeout_s})
    return uvicorn.Config(
        create_app(settings, landing or LandingZone(ObjectStore(settings.lake))),
        host=settings.host,
        port=settings.port,
        http=protocol,
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=5,
        ssl_certfile=settings.tls_cert,
        ssl_keyfile=settings.tls_key,
        lifespan="off",
        log_level=log_level,
    )


def serve(settings: UploadSettings | None = None) -> None:
    """Run the upload service in the foreground (``scanlake serve-upload``,
    ``python -m resources.upload``) until interrupted; ``PlaintextRefused`` first if it
    would take keys in clear text over a network."""
    settings = settings or UploadSettings.from_env()
    check_transport(settings)
    if not settings.keys:
        log.warning("no API keys in SCANLAKE_UPLOAD_KEYS: every upload will be refused")
    scheme = "https" if settings.tls else "http"
    log.info(
        "call upload on %s://%s:%d/api/call-upload -> %s", scheme, settings.host, settings.port, settings.lake.uri
    )
    uvicorn.Server(uvicorn_config(settings)).run()
