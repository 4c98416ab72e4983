"""The call-upload service: rdio-scanner's upload API in front of the lake's landing zone.

A recorder pointed at rdio-scanner (trunk-recorder's rdioscanner_uploader plugin, an
uploadScript, SDRTrunk's "Rdio Scanner" streaming) can point at this instead and change
nothing else. Each accepted call is stored whole in the landing zone before the reply;
the raw layer's sensor ingests it from there, and the call_uid dedupes retries.

Replies are rdio-scanner's plain-text lines:

=====  ===========================================================================
200    ``Call imported successfully.`` (also for a retry of a stored call)
400    ``Invalid call data: <field>: <why>``, ``Invalid content-type``, ``Not a multipart
       content``, ``Invalid multipart body: …``, unreadable or too long audio
401    ``Invalid API key for system <s> talkgroup <t>.`` (missing or unknown key)
403    the same line, for a key that may not upload for that system
405    ``Unsupported method``
413    ``Request too large: …`` (decided from Content-Length before the body is read)
415    ``Unsupported audio type: …``
417    ``Incomplete call data: no talkgroup`` (… ``no system``, ``no datetime``, ``no
       audio``), as rdio-scanner answers
429    ``Too many uploads …`` with ``Retry-After``
503    ``Call could not be stored …`` (the landing zone failed; nothing acknowledged)
=====  ===========================================================================
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
import weakref

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from lake.objects import ObjectStore
from resources.calls import CallMeta, MalformedCall
from resources.landing import LandingZone
from resources.trunk_recorder.format import parse_call_json
from resources.upload.audio import BadAudio, ProbedAudio, UnsupportedAudio, probe
from resources.upload.keys import ApiKey, KeyRing
from resources.upload.multipart import BadBody, BodyTooLarge, Part, read_form
from resources.upload.ratelimit import RateLimiter
from resources.upload.rdio import (
    IMPORTED,
    IncompleteCall,
    InvalidField,
    check_meta,
    invalid_key_reply,
    parse_call_upload,
)
from resources.upload.settings import UploadSettings

log = logging.getLogger("scanlake.upload")

# The landing zone's name for calls that came in over HTTP.
SOURCE = "upload"
_METHODS = ["GET", "HEAD", "PUT", "PATCH", "DELETE", "POST"]


class Rejected(Exception):
    def __init__(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(text)
        self.status = status
        self.text = text
        self.headers = headers or {}


def _reply(status: int, text: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(f"{text}\n", status_code=status, headers=headers)


class Uploads:
    """What every request shares: keys, rate limits and the landing zone."""

    def __init__(self, settings: UploadSettings, landing: LandingZone | None = None) -> None:
        self.settings = settings
        self.keys = KeyRing(settings.keys)
        self.limits = RateLimiter(settings.rate_per_s, settings.rate_burst)
        self.landing = landing or LandingZone(ObjectStore(settings.lake))
        # one writer per call at a time: two copies of a retried call racing for its objects
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def read(self, request: Request) -> dict[str, Part]:
        cap = self.settings.max_request_bytes
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                raise Rejected(400, "Invalid content-length")
            if int(declared) > cap:
                raise BodyTooLarge(cap)
        return await read_form(request.headers.get("content-type"), request.stream(), cap)

    def authorize(self, parts: dict[str, Part]) -> ApiKey:
        key_part = parts.get("key")
        key = self.keys.lookup(key_part.text() if key_part else "")
        if key is None:
            raise Rejected(401, invalid_key_reply(parts))
        wait_s = self.limits.take(key.digest)
        if wait_s > 0:
            raise Rejected(
                429,
                f"Too many uploads for this API key; retry in {wait_s:.1f} s",
                {"Retry-After": str(math.ceil(wait_s))},
            )
        return key

    async def probe(self, audio: bytes, declared: str | None) -> ProbedAudio:
        probed = await run_in_threadpool(probe, audio, declared, self.settings.probe_timeout_s)
        if probed.duration_s > self.settings.max_audio_s:
            raise BadAudio(f"{probed.duration_s:.1f} s of audio, over the {self.settings.max_audio_s:g} s cap")
        return probed

    async def store(self, meta: CallMeta, audio: bytes, ext: str) -> str:
        lock = self._locks.get(meta.call_uid)
        if lock is None:
            lock = self._locks[meta.call_uid] = asyncio.Lock()
        async with lock:
            try:
                key = await run_in_threadpool(self.landing.put, SOURCE, meta, audio, ext)
            except OSError as exc:
                log.exception("landing zone write failed for %s", meta.call_uid)
                raise Rejected(503, "Call could not be stored; retry later") from exc
        log.info("accepted %s (%d bytes of %s, %.1f s)", meta.call_uid, len(audio), ext, meta.duration_s)
        return key


def create_app(settings: UploadSettings, landing: LandingZone | None = None) -> FastAPI:
    uploads = Uploads(settings, landing)
    app = FastAPI(title="scanlake call upload", docs_url=None, redoc_url=None, openapi_url=None)
    for error in _REPLIED:
        app.add_exception_handler(error, _error_reply)

    @app.api_route("/api/call-upload", methods=_METHODS)
    async def call_upload(request: Request) -> Response:
        """rdio-scanner's call upload (trunk-recorder's rdioscanner_uploader, SDRTrunk)."""
        if request.method != "POST":
            raise Rejected(405, "Unsupported method")
        parts = await uploads.read(request)
        key = uploads.authorize(parts)
        upload = parse_call_upload(parts)
        upload.check_complete()
        _check_access(key, upload.system or "", parts)
        probed = await uploads.probe(upload.audio, upload.declared_type)
        await uploads.store(upload.meta(probed.duration_s), upload.audio, probed.ext)
        return _reply(200, IMPORTED)

    @app.api_route("/api/trunk-recorder-call-upload", methods=_METHODS)
    async def trunk_recorder_call_upload(request: Request) -> Response:
        """rdio-scanner's trunk-recorder upload: ``key``, ``audio``, ``meta`` (the call's
        trunk-recorder JSON, as a file or a field) and ``system``, for uploadScript users."""
        if request.method != "POST":
            raise Rejected(405, "Unsupported method")
        parts = await uploads.read(request)
        key = uploads.authorize(parts)
        meta_part, audio_part = parts.get("meta"), parts.get("audio")
        if meta_part is None:
            raise IncompleteCall("no meta")
        meta = parse_call_json(meta_part.data, meta_part.filename or "meta")
        check_meta(meta)
        audio = audio_part.data if audio_part else b""
        if len(audio) <= 44:
            raise IncompleteCall("no audio")
        _check_access(key, meta.system, parts)
        probed = await uploads.probe(audio, audio_part.filename if audio_part else None)
        if not meta.duration_s > 0:
            meta = dataclasses.replace(meta, duration_s=probed.duration_s)
        await uploads.store(meta, audio, probed.ext)
        return _reply(200, IMPORTED)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        """Liveness: the service answers."""
        return JSONResponse({"status": "ok"})

    return app


def _check_access(key: ApiKey, system: str, parts: dict[str, Part]) -> None:
    if not key.allows(system):
        raise Rejected(403, invalid_key_reply(parts))


_REPLIED: tuple[type[Exception], ...] = (
    Rejected, BadBody, BodyTooLarge, InvalidField, IncompleteCall, UnsupportedAudio, BadAudio, MalformedCall,
)


def _rejection(exc: Exception) -> Rejected:
    """Typed errors of the pure modules as rdio-scanner's status codes and lines."""
    if isinstance(exc, Rejected):
        return exc
    if isinstance(exc, BodyTooLarge):
        # Closing stops the server from draining the rest of an oversized body.
        return Rejected(413, str(exc), {"Connection": "close"})
    if isinstance(exc, IncompleteCall):
        return Rejected(417, str(exc))
    if isinstance(exc, UnsupportedAudio):
        return Rejected(415, f"Unsupported audio type: {exc}")
    if isinstance(exc, BadAudio):
        return Rejected(400, f"Invalid call data: audio: {exc}")
    if isinstance(exc, MalformedCall):
        return Rejected(400, f"Invalid call data: meta: {exc.detail}")
    return Rejected(400, str(exc))  # BadBody, InvalidField: their message is the reply


async def _error_reply(request: Request, exc: Exception) -> Response:
    rejected = _rejection(exc)
    log.info("rejected %s %s: %d %s", request.method, request.url.path, rejected.status, rejected.text)
    return _reply(rejected.status, rejected.text, rejected.headers)


def serve(settings: UploadSettings | None = None) -> None:
    """Run the upload service in the foreground (``scanlake serve-upload``,
    ``python -m resources.upload``) until interrupted."""
    settings = settings or UploadSettings.from_env()
    if not settings.keys:
        log.warning("no API keys in SCANLAKE_UPLOAD_KEYS: every upload will be refused")
    log.info("call upload on http://%s:%d/api/call-upload -> %s", settings.host, settings.port, settings.lake.uri)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
