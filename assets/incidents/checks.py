"""What the incidents checks measure, apart from Dagster: links that point nowhere or twice,
and ids that a fresh grouping of the same day would not give."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from assets.incidents.grouping import group
from assets.incidents.partition import incident_rows, read_facts
from lake import delta
from lake.location import LakeLocation
from lake.tables import CALL_INCIDENTS, INCIDENTS


def link_problems(location: LakeLocation, day: dt.date) -> dict[str, list[str]]:
    """Calls linked more than once, links to an incident the day has no row for, and
    incidents the day has no linked call of."""
    part = {"call_date": [day]}
    links = delta.read(location, CALL_INCIDENTS, ["call_uid", "incident_id"], part)
    ids = set(delta.read(location, INCIDENTS, ["incident_id"], part)["incident_id"].to_pylist())
    counts = Counter(links["call_uid"].to_pylist())
    linked = set(links["incident_id"].to_pylist())
    return {
        "calls_linked_twice": sorted(u for u, n in counts.items() if n > 1),
        "links_to_missing_incident": sorted(linked - ids),
        "incidents_without_calls": sorted(ids - linked),
    }


def unstable_links(location: LakeLocation, day: dt.date, model_id: str | None = None) -> list[str]:
    """Calls whose stored incident differs from a fresh grouping of the same inputs."""
    stored = delta.read(location, CALL_INCIDENTS, ["call_uid", "incident_id"], {"call_date": [day]})
    now = dt.datetime.now(dt.UTC)
    _, fresh = incident_rows(group(read_facts(location, day, model_id)), day, now)
    want = dict(zip(fresh["call_uid"].to_pylist(), fresh["incident_id"].to_pylist(), strict=True))
    have = dict(zip(stored["call_uid"].to_pylist(), stored["incident_id"].to_pylist(), strict=True))
    return sorted(u for u in want.keys() | have.keys() if want.get(u) != have.get(u))
