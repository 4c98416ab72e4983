"""The resources every asset shares, configured from the environment.

Each resource names its own variables and holds its defaults (``ENV`` beside its fields;
``resources.settings.from_env`` hands the set ones over as Dagster ``EnvVar``s, so the UI
shows where each value comes from and secrets never sit in code). This module only
assembles them under their resource keys.
"""

from __future__ import annotations

from typing import Any

from resources.aliases import AliasFilesResource
from resources.asr.resource import TranscriberResource
from resources.broadcastify.resource import BroadcastifyResource
from resources.duplicates import CaptureSystemsResource
from resources.geocoding.resource import GeocoderResource
from resources.lake import LakeResource
from resources.notify.resource import NotifierResource
from resources.retention import RetentionResource
from resources.settings import from_env
from resources.tones import ToneDetectorResource
from resources.trunk_recorder.resource import TrunkRecorderSource


def build_resources() -> dict[str, Any]:
    return {
        "lake": from_env(LakeResource),
        "broadcastify": from_env(BroadcastifyResource),
        "transcriber": from_env(TranscriberResource),
        "geocoder": from_env(GeocoderResource),
        "notifier": from_env(NotifierResource),
        "alias_files": from_env(AliasFilesResource),
        "tone_detector": from_env(ToneDetectorResource),
        "capture_systems": from_env(CaptureSystemsResource),
        "retention": from_env(RetentionResource),
        "trunk_recorder": from_env(TrunkRecorderSource),
    }
