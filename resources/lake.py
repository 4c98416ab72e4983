"""The lake as a Dagster resource: where tables and audio live, configured from the environment."""

from __future__ import annotations

from dagster import ConfigurableResource
from pydantic import Field

from lake.location import DEFAULT_LOCAL_LAKE, LakeLocation
from lake.objects import ObjectStore


class LakeResource(ConfigurableResource):
    """The lake root (``SCANLAKE_LAKE_URI``): a local folder, or ``s3://bucket/prefix`` with
    the endpoint and credentials of the standard AWS variables."""

    uri: str = Field(default=DEFAULT_LOCAL_LAKE, description="Local folder or s3://bucket/prefix")
    endpoint_url: str | None = Field(default=None, description="S3 endpoint (AWS_ENDPOINT_URL)")
    access_key_id: str | None = Field(default=None, description="AWS_ACCESS_KEY_ID")
    secret_access_key: str | None = Field(default=None, description="AWS_SECRET_ACCESS_KEY")
    region: str = Field(default="us-east-1", description="AWS_REGION")

    @property
    def location(self) -> LakeLocation:
        options: dict[str, str] = {}
        if self.uri.startswith("s3://"):
            options["AWS_REGION"] = self.region
            if self.endpoint_url:
                options["AWS_ENDPOINT_URL"] = self.endpoint_url
                if self.endpoint_url.startswith("http://"):
                    options["AWS_ALLOW_HTTP"] = "true"
            if self.access_key_id:
                options["AWS_ACCESS_KEY_ID"] = self.access_key_id
            if self.secret_access_key:
                options["AWS_SECRET_ACCESS_KEY"] = self.secret_access_key
        return LakeLocation(self.uri, options)

    @property
    def objects(self) -> ObjectStore:
        return ObjectStore(self.location)
