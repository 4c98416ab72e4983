"""Settings of multi-site duplicate detection: which capture systems are one system, and
how far apart two copies of one transmission may start.

Plain settings: the matching itself is ``assets.duplicates`` (pure code over rows), which
reads these through the asset that runs it."""

from __future__ import annotations

from typing import ClassVar

import dagster as dg
from pydantic import Field


class CaptureSystemsResource(dg.ConfigurableResource):
    """``SCANLAKE_SYSTEMS`` and ``SCANLAKE_DUPLICATE_WINDOW_S``: two sites or recorders that
    capture one trunked system name it differently (trunk-recorder's ``shortName``, an
    upload's system label); listing those names as one system lets a transmission heard by
    both be transcribed and alerted on once."""

    ENV: ClassVar[dict[str, str]] = {
        "systems": "SCANLAKE_SYSTEMS",
        "window_s": "SCANLAKE_DUPLICATE_WINDOW_S",
    }

    systems: str = Field(
        default="",
        description="Capture systems that are one system: 'county=county-north,county-south;"
        "metro=metro-a,metro-b' (logical name = capture names, as raw_calls.system holds them). "
        "Unset: each capture name is a system of its own, and only the same name arriving "
        "through two sources (say trunk-recorder and an upload) can be a duplicate",
    )
    window_s: float = Field(
        default=2.0,
        gt=0,
        le=30,
        description="Most seconds between two copies' starts (and between their ends) for "
        "them to be one transmission",
    )
