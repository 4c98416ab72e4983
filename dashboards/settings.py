"""The dashboard's settings, read from the environment each time the app script runs.

- ``SCANLAKE_LAKE_URI`` (and the AWS variables for S3): which lake to show.
- ``SCANLAKE_SENSOR_INTERVAL_S``: the micro-batch interval (default 5 s, as the ingestion
  sensor reads it); query results are cached for that long, so a page never shows data older
  than one batch and never re-queries faster than batches arrive.
- ``SCANLAKE_DASHBOARD_AUTH``: ``none``, ``password`` or ``oidc``. Unset, it is ``password``
  when ``SCANLAKE_DASHBOARD_PASSWORD`` is set and ``none`` otherwise (the demo).
- ``SCANLAKE_DASHBOARD_PASSWORD``: the shared password of ``password`` auth.
- ``SCANLAKE_DASHBOARD_OIDC_PROVIDER``: the ``[auth.<provider>]`` section of Streamlit's
  secrets.toml to log in with (``oidc`` auth; unset uses the default ``[auth]`` section).
- ``SCANLAKE_ALERTS_CONFIG``: the alerts YAML the pipeline matches with; the Alerts page
  shows its keyword groups and subscriptions.
- ``SCANLAKE_MAP_STYLE``: the map style (tile) URL the Map page draws under its points, or
  ``offline`` to draw the county's own basemap instead. An unreachable style URL also gets
  the offline basemap. Default: Carto's Positron style.
- ``SCANLAKE_COUNTY_GEOJSON``, ``SCANLAKE_JURISDICTIONS_GEOJSON``: outlines the offline
  basemap draws (the geocoder's service area and jurisdictions, the same files).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from lake.location import LakeLocation

AUTH_MODES = ("none", "password", "oidc")
DEFAULT_INTERVAL_S = 5.0


class AuthMisconfigured(ValueError):
    """Auth was asked for but cannot work (an unknown mode, or password auth without one)."""


def refresh_interval_s() -> float:
    """The micro-batch interval, which is also how long query results are cached."""
    return max(1.0, float(os.environ.get("SCANLAKE_SENSOR_INTERVAL_S", DEFAULT_INTERVAL_S)))


DEFAULT_MAP_STYLE = "https://basemaps.cartocdn.com/gl/positron-gl-style/style.json"
OFFLINE = "offline"


def map_style() -> str:
    """The map style URL, or ``offline``."""
    return os.environ.get("SCANLAKE_MAP_STYLE") or DEFAULT_MAP_STYLE


def outline_files() -> list[str]:
    """GeoJSON outlines for the offline basemap (county first, then jurisdictions)."""
    names = ("SCANLAKE_COUNTY_GEOJSON", "SCANLAKE_JURISDICTIONS_GEOJSON")
    return list(dict.fromkeys(v for v in (os.environ.get(n) for n in names) if v))


def alerts_config_path() -> str:
    """The alerts YAML the pipeline uses: the ``notifier`` resource's ``config_path``, from
    the same variable and with the same default."""
    from resources.notify.resource import NotifierResource

    return os.environ.get("SCANLAKE_ALERTS_CONFIG") or NotifierResource.model_fields["config_path"].default


@dataclass(frozen=True)
class DashboardSettings:
    lake: LakeLocation
    refresh_s: float = DEFAULT_INTERVAL_S
    auth: str = "none"
    password: str | None = None
    oidc_provider: str | None = None

    @classmethod
    def from_env(cls) -> DashboardSettings:
        password = os.environ.get("SCANLAKE_DASHBOARD_PASSWORD") or None
        auth = os.environ.get("SCANLAKE_DASHBOARD_AUTH") or ("password" if password else "none")
        if auth not in AUTH_MODES:
            raise AuthMisconfigured(f"SCANLAKE_DASHBOARD_AUTH={auth!r}: use one of {AUTH_MODES}")
        if auth == "password" and not password:
            raise AuthMisconfigured("password auth needs SCANLAKE_DASHBOARD_PASSWORD")
        return cls(
            lake=LakeLocation.from_env(),
            refresh_s=refresh_interval_s(),
            auth=auth,
            password=password,
            oidc_provider=os.environ.get("SCANLAKE_DASHBOARD_OIDC_PROVIDER") or None,
        )
