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


# Every reason code a delivery is quarantined with: the MalformedCall family (resources/
# calls.py and its subclasses by source, assets/raw/validate.py), the refusals of the
# capture-folder walk, and the codes ingest and the sensors' give-up write themselves.
QUARANTINE_REASONS = frozenset(
    {
        "malformed_json",
        "value_out_of_range",
        "too_large",
        "missing_audio",
        "missing_json",
        "invalid_call",
        "date_out_of_range",
        "bad_audio",
        "orphaned_audio",
        "audio_unavailable",
        "misplaced_call",
        "symlink_refused",
        "not_a_file",
        "duplicate_delivery",
        "unsupported_audio_type",
        "audio_unreadable",
        "unstorable_row",
        "retries_exhausted",
        "redacted",
    }
)


@dataclass
class QuarantineReasons:
    """What the quarantine's reasons say: rows without a reason or a source ref make the
    table useless for triage; a code outside the known set is new or a typo."""

    per_reason: dict[str, int]
    empty: int
    unknown: dict[str, int]

    @property
    def passed(self) -> bool:
        return not self.empty and not self.unknown


def quarantine_reasons(rows: pa.Table, known: frozenset[str] = QUARANTINE_REASONS) -> QuarantineReasons:
    per_reason: dict[str, int] = {}
    empty = 0
    for reason, ref in zip(rows["reason"].to_pylist(), rows["source_ref"].to_pylist(), strict=True):
        if not (reason or "").strip() or not (ref or "").strip():
            empty += 1
            continue
        per_reason[reason] = per_reason.get(reason, 0) + 1
    unknown = {r: n for r, n in per_reason.items() if r not in known}
    return QuarantineReasons(dict(sorted(per_reason.items())), empty, unknown)
