"""Settings of the paging-tone detector and the station plan it names tone-outs with.

Plain settings: the detection itself is ``assets.tones`` (pure code over audio), which
reads these through the asset that runs it."""

from __future__ import annotations

from typing import ClassVar

import dagster as dg
from pydantic import Field


class ToneDetectorResource(dg.ConfigurableResource):
    """``SCANLAKE_TONES_*``: which tone-outs are named stations, and how long the tones
    of a two-tone or long-tone page last on this county's system."""

    ENV: ClassVar[dict[str, str]] = {"stations_path": "SCANLAKE_TONES_CONFIG"}

    stations_path: str | None = Field(
        default=None,
        description="YAML of named two-tone pairs and long tones (see assets/tones/stations.py); "
        "unset: tones are stored without station names",
    )
    tone_a_min_s: float = Field(default=0.85, gt=0, description="Shortest A tone of a two-tone page")
    tone_b_min_s: float = Field(default=2.6, gt=0, description="Shortest B tone of a two-tone page")
    long_tone_min_s: float = Field(default=3.8, gt=0, description="Shortest long tone")
    detect_dtmf: bool = Field(default=True, description="Decode DTMF digits")
    detect_mdc: bool = Field(default=True, description="Decode MDC1200/FleetSync bursts")
