"""How long each kind of data is kept, as a Dagster resource configured from the environment.

Every age is in days and unset by default: nothing is deleted until an operator says how
long to keep it (``SCANLAKE_RETENTION_<RULE>_DAYS``, e.g. ``SCANLAKE_RETENTION_AUDIO_DAYS=90``).
"""

from __future__ import annotations

from typing import ClassVar

from dagster import ConfigurableResource
from pydantic import Field

from lake.retention import RULES, RetentionPolicy

ENV_PREFIX = "SCANLAKE_RETENTION_"


def env_var(rule: str) -> str:
    return f"{ENV_PREFIX}{rule.upper()}_DAYS"


class RetentionResource(ConfigurableResource):
    """Days to keep, per rule of ``lake.retention.RULES``; None keeps forever."""

    ENV: ClassVar[dict[str, str]] = {f"{rule}_days": env_var(rule) for rule in RULES}

    audio_days: int | None = Field(default=None, description="Raw and normalized audio objects")
    transcripts_days: int | None = Field(default=None, description="transcripts and transcript_words")
    entities_days: int | None = Field(default=None, description="entities and entity_extractions")
    locations_days: int | None = Field(default=None, description="locations")
    alerts_days: int | None = Field(default=None, description="alerts and alert_deliveries")
    geocode_cache_days: int | None = Field(default=None, description="geocode_cache, by when cached")
    landing_rejects_days: int | None = Field(
        default=None, description="raw_quarantine rows and rejected landing objects"
    )

    def policy(self) -> RetentionPolicy:
        return RetentionPolicy({rule: getattr(self, f"{rule}_days") for rule in RULES})
