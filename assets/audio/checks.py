"""Asset checks on ``normalized_audio`` and ``audio_quarantine``, run per partition."""

import datetime as dt

import dagster as dg

from assets.audio.errors import STAGES
from assets.audio.partition import Coverage, coverage
from assets.audio.quality import TIERS
from assets.partitions import call_date_partitions
from lake import delta
from lake.tables import AUDIO_QUARANTINE
from resources.lake import LakeResource

# More than this share of a day's calls quarantined means a source or the chain is broken.
MAX_QUARANTINE_RATE = 0.2
_LISTED = 20  # call ids named in a check's metadata, at most


def _coverage(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> Coverage:
    return coverage(lake.location, dt.date.fromisoformat(context.partition_key))


@dg.asset_check(asset="normalized_audio", partitions_def=call_date_partitions, blocking=True)
def every_call_in_exactly_one_table(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """Every raw call of the day is in exactly one of normalized_audio and audio_quarantine,
    and neither table holds a call that raw_calls does not."""
    c = _coverage(context, lake)
    return dg.AssetCheckResult(
        passed=c.exactly_once,
        metadata={
            "raw_calls": c.raw,
            "normalized": c.normalized,
            "quarantined": c.quarantined,
            "missing": len(c.missing),
            "in_both": len(c.both),
            "orphans": len(c.orphans),
            "stale_version_rows": c.stale,
            "examples": dg.MetadataValue.json(
                {
                    "missing": c.missing[:_LISTED],
                    "in_both": c.both[:_LISTED],
                    "orphans": c.orphans[:_LISTED],
                }
            ),  # fmt: skip
        },
    )


@dg.asset_check(asset="normalized_audio", partitions_def=call_date_partitions)
def quarantine_rate_below_threshold(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """At most 20% of the day's calls are quarantined (a warning: the rows are still good)."""
    c = _coverage(context, lake)
    return dg.AssetCheckResult(
        passed=c.quarantine_rate <= MAX_QUARANTINE_RATE,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "quarantine_rate": round(c.quarantine_rate, 4),
            "threshold": MAX_QUARANTINE_RATE,
            "quarantined": c.quarantined,
            "raw_calls": c.raw,
        },
    )


@dg.asset_check(asset="normalized_audio", partitions_def=call_date_partitions)
def tier_distribution(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """How the day's calls split over the clean, moderate and poor tiers; fails if a row
    carries a tier the chain does not know."""
    c = _coverage(context, lake)
    total = sum(c.tiers.values())
    unknown = sorted(set(c.tiers) - set(TIERS))
    return dg.AssetCheckResult(
        passed=not unknown,
        metadata={
            **{f"tier_{t}": c.tiers.get(t, 0) for t in TIERS},
            "shares": dg.MetadataValue.json(
                {t: round(c.tiers.get(t, 0) / total, 4) if total else 0.0 for t in TIERS}
            ),
            "unknown_tiers": dg.MetadataValue.json(unknown),
        },
    )


@dg.asset_check(asset="audio_quarantine", partitions_def=call_date_partitions)
def quarantine_rows_say_why(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """Every quarantined call names a known stage (fetch, probe, decode, analyze, process,
    validate) and a non-empty reason code, so the table can be grouped for triage."""
    day = dt.date.fromisoformat(context.partition_key)
    rows = delta.read(
        lake.location, AUDIO_QUARANTINE, ["call_uid", "stage", "reason"], partitions={"call_date": [day]}
    ).to_pylist()
    bad = [r["call_uid"] for r in rows if r["stage"] not in STAGES or not (r["reason"] or "").strip()]
    per_reason: dict[str, int] = {}
    for r in rows:
        key = f"{r['stage']}:{r['reason']}"
        per_reason[key] = per_reason.get(key, 0) + 1
    return dg.AssetCheckResult(
        passed=not bad,
        metadata={
            "quarantined": len(rows),
            "without_stage_or_reason": len(bad),
            "examples": dg.MetadataValue.json(bad[:_LISTED]),
            "per_reason": dg.MetadataValue.json(dict(sorted(per_reason.items()))),
        },
    )


normalized_audio_checks = [
    every_call_in_exactly_one_table,
    quarantine_rate_below_threshold,
    tier_distribution,
]
audio_quarantine_checks = [quarantine_rows_say_why]
