"""Where the lake lives: a URI plus the storage options that reach it.

Storage options are a plain mapping, in the way deltalake itself takes them, rather than
one subclass per store; ``lake.s3`` builds it and translates it for s3fs and DuckDB.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lake.s3 import S3Options

DEFAULT_LOCAL_LAKE = "./.scanlake/lake"
LAKE_URI_ENV = "SCANLAKE_LAKE_URI"


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

    @property
    def s3(self) -> S3Options:
        """The storage options as typed S3 settings (for the s3fs and DuckDB translations)."""
        return S3Options.from_mapping(self.storage_options)

    def path(self, *parts: str) -> str:
        """The URI of a path under the lake root."""
        return "/".join([self.uri, *(p.strip("/") for p in parts)])

    @classmethod
    def build(cls, uri: str, s3: S3Options) -> LakeLocation:
        """The lake at ``uri``; ``s3`` (with the lake's defaults filled in) reaches it when
        it is an ``s3://`` URI and is dropped for a local folder."""
        options = s3.with_defaults().storage_options() if uri.startswith("s3://") else {}
        return cls(uri=uri, storage_options=options)

    @classmethod
    def from_env(cls, uri: str | None = None) -> LakeLocation:
        """The lake named by ``SCANLAKE_LAKE_URI`` (default a local folder), with S3
        endpoint and credentials from the standard AWS variables."""
        uri = uri or os.environ.get(LAKE_URI_ENV) or DEFAULT_LOCAL_LAKE
        return cls.build(uri, S3Options.from_env())
