"""The notifier as a Dagster resource: where the alerts YAML is, how sends retry, and the
delivery policy (backfills, staleness, give-up). Channel URLs and signing secrets are read
from the environment at send time, under the variable names the YAML gives."""

from __future__ import annotations

import os
from typing import ClassVar

from dagster import ConfigurableResource
from pydantic import Field, model_validator

from resources.notify.channels import ChannelSpec, Notification, SendResult, send_with_retries


class NotifierResource(ConfigurableResource):
    """Sends alerts through Apprise (and signed webhooks), with retries and backoff."""

    ENV: ClassVar[dict[str, str]] = {
        "config_path": "SCANLAKE_ALERTS_CONFIG",
        "audio_base_url": "SCANLAKE_AUDIO_BASE_URL",
    }

    config_path: str = Field(
        default="config/alerts.yaml",
        description="The alerts YAML: keyword groups, filters, channels, subscriptions "
        "(SCANLAKE_ALERTS_CONFIG). A missing file means no alerts.",
    )
    notify_backfills: bool = Field(
        default=False,
        description="Send alerts found by backfill runs. Off: they are recorded as suppressed.",
    )
    send_tries: int = Field(default=4, ge=1, description="Sends per attempt before it fails")
    backoff_s: float = Field(default=0.5, ge=0, description="First wait between sends")
    backoff_max_s: float = Field(default=8.0, ge=0, description="Longest wait between sends")
    timeout_s: float = Field(default=10.0, gt=0, description="Connect and read timeout per send")
    retry_after_s: float = Field(
        default=30.0,
        ge=0,
        description="Wait before a later run retries a failed attempt; doubles each time",
    )
    retry_after_max_s: float = Field(
        default=900.0, ge=0, description="Longest wait between attempts"
    )
    give_up_after_attempts: int = Field(
        default=0,
        ge=0,
        description="Mark a delivery failed after this many attempts (0: keep it pending)",
    )
    stale_after_s: float = Field(
        default=300.0,
        gt=0,
        description="A 'sending' attempt older than this belongs to a run that died: it is in doubt",
    )
    max_alert_age_s: float = Field(
        default=6 * 3600.0,
        ge=0,
        description="Do not notify calls older than this when first seen (0: no limit)",
    )
    retry_days: int = Field(
        default=2, ge=0, description="Days back whose pending deliveries each run retries"
    )
    audio_base_url: str | None = Field(
        default=None,
        description="Link prefix for a call's audio key (e.g. the app's audio route); "
        "unset: the lake's own URI of the object",
    )

    @model_validator(mode="after")
    def _stale_outlasts_a_send(self) -> NotifierResource:
        # A live run must finish its sends well before others may call its attempts abandoned.
        budget = self.send_tries * (2 * self.timeout_s + self.backoff_max_s)
        if self.stale_after_s <= budget:
            raise ValueError(
                f"stale_after_s ({self.stale_after_s}) must exceed the longest attempt "
                f"({budget:.0f} s = send_tries x (2 x timeout_s + backoff_max_s))"
            )
        return self

    def send(self, channel: ChannelSpec, note: Notification) -> SendResult:
        return send_with_retries(
            channel,
            note,
            env=os.environ,
            tries=self.send_tries,
            backoff_s=self.backoff_s,
            backoff_max_s=self.backoff_max_s,
            timeout_s=self.timeout_s,
        )
