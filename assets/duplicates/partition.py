"""One day of copy decisions: the day's normalized calls (and the edges of the days either
side) read through ``lake``, decided by ``match``, and the day's ``call_duplicates``
partition replaced.

Crossing UTC midnight: two copies of one transmission can start either side of midnight
and so sit in two partitions. A run reads the previous day's last ``window_s`` and the next
day's first ``window_s`` as well, decides over all of them, and writes rows for its own
day only; the neighbour's earlier decisions (its kept copies) are read with them, so the
two days' runs agree in whichever order they run.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from assets.duplicates.match import Copy, Decision, decide
from lake import delta
from lake.location import LakeLocation
from lake.tables import CALL_DUPLICATES, NORMALIZED_AUDIO, RAW_CALLS


@dataclass
class DuplicateSummary:
    calls: int = 0  # the day's normalized calls decided
    duplicates: int = 0  # of them, copies linked to another
    transmissions_with_copies: int = 0  # kept copies of the day with at least one duplicate
    by_system: Counter[str] = field(default_factory=Counter)  # duplicates per logical system


def _days(day: dt.date) -> list[dt.date]:
    return [day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)]


def read_copies(location: LakeLocation, day: dt.date, margin_s: float) -> list[Copy]:
    """Normalized calls of ``day`` and those within ``margin_s`` of its edges."""
    part = {"call_date": _days(day)}
    raw = delta.read(
        location,
        RAW_CALLS,
        ["call_uid", "call_date", "source", "system", "talkgroup", "start_time", "duration_s", "units"],
        part,
    )  # fmt: skip
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    edge = dt.timedelta(seconds=margin_s)
    ts = raw.schema.field("start_time").type
    raw = raw.filter(
        pc.and_(
            pc.greater_equal(raw["start_time"], pa.scalar(start - edge, ts)),
            pc.less(raw["start_time"], pa.scalar(start + dt.timedelta(days=1) + edge, ts)),
        )
    )
    audio = delta.read(location, NORMALIZED_AUDIO, ["call_uid", "tier", "snr_db"], part)
    quality = {
        uid: (tier, snr)
        for uid, tier, snr in zip(
            audio["call_uid"].to_pylist(),
            audio["tier"].to_pylist(),
            audio["snr_db"].to_pylist(),
            strict=True,
        )
    }
    out = []
    for r in raw.to_pylist():
        if r["call_uid"] not in quality:
            continue  # not normalized (yet, or quarantined): nothing to transcribe either way
        tier, snr = quality[r["call_uid"]]
        out.append(
            Copy(
                call_uid=r["call_uid"],
                call_date=r["call_date"],
                source=r["source"],
                capture_system=r["system"],
                talkgroup=r["talkgroup"],
                start_time=r["start_time"],
                duration_s=r["duration_s"],
                unit_ids=frozenset(
                    u["unit_id"] for u in r["units"] or [] if u.get("unit_id") not in (None, 0, -1)
                ),
                tier=tier,
                snr_db=snr,
            )
        )
    return out


def kept_before(location: LakeLocation, day: dt.date) -> frozenset[str]:
    """Calls an earlier run kept, in ``day`` and the days either side."""
    rows = delta.read(
        location, CALL_DUPLICATES, ["call_uid", "is_duplicate"], {"call_date": _days(day)}
    )
    kept = rows.filter(pc.invert(rows["is_duplicate"]))
    return frozenset(kept["call_uid"].to_pylist())


def decision_rows(decisions: list[Decision], day: dt.date, now: dt.datetime) -> pa.Table:
    rows = [
        {
            "call_uid": d.copy.call_uid,
            "call_date": d.copy.call_date,
            "system": d.system,
            "source": d.copy.source,
            "capture_system": d.copy.capture_system,
            "talkgroup": d.copy.talkgroup,
            "start_time": d.copy.start_time,
            "tier": d.copy.tier,
            "snr_db": d.copy.snr_db,
            "kept_call_uid": d.kept.call_uid,
            "kept_call_date": d.kept.call_date,
            "is_duplicate": d.is_duplicate,
            "copies": d.copies,
            "start_offset_s": (d.copy.start_time - d.kept.start_time).total_seconds(),
            "decided_at": now,
        }
        for d in decisions
        if d.copy.call_date == day
    ]
    return pa.Table.from_pylist(rows, schema=CALL_DUPLICATES.schema)


def decide_partition(
    location: LakeLocation,
    day: dt.date,
    systems: dict[str, str],
    window_s: float,
    now: dt.datetime,
) -> DuplicateSummary:
    decisions = decide(
        read_copies(location, day, window_s), systems, window_s, kept_before(location, day)
    )
    rows = decision_rows(decisions, day, now)
    delta.overwrite_partitions(location, CALL_DUPLICATES, rows, {"call_date": [day]})
    mine = [d for d in decisions if d.copy.call_date == day]
    return DuplicateSummary(
        calls=len(mine),
        duplicates=sum(d.is_duplicate for d in mine),
        transmissions_with_copies=sum(not d.is_duplicate and d.copies > 1 for d in mine),
        by_system=Counter(d.system for d in mine if d.is_duplicate),
    )


def duplicate_uids(location: LakeLocation, days: list[dt.date]) -> set[str]:
    """Calls of ``days`` linked to a kept copy: the layers after this one leave them out."""
    return set(duplicate_of(location, days))


def duplicate_of(location: LakeLocation, days: list[dt.date]) -> dict[str, str]:
    """Each call of ``days`` linked to a kept copy -> that copy's call_uid."""
    rows = delta.read(
        location,
        CALL_DUPLICATES,
        ["call_uid", "is_duplicate", "kept_call_uid"],
        {"call_date": days},
    )
    rows = rows.filter(rows["is_duplicate"])
    return dict(zip(rows["call_uid"].to_pylist(), rows["kept_call_uid"].to_pylist(), strict=True))
