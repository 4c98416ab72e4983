"""The incidents layer: ``incidents`` and ``call_incidents`` and their checks, wired for
Dagster.

A thin shell: reading and writing are ``partition``, the grouping rules ``grouping`` and
``signals``, what the checks measure ``checks``.
"""

import datetime as dt
from collections.abc import Iterator

import dagster as dg

from assets.incidents import checks
from assets.incidents.partition import LOOKBACK, group_partition
from assets.partitions import call_date_partitions
from assets.results import paired_specs, report
from lake.tables import CALL_INCIDENTS, INCIDENTS
from resources.asr.resource import TranscriberResource
from resources.lake import LakeResource

# incident_links_one_to_one (on incidents) checks the two tables against each other.
_SPECS = paired_specs(
    "incidents", INCIDENTS, CALL_INCIDENTS,
    deps=["raw_calls", "transcripts", "transcript_corrections", "entities", "locations"],
    kinds={"deltalake", "python"},
)


@dg.multi_asset(specs=_SPECS, name="incidents", can_subset=True)
def incidents(
    context: dg.AssetExecutionContext, lake: LakeResource, transcriber: TranscriberResource
) -> Iterator[dg.MaterializeResult]:
    """The day's calls grouped into incidents, as an analyst would: the same place within a
    time window, shared units, the talkgroups of one agency, and the dispatch -> en route
    -> on scene -> clear sequence (10-codes and status phrases). Writes ``incidents`` (type,
    place, first and last call, units, status, call count) and ``call_incidents`` (each
    grouped call's incident). The whole day is grouped again on every run, looking back
    3 hours into the day before, so late calls join or merge incidents and ids (from each
    incident's earliest call) are the same on every re-run."""
    day = dt.date.fromisoformat(context.partition_key)
    summary = group_partition(lake.location, day, dt.datetime.now(dt.UTC), transcriber.model_id)
    yield from report(
        context,
        [
            dg.MaterializeResult(
                asset_key=INCIDENTS.name,
                metadata={
                    "calls": summary.calls,
                    "lookback_calls": summary.lookback_calls,
                    "lookback_hours": LOOKBACK.total_seconds() / 3600,
                    "grouped_calls": summary.grouped_calls,
                    "incidents": summary.incidents,
                    "multi_call_incidents": summary.multi_call_incidents,
                    "by_status": dg.MetadataValue.json(summary.by_status),
                    "by_type": dg.MetadataValue.json(summary.by_type),
                },
            ),
            dg.MaterializeResult(
                asset_key=CALL_INCIDENTS.name, metadata={"grouped_calls": summary.grouped_calls}
            ),
        ],
    )


@dg.asset_check(asset="incidents", partitions_def=call_date_partitions, blocking=True)
def incident_links_one_to_one(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """Every grouped call links to exactly one incident of the day, and every incident of
    the day has a linked call."""
    problems = checks.link_problems(lake.location, dt.date.fromisoformat(context.partition_key))
    return dg.AssetCheckResult(
        passed=not any(problems.values()),
        metadata={k: dg.MetadataValue.json(v[:20]) for k, v in problems.items()}
        | {f"{k}_count": len(v) for k, v in problems.items()},
    )


@dg.asset_check(asset="incidents", partitions_def=call_date_partitions)
def incident_ids_stable(
    context: dg.AssetCheckExecutionContext, lake: LakeResource, transcriber: TranscriberResource
) -> dg.AssetCheckResult:
    """Grouping the day again from the lake gives every call the incident id it has: ids
    are a function of the calls. A difference means inputs changed since the last run (a
    re-run brings them back in line) or the grouping is not deterministic."""
    day = dt.date.fromisoformat(context.partition_key)
    moved = checks.unstable_links(lake.location, day, transcriber.model_id)
    return dg.AssetCheckResult(
        passed=not moved,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"calls_moved": len(moved), "examples": dg.MetadataValue.json(moved[:20])},
    )


defs = dg.Definitions(
    assets=[incidents], asset_checks=[incident_links_one_to_one, incident_ids_stable]
)
