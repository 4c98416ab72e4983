"""Settings of the call-upload service; each one's name and default lives here.

Read from ``SCANLAKE_UPLOAD_<FIELD>`` variables (``SCANLAKE_UPLOAD_KEYS``,
``SCANLAKE_UPLOAD_PORT`` …). The lake is the one every other part of scanlake uses:
``SCANLAKE_LAKE_URI`` and the standard AWS variables, read by ``LakeLocation.from_env``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lake.location import LakeLocation
from resources.upload.keys import ApiKey, parse_keys

ENV_PREFIX = "SCANLAKE_UPLOAD_"


class UploadSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    keys: tuple[ApiKey, ...] = Field(
        default=(),
        description="API keys: '<sha256 hex>:<systems>' entries separated by ';' or new lines; "
        "systems is '*' or a comma-separated list. No keys: every upload is refused.",
    )
    host: str = Field(default="127.0.0.1", description="Interface to listen on (0.0.0.0 for all)")
    # rdio-scanner's own default port, so a recorder's existing server URL keeps working
    port: int = Field(default=3000, ge=0, le=65535)
    max_request_bytes: int = Field(default=50 * 2**20, gt=0, description="Largest accepted request body")
    max_audio_s: float = Field(default=600.0, gt=0, description="Longest accepted call audio, in seconds")
    rate_per_s: float = Field(default=10.0, gt=0, description="Sustained uploads per second per API key")
    rate_burst: int = Field(default=100, gt=0, description="Uploads per API key allowed at once")
    probe_timeout_s: float = Field(default=10.0, gt=0, description="Time allowed to probe one audio file")
    # Abuse limits: what one slow or unauthenticated client can hold.
    max_concurrent_uploads: int = Field(
        default=32, gt=0, description="Request bodies handled at once; more get 503 with Retry-After"
    )
    max_uploads_per_address: int = Field(
        default=16, gt=0, description="Request bodies handled at once from one client address"
    )
    max_connections: int = Field(default=256, gt=0, description="Open connections before uvicorn answers 503")
    spool_memory_bytes: int = Field(
        default=1 << 20, ge=0, description="Bytes of one request kept in memory; the rest is spooled to disk"
    )
    header_timeout_s: float = Field(default=10.0, gt=0, description="Time a client has to send its request headers")
    body_idle_timeout_s: float = Field(default=15.0, gt=0, description="Longest pause allowed while sending a body")
    body_timeout_s: float = Field(default=300.0, gt=0, description="Time allowed to send a whole request body")
    auth_failures_per_min: float = Field(
        default=10.0, gt=0, description="Sustained rate of refused keys per client address before 429"
    )
    auth_failure_burst: int = Field(default=10, gt=0, description="Refused keys per client address allowed at once")
    # TLS: API keys must not cross a network in clear text.
    tls_cert: str | None = Field(default=None, description="PEM certificate (chain) file; serves HTTPS with tls_key")
    tls_key: str | None = Field(default=None, description="PEM private key file of tls_cert")
    allow_plaintext: bool = Field(
        default=False,
        description="Serve plain HTTP on a non-loopback host (only behind a TLS-terminating reverse proxy)",
    )
    lake_uri: str | None = Field(default=None, description="Overrides SCANLAKE_LAKE_URI (tests, benchmarks)")

    @field_validator("keys", mode="before")
    @classmethod
    def _parse_keys(cls, value: object) -> object:
        return parse_keys(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _tls_pair(self) -> UploadSettings:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("SCANLAKE_UPLOAD_TLS_CERT and SCANLAKE_UPLOAD_TLS_KEY go together")
        return self

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> UploadSettings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            name: env[ENV_PREFIX + name.upper()]
            for name in cls.model_fields
            if name != "lake_uri" and ENV_PREFIX + name.upper() in env
        }
        return cls(**{**values, **overrides})

    @property
    def lake(self) -> LakeLocation:
        return LakeLocation.from_env(self.lake_uri)
