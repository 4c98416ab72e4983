"""Where the lake lives: a URI plus the storage options that reach it.

Storage options are a plain mapping handed to delta-rs, s3fs and DuckDB alike, in the
way deltalake itself takes them, rather than one subclass per store.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_LOCAL_LAKE = "./.scanlake/lake"

# Standard AWS variables, read the way the AWS SDKs read them.
_AWS_ENV = (
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_ALLOW_HTTP",
)


@dataclass(frozen=True)
class LakeLocation:
    """The root of the lake: a local folder or ``s3://bucket/prefix``."""

    uri: str
    storage_options: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        uri = self.uri.rstrip("/")
        if not self.is_s3:
            uri = str(Path(uri).expanduser().resolve())
        object.__setattr__(self, "uri", uri)
        object.__setattr__(self, "storage_options", dict(self.storage_options))

    @property
    def is_s3(self) -> bool:
        return self.uri.startswith("s3://")

    def path(self, *parts: str) -> str:
        """The URI of a path under the lake root."""
        return "/".join([self.uri, *(p.strip("/") for p in parts)])

    @classmethod
    def from_env(cls, uri: str | None = None) -> LakeLocation:
        """The lake named by ``SCANLAKE_LAKE_URI`` (default a local folder), with S3
        endpoint and credentials from the standard AWS variables."""
        uri = uri or os.environ.get("SCANLAKE_LAKE_URI") or DEFAULT_LOCAL_LAKE
        options: dict[str, str] = {}
        if uri.startswith("s3://"):
            options = {k: os.environ[k] for k in _AWS_ENV if os.environ.get(k)}
            options.setdefault("AWS_REGION", "us-east-1")
            endpoint = options.get("AWS_ENDPOINT_URL", "")
            if endpoint.startswith("http://"):
                options.setdefault("AWS_ALLOW_HTTP", "true")
        return cls(uri=uri, storage_options=options)
