"""The resources every asset shares, configured from the environment.

Settings that are set in the environment are passed as ``EnvVar`` so the Dagster UI shows
where each value comes from and secrets never sit in code; unset ones fall back to the
resource's own defaults (a local lake, the shipped models).
"""

from __future__ import annotations

import os
from typing import Any

import dagster as dg

from resources.asr.resource import TranscriberResource
from resources.broadcastify.resource import BroadcastifyResource
from resources.duplicates import CaptureSystemsResource
from resources.geocoding.resource import GeocoderResource
from resources.lake import LakeResource
from resources.notify.resource import NotifierResource
from resources.retention import RetentionResource, env_var
from resources.tones import ToneDetectorResource
from resources.trunk_recorder.resource import TrunkRecorderSource


def _kw(**mapping: str) -> dict[str, Any]:
    """Resource keyword arguments for the environment variables that are set."""
    return {field: dg.EnvVar(var) for field, var in mapping.items() if os.environ.get(var)}


def _int_kw(**mapping: str) -> dict[str, Any]:
    return {field: dg.EnvVar.int(var) for field, var in mapping.items() if os.environ.get(var)}


def _list_env(var: str) -> list[str]:
    return [p for p in os.environ.get(var, "").split(os.pathsep) if p]


def build_resources() -> dict[str, Any]:
    return {
        "lake": LakeResource(
            **_kw(
                uri="SCANLAKE_LAKE_URI",
                endpoint_url="AWS_ENDPOINT_URL",
                access_key_id="AWS_ACCESS_KEY_ID",
                secret_access_key="AWS_SECRET_ACCESS_KEY",
                region="AWS_REGION",
            )
        ),
        "broadcastify": BroadcastifyResource(
            **_kw(
                api_key_id="SCANLAKE_BCFY_API_KEY_ID",
                api_key_secret="SCANLAKE_BCFY_API_KEY",
                app_id="SCANLAKE_BCFY_APP_ID",
                username="SCANLAKE_BCFY_USERNAME",
                password="SCANLAKE_BCFY_PASSWORD",
                playlist_uuid="SCANLAKE_BCFY_PLAYLIST_UUID",
            ),
            **_int_kw(sid="SCANLAKE_BCFY_SID", node_id="SCANLAKE_BCFY_NODE_ID"),
        ),
        "transcriber": TranscriberResource(
            **_kw(
                model="SCANLAKE_ASR_MODEL",
                device="SCANLAKE_ASR_DEVICE",
                compute_type="SCANLAKE_ASR_COMPUTE_TYPE",
                language="SCANLAKE_ASR_LANGUAGE",
                vad_method="SCANLAKE_ASR_VAD",
                align_model="SCANLAKE_ASR_ALIGN_MODEL",
                model_dir="SCANLAKE_ASR_MODEL_DIR",
                model_cache_dir="SCANLAKE_ASR_CACHE_DIR",
                gazetteer_csv="SCANLAKE_GAZETTEER_CSV",
            ),
            **_int_kw(batch_size="SCANLAKE_ASR_BATCH_SIZE"),
        ),
        "geocoder": GeocoderResource(
            **_kw(
                gazetteer_path="SCANLAKE_GAZETTEER_CSV",
                county_path="SCANLAKE_COUNTY_GEOJSON",
                jurisdictions_path="SCANLAKE_JURISDICTIONS_GEOJSON",
                jurisdiction_field="SCANLAKE_JURISDICTION_FIELD",
                region="SCANLAKE_REGION",
                default_city="SCANLAKE_DEFAULT_CITY",
                census_url="SCANLAKE_CENSUS_URL",
                nominatim_url="SCANLAKE_NOMINATIM_URL",
                nominatim_user_agent="SCANLAKE_NOMINATIM_USER_AGENT",
            ),
            **({"backends": _list_env("SCANLAKE_GEOCODER_BACKENDS")} if os.environ.get("SCANLAKE_GEOCODER_BACKENDS") else {}),
        ),
        "notifier": NotifierResource(
            **_kw(config_path="SCANLAKE_ALERTS_CONFIG", audio_base_url="SCANLAKE_AUDIO_BASE_URL")
        ),
        "tone_detector": ToneDetectorResource(**_kw(stations_path="SCANLAKE_TONES_CONFIG")),
        "capture_systems": CaptureSystemsResource(
            **_kw(systems="SCANLAKE_SYSTEMS"),
            # a float cannot come from an EnvVar (only str and int); it is no secret
            **(
                {"window_s": float(w)}
                if (w := os.environ.get("SCANLAKE_DUPLICATE_WINDOW_S"))
                else {}
            ),
        ),
        "retention": RetentionResource(
            **_int_kw(**{f"{name}_days": env_var(name) for name in RetentionResource().policy().days})
        ),
        # A list cannot come from one EnvVar; the folders are paths, not secrets.
        "trunk_recorder": TrunkRecorderSource(
            capture_dirs=_list_env("SCANLAKE_TRUNK_RECORDER_DIRS")
        ),
    }
