"""Asset checks on ``raw_calls``, run per partition in the same run as the asset."""

import datetime as dt

import dagster as dg
import pyarrow as pa

from assets.partitions import call_date_partitions
from assets.raw import quality
from lake import delta
from lake.tables import RAW_CALLS, RAW_QUARANTINE
from resources.lake import LakeResource


def _partition(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> pa.Table:
    day = dt.date.fromisoformat(context.partition_key)
    return delta.read(lake.location, RAW_CALLS, partitions={"call_date": [day]})


def _result(finding: quality.Finding) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=finding.passed, metadata=finding.metadata)


@dg.asset_check(asset="raw_calls", partitions_def=call_date_partitions, blocking=True)
def unique_call_uid(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """No call appears twice: re-deliveries and re-runs must not duplicate rows."""
    return _result(quality.unique_call_uid(_partition(context, lake)))


@dg.asset_check(asset="raw_calls", partitions_def=call_date_partitions)
def required_fields_not_null(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """call_uid, system, talkgroup, start time, duration and audio key are always set."""
    return _result(quality.required_not_null(_partition(context, lake)))


@dg.asset_check(asset="raw_calls", partitions_def=call_date_partitions)
def durations_sane(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """Every call lasts more than zero seconds and less than four hours."""
    return _result(quality.durations_sane(_partition(context, lake)))


@dg.asset_check(asset="raw_calls", partitions_def=call_date_partitions)
def audio_objects_exist(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """Every row's raw audio object is in the object store."""
    return _result(quality.audio_objects_exist(_partition(context, lake), lake.objects))


raw_calls_checks = [unique_call_uid, required_fields_not_null, durations_sane, audio_objects_exist]


@dg.asset_check(asset="raw_quarantine", partitions_def=call_date_partitions)
def quarantine_reasons_known(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """Every quarantined delivery has a source ref and a reason from the known set of codes
    (``quality.QUARANTINE_REASONS``). The table has no call date (a broken delivery may not
    have one), so the whole table is read: two columns of rare rows. An empty reason is an
    error; a code outside the set only warns (a new code, or a typo)."""
    rows = delta.read(lake.location, RAW_QUARANTINE, columns=["source_ref", "reason"])
    found = quality.quarantine_reasons(rows)
    return dg.AssetCheckResult(
        passed=found.passed,
        severity=dg.AssetCheckSeverity.ERROR if found.empty else dg.AssetCheckSeverity.WARN,
        metadata={
            "rows": rows.num_rows,
            "per_reason": dg.MetadataValue.json(found.per_reason),
            "empty_reason_or_ref": found.empty,
            "unknown_reasons": dg.MetadataValue.json(found.unknown),
        },
    )


raw_quarantine_checks = [quarantine_reasons_known]
