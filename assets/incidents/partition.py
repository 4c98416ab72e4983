"""One day's incidents: read the day's calls (and the last hours of the day before) through
``lake``, group them, and replace the day's ``incidents`` and ``call_incidents`` partitions.

Re-grouping: every run groups the whole day again, so a call that arrives late joins or
merges incidents exactly as if it had come in time, and the same calls give the same ids.

Crossing UTC midnight: a run looks back ``LOOKBACK`` into the previous day's calls, so an
incident that began before midnight keeps its id (from its earliest call) after it. Its
calls stay linked in their own day's partition; its ``incidents`` row is written by each
day that has calls of it, the later day's row seeing every call (queries take the newest).
An incident longer than the look-back is split at it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from assets.duplicates.partition import duplicate_uids
from assets.incidents.grouping import Incident, Rules, group
from assets.incidents.signals import CallFacts, call_facts
from lake import delta
from lake.effective import latest_corrections, overlay
from lake.location import LakeLocation
from lake.tables import (
    CALL_INCIDENTS,
    ENTITIES,
    INCIDENTS,
    LOCATIONS,
    RAW_CALLS,
    TRANSCRIPTS,
)

LOOKBACK = dt.timedelta(hours=3)


@dataclass(frozen=True)
class GroupingSummary:
    calls: int
    lookback_calls: int
    grouped_calls: int
    incidents: int
    multi_call_incidents: int
    by_status: dict[str, int]
    by_type: dict[str, int]


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def read_facts(
    location: LakeLocation, day: dt.date, model_id: str | None = None
) -> list[CallFacts]:
    """Facts of the day's calls and of the previous day's last ``LOOKBACK``. With
    ``model_id``, only that model's transcripts and entities (as alerts read them)."""
    part = {"call_date": [day - dt.timedelta(days=1), day]}
    calls = delta.read(
        location,
        RAW_CALLS,
        ["call_uid", "start_time", "talkgroup", "talkgroup_group", "units"],
        part,
    )
    since = pa.scalar(_day_start(day) - LOOKBACK, type=calls.schema.field("start_time").type)
    calls = calls.filter(pc.greater_equal(calls["start_time"], since))
    # a second site's copy of a call repeats its unit tags: counted once, as the kept copy
    copies = duplicate_uids(location, part["call_date"])
    if copies:
        calls = calls.filter(pc.invert(pc.is_in(calls["call_uid"], pa.array(sorted(copies)))))
    uids = calls["call_uid"]
    transcripts = overlay(
        delta.read(location, TRANSCRIPTS, ["call_uid", "model_id", "text"], part),
        latest_corrections(location, part["call_date"]),
    )
    entities = delta.read(
        location,
        ENTITIES,
        ["entity_id", "call_uid", "model_id", "label", "normalized", "start_char", "confidence"],
        part,
    )
    if model_id is not None:
        transcripts, entities = (
            t.filter(pc.equal(t["model_id"], model_id)) for t in (transcripts, entities)
        )
    transcripts = transcripts.filter(pc.is_in(transcripts["call_uid"], uids))
    entities = entities.filter(pc.is_in(entities["call_uid"], uids))
    locations = delta.read(
        location, LOCATIONS, ["entity_id", "lat", "lon", "precision", "score"], part
    )
    texts = dict(
        zip(transcripts["call_uid"].to_pylist(), transcripts["text"].to_pylist(), strict=True)
    )
    return call_facts(calls.to_pylist(), texts, entities.to_pylist(), locations.to_pylist())


def incident_rows(
    incidents: list[Incident], day: dt.date, now: dt.datetime
) -> tuple[pa.Table, pa.Table]:
    """The day's ``incidents`` rows (those with a call on ``day``) and its links."""
    start, end = _day_start(day), _day_start(day + dt.timedelta(days=1))
    rows, links = [], []
    for inc in incidents:
        today = [c for c in inc.calls if start <= c.start_time < end]
        if not today:
            continue
        place = inc.place
        rows.append(
            {
                "incident_id": inc.incident_id,
                "call_date": day,
                "incident_type": inc.incident_type,
                "place": place.key if place else None,
                "lat": place.lat if place else None,
                "lon": place.lon if place else None,
                "first_call_uid": inc.first.call_uid,
                "first_call_time": inc.first.start_time,
                "last_call_uid": inc.last.call_uid,
                "last_call_time": inc.last.start_time,
                "units": inc.units,
                "talkgroups": sorted({c.talkgroup for c in inc.calls}),
                "status": inc.status,
                "call_count": len(inc.calls),
                "grouped_at": now,
            }
        )
        links += [
            {
                "call_uid": c.call_uid,
                "call_date": day,
                "incident_id": inc.incident_id,
                "grouped_at": now,
            }
            for c in today
        ]
    return (
        pa.Table.from_pylist(rows, schema=INCIDENTS.schema),
        pa.Table.from_pylist(links, schema=CALL_INCIDENTS.schema),
    )


def group_partition(
    location: LakeLocation,
    day: dt.date,
    now: dt.datetime,
    model_id: str | None = None,
    rules: Rules | None = None,
) -> GroupingSummary:
    facts = read_facts(location, day, model_id)
    incidents = group(facts, rules)
    rows, links = incident_rows(incidents, day, now)
    delta.overwrite_partitions(location, INCIDENTS, rows, {"call_date": [day]})
    delta.overwrite_partitions(location, CALL_INCIDENTS, links, {"call_date": [day]})
    start = _day_start(day)
    return GroupingSummary(
        calls=sum(f.start_time >= start for f in facts),
        lookback_calls=sum(f.start_time < start for f in facts),
        grouped_calls=links.num_rows,
        incidents=rows.num_rows,
        multi_call_incidents=sum(n > 1 for n in rows["call_count"].to_pylist()),
        by_status=dict(Counter(rows["status"].to_pylist())),
        by_type=dict(Counter(t or "unknown" for t in rows["incident_type"].to_pylist())),
    )
