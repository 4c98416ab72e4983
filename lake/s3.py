"""The S3 options of an ``s3://`` lake, built once and translated for each client.

``S3Options`` is the one typed form. It is built from the standard AWS variables
(``from_env``) or from a Dagster resource's fields, and kept on ``LakeLocation`` as the
plain mapping delta-rs takes (``storage_options``), which is also its canonical text form.
The translators beside it give the same options to s3fs (``s3fs_kwargs``) and to a DuckDB
secret (``duckdb_secret``), so a region default, a session token or plain-HTTP endpoint
is decided here and nowhere else.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

DEFAULT_REGION = "us-east-1"

# Field name -> the delta-rs option key, which is also the standard AWS variable's name.
AWS_VARIABLES = {
    "endpoint_url": "AWS_ENDPOINT_URL",
    "access_key_id": "AWS_ACCESS_KEY_ID",
    "secret_access_key": "AWS_SECRET_ACCESS_KEY",
    "session_token": "AWS_SESSION_TOKEN",
    "region": "AWS_REGION",
    "allow_http": "AWS_ALLOW_HTTP",
}
AWS_ENV = tuple(AWS_VARIABLES.values())
# what delta-rs and the AWS SDKs take for true
_TRUTHY = frozenset({"1", "true", "on", "yes", "y"})


@dataclass(frozen=True)
class S3Options:
    """Endpoint, credentials and region of an S3 store. A field left None is unset: the
    client's own default applies (``region`` falls back to ``DEFAULT_REGION``)."""

    endpoint_url: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None
    session_token: str | None = None  # temporary (STS) credentials
    region: str | None = None
    allow_http: bool | None = None
    # options delta-rs understands that the other clients do not (passed through as given)
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> S3Options:
        """The standard AWS variables, read the way the AWS SDKs read them, with the
        lake's defaults filled in (``with_defaults``)."""
        env = os.environ if environ is None else environ
        return cls.from_mapping({k: env[k] for k in AWS_ENV if env.get(k)}).with_defaults()

    @classmethod
    def from_mapping(cls, options: Mapping[str, str]) -> S3Options:
        """Parse a delta-rs style mapping (``AWS_*`` keys); unknown keys go to ``extra``."""
        known = {name: options[key] for name, key in AWS_VARIABLES.items() if options.get(key)}
        allow = known.pop("allow_http", None)
        return cls(
            **known,
            allow_http=None if allow is None else allow.strip().lower() in _TRUTHY,
            extra={k: v for k, v in options.items() if k not in AWS_ENV},
        )

    def with_defaults(self) -> S3Options:
        """The region set (``DEFAULT_REGION`` unless given), and plain HTTP allowed when
        the endpoint is an ``http://`` URL (a local S3 such as SeaweedFS or MinIO)."""
        allow = self.allow_http
        if allow is None and (self.endpoint_url or "").startswith("http://"):
            allow = True
        return replace(self, region=self.region or DEFAULT_REGION, allow_http=allow)

    def with_credentials(
        self, access_key_id: str, secret_access_key: str, session_token: str | None = None
    ) -> S3Options:
        """The same store reached with other keys (a token of the old keys never leaks
        into the new ones)."""
        return replace(
            self,
            access_key_id=access_key_id,
            secret_access_key=secret_access_key,
            session_token=session_token or None,
        )

    @property
    def region_name(self) -> str:
        return self.region or DEFAULT_REGION

    # -- translators -------------------------------------------------------------------

    def storage_options(self) -> dict[str, str]:
        """For delta-rs (``DeltaTable``, ``write_deltalake``): the ``AWS_*`` mapping, unset
        fields left out."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "extra" or value is None:
                continue
            out[AWS_VARIABLES[f.name]] = ("true" if value else "false") if isinstance(value, bool) else value
        return {**out, **self.extra}

    def s3fs_kwargs(self) -> dict[str, object]:
        """For ``fsspec.filesystem("s3", ...)`` (s3fs over botocore)."""
        client_kwargs: dict[str, str] = {"region_name": self.region_name}
        if self.endpoint_url:
            client_kwargs["endpoint_url"] = self.endpoint_url
        return {
            "key": self.access_key_id,
            "secret": self.secret_access_key,
            "token": self.session_token,
            "client_kwargs": client_kwargs,
        }

    def duckdb_secret(self) -> dict[str, object]:
        """For DuckDB's ``CREATE SECRET (TYPE s3, ...)``: option name -> value."""
        endpoint = self.endpoint_url or ""
        secret: dict[str, object] = {
            "KEY_ID": self.access_key_id or "",
            "SECRET": self.secret_access_key or "",
            "REGION": self.region_name,
            "USE_SSL": not endpoint.startswith("http://"),
        }
        if self.session_token:
            secret["SESSION_TOKEN"] = self.session_token
        host = endpoint.split("://", 1)[-1].rstrip("/")
        if host:
            # a custom endpoint (SeaweedFS, MinIO) serves buckets as paths, not subdomains
            secret |= {"ENDPOINT": host, "URL_STYLE": "path"}
        return secret
