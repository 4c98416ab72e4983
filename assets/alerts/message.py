"""What an alert says: a short text for people (Signal, e-mail, chat) and a structured
payload for webhooks. Both carry the transcript snippet, the talkgroup, the time, a link
to the audio, the location when there is one, and the alert id as a reference; and which
notice it is: the alert, its retraction (when and why), or the alert restored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from assets.alerts.delivery_log import RESTORATION, RETRACTION, event
from resources.notify.channels import Notification

# 2: "event" and "notice" (retractions and restorations), "retracted_at", "retraction_reason"
PAYLOAD_VERSION = 2


def audio_url(
    audio_key: str | None, base_url: str | None, object_uri: Callable[[str], str]
) -> str | None:
    """A link to the call's audio: under ``base_url`` (the app's audio route) when set,
    else the lake's own URI of the object."""
    if not audio_key:
        return None
    if base_url:
        return f"{base_url.rstrip('/')}/{quote(audio_key)}"
    return object_uri(audio_key)


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def payload(alert: Mapping[str, Any], audio_url: str | None, notice: int = 0) -> dict[str, object]:
    """The webhook body. Only the alert's own facts and the notice go in, so every attempt
    of one notice sends the same bytes."""
    retraction = event(notice) == RETRACTION
    location = None
    if alert.get("lat") is not None and alert.get("lon") is not None:
        location = {"text": alert.get("location"), "lat": alert["lat"], "lon": alert["lon"]}
    return {
        "version": PAYLOAD_VERSION,
        "event": event(notice),
        "notice": notice,
        "alert_id": alert["alert_id"],
        "keyword_group": alert["keyword_group"],
        "matched_terms": list(alert.get("matched_terms") or []),
        "matched_words": [dict(w) for w in alert.get("matched_words") or []],
        "match_start_s": alert.get("match_start_s"),
        "match_end_s": alert.get("match_end_s"),
        "snippet": alert.get("snippet"),
        "call_uid": alert["call_uid"],
        "system": alert.get("system"),
        "talkgroup": alert.get("talkgroup"),
        "talkgroup_tag": alert.get("talkgroup_tag"),
        "units": list(alert.get("units") or []),
        "call_start_time": _iso(alert.get("call_start_time")),
        "incident_types": list(alert.get("incident_types") or []),
        "audio_key": alert.get("audio_key"),
        "audio_url": audio_url,
        "location": location,
        "retracted_at": _iso(alert.get("retracted_at")) if retraction else None,
        "retraction_reason": alert.get("retraction_reason") if retraction else None,
    }


def notification(
    alert: Mapping[str, Any],
    audio_url: str | None,
    timezone: str = "UTC",
    attempt: int = 1,
    notice: int = 0,
) -> Notification:
    kind = event(notice)
    tg = alert.get("talkgroup") or "unknown talkgroup"
    who = f"{alert['talkgroup_tag']} ({tg})" if alert.get("talkgroup_tag") else tg
    start = alert.get("call_start_time")
    when = (
        start.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M:%S %Z")
        if start
        else "time unknown"
    )
    lines = [f"{who} · {when}", f"“{alert.get('snippet') or ''}”"]
    if kind == RETRACTION:
        lines.insert(
            0, f"RETRACTED: {alert.get('retraction_reason') or 'the alert no longer stands'}"
        )
    elif kind == RESTORATION:
        lines.insert(0, "RESTORED: a later correction raises this alert again")
    if alert.get("units"):
        lines.append("Units: " + ", ".join(alert["units"]))
    terms = ", ".join(alert.get("matched_terms") or [])
    if alert.get("match_start_s") is not None:
        terms += f" at {alert['match_start_s']:.1f} s"
    lines.append(f"Matched: {terms}")
    if alert.get("lat") is not None and alert.get("lon") is not None:
        place = f"{alert['location']} " if alert.get("location") else ""
        lines.append(f"Location: {place}({alert['lat']:.5f}, {alert['lon']:.5f})")
    if audio_url:
        lines.append(f"Audio: {audio_url}")
    lines.append(f"ref {alert['alert_id']}" + (f" · {kind} {notice}" if notice else ""))
    head = f"{kind.upper()}: " if notice else ""
    return Notification(
        alert_id=alert["alert_id"],
        title=f"[{alert['keyword_group']}] {head}{who}",
        body="\n".join(lines),
        payload=payload(alert, audio_url, notice),
        attempt=attempt,
        notice=notice,
        event=kind,
    )
