"""Alerts on incidents: "a new incident of type X inside geofence Y".

Pure: the day's ``incidents`` rows (and its calls, for the first call's talkgroup and
audio) in, ``alerts`` rows out. An incident alerts once per rule, on the day of its first
call: the alert's id comes from the incident's id and the rule, so re-runs, and the
incident's growing by later calls, land on the same row, and its deliveries keep the
exactly-once log of every alert.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from assets.alerts.config import AlertConfig, IncidentRule, incident_type_key
from assets.alerts.evaluate import (
    AlertInputs,
    CallContext,
    Place,
    alert_id,
    subscribed_channels,
)
from lake.tables import ALERTS


def _matches(rule: IncidentRule, incident: Mapping[str, Any]) -> bool:
    kind = incident_type_key(str(incident["incident_type"] or ""))
    if rule.incident_types and kind not in rule.incident_types:
        return False
    if rule.geofence is not None:
        lat, lon = incident["lat"], incident["lon"]
        return lat is not None and lon is not None and rule.geofence.contains(lat, lon)
    return True


def _context(
    incident: Mapping[str, Any], call: Mapping[str, Any] | None, day: dt.date
) -> CallContext:
    ctx = CallContext(str(incident["first_call_uid"]), day, "", [])
    if call is not None:
        ctx.take_call(call)
    # the incident's own start, whatever call row stands for it
    ctx.start_time = incident["first_call_time"]
    if incident["incident_type"]:
        ctx.incident_types = {incident_type_key(str(incident["incident_type"]))}
    if incident["lat"] is not None and incident["lon"] is not None:
        ctx.places = [Place(str(incident["incident_id"]), str(incident["place"] or ""),
                            incident["lat"], incident["lon"], None)]  # fmt: skip
    return ctx


def snippet(incident: Mapping[str, Any]) -> str:
    kind = str(incident["incident_type"] or "incident").replace("_", " ").lower()
    where = f" at {incident['place']}" if incident["place"] else ""
    units = ", ".join(incident["units"] or [])
    return f"New {kind}{where}" + (f"; units {units}" if units else "")


def incident_alerts(
    incidents: list[Mapping[str, Any]],
    calls: Mapping[str, Mapping[str, Any]],
    config: AlertConfig,
    day: dt.date,
    now: dt.datetime,
    created: Mapping[str, dt.datetime],
) -> list[dict[str, Any]]:
    """Alert rows for every (incident first heard on ``day``, matching rule)."""
    rows = []
    for incident in incidents:
        if incident["first_call_time"].date() != day:
            continue  # alerted (or not) on the day it began
        for rule in config.incident_rules.values():
            if not _matches(rule, incident):
                continue
            ctx = _context(incident, calls.get(str(incident["first_call_uid"])), day)
            aid = alert_id(str(incident["incident_id"]), rule.name)
            rows.append(
                {
                    "alert_id": aid,
                    "call_uid": ctx.call_uid,
                    "call_date": day,
                    "keyword_group": rule.name,
                    "matched_terms": sorted(ctx.incident_types),
                    "snippet": snippet(incident),
                    "system": ctx.system,
                    "talkgroup": ctx.talkgroup,
                    "talkgroup_tag": ctx.talkgroup_tag,
                    "call_start_time": ctx.start_time,
                    "audio_key": ctx.audio_key,
                    "incident_types": sorted(ctx.incident_types),
                    "location": incident["place"],
                    "lat": incident["lat"],
                    "lon": incident["lon"],
                    "channels": subscribed_channels(config, rule.name, ctx),
                    "created_at": created.get(aid, now),
                    "evaluated_at": now,
                }
            )
    return rows


def evaluate_incidents(
    inputs: AlertInputs,
    config: AlertConfig,
    now: dt.datetime,
    created: Mapping[str, dt.datetime] | None = None,
) -> pa.Table:
    """``incident_alerts`` over the incidents in ``inputs``, as ``alerts`` rows."""
    rows: list[dict[str, Any]] = []
    if config.incident_rules and inputs.incidents.num_rows:
        calls = {c["call_uid"]: c for c in inputs.calls.to_pylist()}
        incidents = inputs.incidents.to_pylist()
        for day in sorted({i["call_date"] for i in incidents}):
            today = [i for i in incidents if i["call_date"] == day]
            rows += incident_alerts(today, calls, config, day, now, created or {})
    return pa.Table.from_pylist(rows, schema=ALERTS.schema)
