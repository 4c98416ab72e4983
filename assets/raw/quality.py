"""Data-quality rules for ``raw_calls`` (pure; the Dagster checks wrap them)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from assets.raw.ingest import MAX_CALL_DURATION_S
from lake.objects import ObjectStore

REQUIRED = ("call_uid", "call_date", "system", "talkgroup", "start_time", "duration_s", "audio_key")


@dataclass
class Finding:
    passed: bool
    metadata: dict[str, object] = field(default_factory=dict)


def unique_call_uid(rows: pa.Table) -> Finding:
    counts = rows.group_by("call_uid").aggregate([("call_uid", "count")])
    dupes = counts.filter(pc.greater(counts["call_uid_count"], 1))
    return Finding(dupes.num_rows == 0, {"duplicate_call_uids": dupes["call_uid"].to_pylist()[:20]})


def required_not_null(rows: pa.Table) -> Finding:
    nulls = {c: rows[c].null_count for c in REQUIRED if rows[c].null_count}
    return Finding(not nulls, {"null_counts": nulls})


def durations_sane(rows: pa.Table) -> Finding:
    bad = rows.filter(
        pc.or_(
            pc.less_equal(rows["duration_s"], 0.0),
            pc.greater(rows["duration_s"], MAX_CALL_DURATION_S),
        )
    )
    return Finding(bad.num_rows == 0, {"bad_duration_calls": bad["call_uid"].to_pylist()[:20]})


def audio_objects_exist(rows: pa.Table, store: ObjectStore) -> Finding:
    missing = [k for k in rows["audio_key"].to_pylist() if not store.exists(k)]
    return Finding(
        not missing, {"missing_audio_objects": missing[:20], "missing_count": len(missing)}
    )
