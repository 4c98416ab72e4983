"""Jobs over the layers: the live micro-batch job the sensors request, the partitioned
backfill job for rebuilding a date range, and the data-quality checks the live job leaves
to a schedule."""

from collections.abc import Sequence

import dagster as dg
from dagster._core.storage.tags import PARTITION_NAME_TAG

from assets.lanes import LANE_TAG, LIVE_JOB, LIVE_LANE
from orchestration import distributed

EVERY_LAYER = dg.AssetSelection.assets("raw_calls").downstream()
QUALITY_JOB = "quality_checks"


def blocking_checks(layers: Sequence[dg.Definitions]) -> list[dg.AssetCheckKey]:
    return [
        spec.key
        for layer in layers
        for checks in layer.asset_checks or []
        for spec in checks.check_specs  # type: ignore[union-attr]
        if spec.blocking
    ]


def build_jobs(layers: Sequence[dg.Definitions]) -> dg.Definitions:
    blocking = dg.AssetSelection.checks(*blocking_checks(layers))
    # A micro-batch runs each asset and the checks that guard what comes after it
    # (duplicate keys, a call in two tables), in one process, one step after another: a
    # run then costs its work, not a process and ~0.2 s of bookkeeping per step. The other
    # checks read the whole day; they run on the schedule below and in every backfill.
    live = dg.define_asset_job(
        LIVE_JOB,
        selection=EVERY_LAYER.without_checks() | blocking,
        executor_def=distributed.executor() if distributed.live_enabled() else dg.in_process_executor,
        tags={LANE_TAG: LIVE_LANE},
        description="One micro-batch of new calls through every layer; requested by the sensors.",
    )
    pipeline = dg.define_asset_job(
        "pipeline",
        selection=EVERY_LAYER,
        # Celery workers when a broker is configured, else local processes (the default).
        executor_def=distributed.executor() if distributed.enabled() else None,
        description="Every layer and check for one call date: run it over a range in the UI to backfill.",
    )
    quality = dg.define_asset_job(
        QUALITY_JOB,
        selection=(EVERY_LAYER - EVERY_LAYER.without_checks()) - blocking,
        executor_def=dg.in_process_executor,  # a dozen short reads: not a process each
        description="The data-quality checks the live job skips, on one call date.",
    )

    @dg.schedule(
        cron_schedule="*/15 * * * *",
        job=quality,
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    def live_quality_checks(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        """Today's checks every 15 minutes, while the live job keeps the day growing."""
        day = context.scheduled_execution_time.date().isoformat()
        # A job of checks alone has no partitions of its own (Dagster infers them from
        # assets), so the day travels as the run's partition tag, which the checks read.
        return dg.RunRequest(
            run_key=f"{QUALITY_JOB}-{context.scheduled_execution_time.isoformat()}",
            tags={PARTITION_NAME_TAG: day},
        )

    return dg.Definitions(jobs=[live, pipeline, quality], schedules=[live_quality_checks])
