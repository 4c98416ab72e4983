"""Asset checks on ``normalized_audio``, run per partition in the same run as the asset."""

import datetime as dt

import dagster as dg

from assets.audio.partition import Coverage, coverage
from assets.audio.quality import TIERS
from assets.partitions import call_date_partitions
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


normalized_audio_checks = [
    every_call_in_exactly_one_table,
    quarantine_rate_below_threshold,
    tier_distribution,
]
