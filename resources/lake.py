"""The lake as a Dagster resource: where tables and audio live, configured from the environment."""

from __future__ import annotations

from typing import ClassVar

from dagster import ConfigurableResource
from pydantic import Field

from lake.location import DEFAULT_LOCAL_LAKE, LAKE_URI_ENV, LakeLocation
from lake.objects import ObjectStore
from lake.s3 import AWS_VARIABLES, S3Options


class LakeResource(ConfigurableResource):
    """The lake root (``SCANLAKE_LAKE_URI``): a local folder, or ``s3://bucket/prefix`` with
    the endpoint and credentials of the standard AWS variables."""

    # Each field's environment variable: the lake's own, then the standard AWS ones.
    ENV: ClassVar[dict[str, str]] = {
        "uri": LAKE_URI_ENV,
        **{f: AWS_VARIABLES[f] for f in ("endpoint_url", "access_key_id", "secret_access_key", "session_token", "region")},
    }

    uri: str = Field(default=DEFAULT_LOCAL_LAKE, description="Local folder or s3://bucket/prefix")
    endpoint_url: str | None = Field(default=None, description="S3 endpoint (AWS_ENDPOINT_URL)")
    access_key_id: str | None = Field(default=None, description="AWS_ACCESS_KEY_ID")
    secret_access_key: str | None = Field(default=None, description="AWS_SECRET_ACCESS_KEY")
    session_token: str | None = Field(default=None, description="AWS_SESSION_TOKEN (temporary credentials)")
    region: str | None = Field(default=None, description="AWS_REGION (lake.s3.DEFAULT_REGION if unset)")

    @classmethod
    def for_location(cls, location: LakeLocation) -> LakeResource:
        """The resource that reaches ``location`` (tests and tools that start from one)."""
        s3 = location.s3
        return cls(
            uri=location.uri,
            endpoint_url=s3.endpoint_url,
            access_key_id=s3.access_key_id,
            secret_access_key=s3.secret_access_key,
            session_token=s3.session_token,
            region=s3.region,
        )

    @property
    def location(self) -> LakeLocation:
        s3 = S3Options(
            endpoint_url=self.endpoint_url,
            access_key_id=self.access_key_id,
            secret_access_key=self.secret_access_key,
            session_token=self.session_token,
            region=self.region,
        )
        return LakeLocation.build(self.uri, s3)

    @property
    def objects(self) -> ObjectStore:
        return ObjectStore(self.location)
