"""The dashboard's settings, read from the environment each time the app script runs.

- ``SCANLAKE_LAKE_URI`` (and the AWS variables for S3): which lake to show.
- ``SCANLAKE_SENSOR_INTERVAL_S``: the micro-batch interval (default 5 s, as the ingestion
  sensor reads it); query results are cached for that long, so a page never shows data older
  than one batch and never re-queries faster than batches arrive.
- ``SCANLAKE_DASHBOARD_AUTH``: ``none``, ``password`` or ``oidc``. Unset, it is ``password``
  when ``SCANLAKE_DASHBOARD_PASSWORD`` (or the admin password) is set and ``none`` otherwise
  (the demo).
- ``SCANLAKE_DASHBOARD_PASSWORD``: the shared password of ``password`` auth.
- ``SCANLAKE_DASHBOARD_OIDC_PROVIDER``: the ``[auth.<provider>]`` section of Streamlit's
  secrets.toml to log in with (``oidc`` auth; unset uses the default ``[auth]`` section).
- ``SCANLAKE_DASHBOARD_ALLOWED_EMAILS``, ``SCANLAKE_DASHBOARD_ALLOWED_DOMAINS``,
  ``SCANLAKE_DASHBOARD_ALLOWED_GROUPS`` (comma-separated): who an OIDC sign-in admits (a
  verified email listed, of a listed domain, or a listed group in the ID token's
  ``SCANLAKE_DASHBOARD_GROUPS_CLAIM``, default ``groups``). ``oidc`` auth needs at least one:
  the identity provider knows people who should not see radio traffic.
- ``SCANLAKE_DASHBOARD_ADMIN_EMAILS`` (OIDC) or ``SCANLAKE_DASHBOARD_ADMIN_PASSWORD``
  (password auth): who may redact calls from the Call page. Nobody, unless set.
- ``SCANLAKE_DASHBOARD_EDITOR_EMAILS`` (OIDC) or ``SCANLAKE_DASHBOARD_EDITOR_PASSWORD``
  (password auth): who may correct transcripts from the Call page (admins may too). Nobody,
  unless set.
- ``SCANLAKE_DASHBOARD_MAX_FAILURES``: failed password attempts allowed per session (per
  client address: twice that; for everyone together: ten times) within
  ``SCANLAKE_DASHBOARD_FAILURE_WINDOW_S`` (default 5 and 300 s).
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

from dashboards.access import Allowlist, Limit
from lake.location import LakeLocation
from resources.micro_batch import DEFAULT_SENSOR_INTERVAL_S, sensor_interval_s

AUTH_MODES = ("none", "password", "oidc")


class AuthMisconfigured(ValueError):
    """Auth was asked for but cannot work (an unknown mode, or password auth without one)."""


def _csv(name: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, "").split(",") if v.strip()]


def failure_limits() -> dict[str, Limit]:
    """Failed password attempts allowed per session, per client address and in total."""
    per_session = max(1, int(os.environ.get("SCANLAKE_DASHBOARD_MAX_FAILURES", 5)))
    window_s = max(1.0, float(os.environ.get("SCANLAKE_DASHBOARD_FAILURE_WINDOW_S", 300)))
    return {
        "session": Limit(per_session, window_s),
        "client": Limit(2 * per_session, window_s),
        "global": Limit(10 * per_session, window_s),
    }


def refresh_interval_s() -> float:
    """The micro-batch interval, which is also how long query results are cached."""
    return max(1.0, float(sensor_interval_s()))


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
    refresh_s: float = float(DEFAULT_SENSOR_INTERVAL_S)
    auth: str = "none"
    password: str | None = None
    oidc_provider: str | None = None
    allowlist: Allowlist = Allowlist()
    admin_emails: frozenset[str] = frozenset()
    admin_password: str | None = None
    editor_emails: frozenset[str] = frozenset()
    editor_password: str | None = None

    @classmethod
    def from_env(cls) -> DashboardSettings:
        password = os.environ.get("SCANLAKE_DASHBOARD_PASSWORD") or None
        admin_password = os.environ.get("SCANLAKE_DASHBOARD_ADMIN_PASSWORD") or None
        editor_password = os.environ.get("SCANLAKE_DASHBOARD_EDITOR_PASSWORD") or None
        # An admin or editor password alone still means sign-in: never an open app with a
        # secret set.
        auth = os.environ.get("SCANLAKE_DASHBOARD_AUTH") or (
            "password" if password or admin_password or editor_password else "none"
        )
        if auth not in AUTH_MODES:
            raise AuthMisconfigured(f"SCANLAKE_DASHBOARD_AUTH={auth!r}: use one of {AUTH_MODES}")
        if auth == "password" and not (password or admin_password or editor_password):
            raise AuthMisconfigured("password auth needs SCANLAKE_DASHBOARD_PASSWORD")
        admin_emails = _csv("SCANLAKE_DASHBOARD_ADMIN_EMAILS")
        editor_emails = _csv("SCANLAKE_DASHBOARD_EDITOR_EMAILS")
        # An admin or editor is admitted without also being listed as a viewer.
        allowlist = Allowlist.of(
            _csv("SCANLAKE_DASHBOARD_ALLOWED_EMAILS") + admin_emails + editor_emails,
            _csv("SCANLAKE_DASHBOARD_ALLOWED_DOMAINS"),
            _csv("SCANLAKE_DASHBOARD_ALLOWED_GROUPS"),
            os.environ.get("SCANLAKE_DASHBOARD_GROUPS_CLAIM") or "groups",
        )
        if auth == "oidc" and allowlist.empty:
            raise AuthMisconfigured(
                "oidc auth needs SCANLAKE_DASHBOARD_ALLOWED_EMAILS, _DOMAINS or _GROUPS"
            )
        given = [p for p in (password, editor_password, admin_password) if p]
        if len(set(given)) < len(given):
            # one password for two roles would sign everyone in as the stronger one
            raise AuthMisconfigured("the viewer, editor and admin passwords must all differ")
        return cls(
            lake=LakeLocation.from_env(),
            refresh_s=refresh_interval_s(),
            auth=auth,
            password=password,
            oidc_provider=os.environ.get("SCANLAKE_DASHBOARD_OIDC_PROVIDER") or None,
            allowlist=allowlist,
            admin_emails=frozenset(e.lower() for e in admin_emails),
            admin_password=admin_password,
            editor_emails=frozenset(e.lower() for e in editor_emails),
            editor_password=editor_password,
        )
