"""Retention: how long each kind of data is kept, and deleting what is older, bytes and all.

A rule names the tables (and the date or time column they age by) and the object folders it
covers. A rule without an age keeps everything: deleting data is the operator's decision,
never a default. Ages count whole days back from the day the rule is applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lake import objects
from lake.location import LakeLocation
from lake.objects import ObjectStore
from lake.purge import delete_before, purge
from lake.tables import (
    ALERT_DELIVERIES,
    ALERTS,
    ENTITIES,
    ENTITY_EXTRACTIONS,
    GEOCODE_CACHE,
    LOCATIONS,
    RAW_QUARANTINE,
    TRANSCRIPT_CORRECTIONS,
    TRANSCRIPT_WORDS,
    TRANSCRIPTS,
    TableSpec,
)


@dataclass(frozen=True)
class Rule:
    name: str
    tables: tuple[tuple[TableSpec, str], ...] = ()
    # object folders laid out as <prefix>/<one level>/date=YYYY-MM-DD/...
    object_prefixes: tuple[str, ...] = ()


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule("audio", object_prefixes=(f"audio/{objects.RAW_AUDIO}", f"audio/{objects.NORMALIZED_AUDIO}")),
        # an editor's text of a call is its transcript too, and ages with it, requests and all
        Rule(
            "transcripts",
            ((TRANSCRIPTS, "call_date"), (TRANSCRIPT_WORDS, "call_date"), (TRANSCRIPT_CORRECTIONS, "call_date")),
            (objects.CORRECTIONS_PREFIX, f"{objects.REJECTED_PREFIX}/{objects.CORRECTIONS_PREFIX}"),
        ),
        Rule("entities", ((ENTITIES, "call_date"), (ENTITY_EXTRACTIONS, "call_date"))),
        Rule("locations", ((LOCATIONS, "call_date"),)),
        Rule("alerts", ((ALERTS, "call_date"), (ALERT_DELIVERIES, "call_date"))),
        Rule("geocode_cache", ((GEOCODE_CACHE, "cached_at"),)),
        Rule(
            "landing_rejects",
            ((RAW_QUARANTINE, "quarantined_at"),),
            (f"{objects.REJECTED_PREFIX}/{objects.LANDING_PREFIX}",),
        ),
    )
}


@dataclass(frozen=True)
class RetentionPolicy:
    """Days to keep per rule name; a rule not listed (or None) keeps everything."""

    days: dict[str, int | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.days) - set(RULES)
        if unknown:
            raise ValueError(f"unknown retention rules {sorted(unknown)}; known: {sorted(RULES)}")
        if any(d is not None and d < 0 for d in self.days.values()):
            raise ValueError("retention days cannot be negative")


@dataclass(frozen=True)
class RetentionResult:
    rule: str
    cutoff: dt.date
    rows_deleted: dict[str, int]
    objects_deleted: int
    files_vacuumed: int


def apply_retention(
    location: LakeLocation, policy: RetentionPolicy, today: dt.date | None = None
) -> list[RetentionResult]:
    """Delete, rule by rule, everything older than its age, then purge the touched tables
    so the deleted rows' files and log entries leave storage too."""
    today = today or dt.datetime.now(dt.UTC).date()
    results = []
    for name, days in sorted(policy.days.items()):
        if days is None:
            continue
        rule, cutoff = RULES[name], today - dt.timedelta(days=days)
        instant = dt.datetime.combine(cutoff, dt.time(), dt.UTC)
        rows = {spec.name: delete_before(location, spec, column, instant) for spec, column in rule.tables}
        vacuumed = 0
        for spec, _ in rule.tables:
            if rows[spec.name]:
                result = purge(location, spec)
                vacuumed += result.files_vacuumed if result else 0
        removed = sum(_delete_days_before(ObjectStore(location), p, cutoff) for p in rule.object_prefixes)
        results.append(RetentionResult(name, cutoff, rows, removed, vacuumed))
    return results


def _delete_days_before(store: ObjectStore, prefix: str, cutoff: dt.date) -> int:
    """Delete the ``date=`` folders older than ``cutoff`` one level under ``prefix``
    (``system=...`` for audio, the source for rejects); returns the objects deleted."""
    removed = 0
    for group in store.children(prefix):
        for day in store.children(f"{prefix}/{group}"):
            try:
                when = dt.date.fromisoformat(day.removeprefix("date="))
            except ValueError:
                continue  # not a day folder: not ours to judge
            if when < cutoff:
                folder = f"{prefix}/{group}/{day}"
                removed += sum(1 for _ in store.list(folder))
                store.delete_prefix(folder)
    return removed
