"""Lake maintenance, wired for Dagster: each finished day's partitions are compacted with
Z-order, checkpointed and vacuumed, on a nightly schedule; the retention policy is applied
before it; crash leftovers in the landing zone and audio are swept every hour; and the
``redactions`` audit table is declared so it shows in the lineage.

A thin shell over ``lake.maintenance``. The asset has no upstream deps on purpose: the
micro-batch sensors launch everything downstream of ``raw_calls``, and compaction must not
run with every batch.
"""

import datetime as dt

import dagster as dg
from pydantic import Field

from assets.partitions import call_date_partitions
from assets.raw.ingest import ingest
from assets.raw.sensors import quarantine_materialization
from lake import delta
from lake.maintenance import DEFAULT_RETENTION_HOURS, TARGET_FILE_BYTES, optimize_lake
from lake.retention import apply_retention
from lake.tables import RAW_CALLS, RAW_QUARANTINE, REDACTIONS
from resources.lake import LakeResource
from resources.landing import LandingZone
from resources.retention import RetentionResource


class MaintenanceConfig(dg.Config):
    retention_hours: int = Field(
        default=DEFAULT_RETENTION_HOURS,
        description="VACUUM keeps files a version younger than this still references "
        "(readers and time travel within it keep working).",
    )
    target_file_mb: int = Field(
        default=TARGET_FILE_BYTES // (1024 * 1024), description="Size compaction aims for."
    )


@dg.asset(
    key="lake_maintenance",
    group_name="maintenance",
    partitions_def=call_date_partitions,
    kinds={"deltalake"},
    tags={"layer": "maintenance"},
)
def lake_maintenance(
    context: dg.AssetExecutionContext, config: MaintenanceConfig, lake: LakeResource
) -> dg.MaterializeResult:
    """OPTIMIZE and VACUUM for one call date. Every partitioned table's partition for the
    day is rewritten into few large files, Z-ordered on time and talkgroup (``raw_calls``,
    ``alerts``) or on ``call_uid`` (which is system-talkgroup-time) for the other layers, so
    the dashboards' time and talkgroup filters skip most files. Unpartitioned tables are
    compacted whole. Each table then gets a log checkpoint, old log entries are cleaned up,
    and files no version within the retention references are deleted. Without this,
    micro-batches leave thousands of small files and commits that every query pays for."""
    day = dt.date.fromisoformat(context.partition_key)
    results = optimize_lake(
        lake.location,
        [day],
        retention_hours=config.retention_hours,
        target_size=config.target_file_mb * 1024 * 1024,
    )
    for r in results:
        context.log.info(
            f"{r.table}: {r.files_removed} files -> {r.files_added}, vacuumed {r.vacuumed}"
        )
    return dg.MaterializeResult(
        metadata={
            "tables": len(results),
            "files_removed": sum(r.files_removed for r in results),
            "files_added": sum(r.files_added for r in results),
            "files_vacuumed": sum(r.vacuumed for r in results),
            "per_table": dg.MetadataValue.json(
                {r.table: {"removed": r.files_removed, "added": r.files_added, "vacuumed": r.vacuumed,
                           "version": r.version, "z_ordered": r.z_ordered} for r in results}
            ),
        }
    )


class LeftoversConfig(dg.Config):
    min_age_s: float = Field(
        default=3600.0,
        description="Only leftovers older than this are swept: far longer than any write in "
        "flight (a put of one call's audio and envelope takes well under a minute).",
    )


@dg.asset(
    key="landing_leftovers",
    group_name="maintenance",
    kinds={"s3", "python"},
    tags={"layer": "maintenance"},
)
def landing_leftovers(
    context: dg.AssetExecutionContext, config: LeftoversConfig, lake: LakeResource
) -> dg.MaterializeResult:
    """Sweeps what crashed writers left in the object store. Landing audio whose envelope
    was never written (an upload or poll that died between its two writes, so never
    acknowledged) is moved to ``rejected/`` and recorded in ``raw_quarantine`` as
    ``orphaned_audio``, unless its call reached ``raw_calls`` by a retry, in which case it
    is deleted. Temporary ``.partial`` files of local writes that never finished are
    deleted. Only what is older than ``min_age_s`` is touched, so no write in flight is."""
    location = lake.location

    def ingested(uids: set[str]) -> set[str]:
        # Only when orphans turn up (rare): one column of the table, filtered here.
        stored = delta.read(location, RAW_CALLS, columns=["call_uid"])["call_uid"]
        return uids & set(stored.to_pylist())

    swept = LandingZone(lake.objects).sweep(config.min_age_s, ingested)
    problems = ingest(swept.quarantined, lake.objects, source="landing").quarantine
    written = delta.merge(location, RAW_QUARANTINE, problems)
    if problems.num_rows:
        # raw_quarantine is the raw step's asset; this sweep adds to it, and says so.
        context.log_event(
            quarantine_materialization(problems, dt.datetime.now(dt.UTC), written.version, "landing_leftovers")
        )
    for item in swept.quarantined:
        context.log.warning(f"{item.source_ref}: {item.detail}")
    return dg.MaterializeResult(
        metadata={
            "orphaned_audio_quarantined": len(swept.quarantined),
            "orphaned_audio_deleted": len(swept.deleted_orphans),
            "partials_deleted": len(swept.deleted_partials),
            "swept": dg.MetadataValue.json(
                {
                    "quarantined": [i.source_ref for i in swept.quarantined],
                    "deleted_orphans": list(swept.deleted_orphans),
                    "deleted_partials": list(swept.deleted_partials),
                }
            ),
        }
    )


maintenance_job = dg.define_asset_job("lake_maintenance_job", selection=[lake_maintenance])
leftovers_job = dg.define_asset_job("landing_leftovers_job", selection=[landing_leftovers])


@dg.schedule(
    cron_schedule="17 * * * *",
    job=leftovers_job,
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def hourly_leftovers_sweep(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every hour: crash leftovers older than an hour are swept (see ``landing_leftovers``)."""
    return dg.RunRequest(run_key=f"landing-leftovers-{context.scheduled_execution_time.isoformat()}")


@dg.schedule(cron_schedule="30 2 * * *", job=maintenance_job, execution_timezone="UTC")
def nightly_maintenance(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """At 02:30 UTC, maintain yesterday: the last day no micro-batch still writes to."""
    scheduled = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
    day = (scheduled.astimezone(dt.UTC) - dt.timedelta(days=1)).date().isoformat()
    return dg.RunRequest(run_key=f"lake-maintenance-{day}", partition_key=day)


@dg.asset(key="lake_retention", group_name="maintenance", kinds={"deltalake"}, tags={"layer": "maintenance"})
def lake_retention(
    context: dg.AssetExecutionContext, lake: LakeResource, retention: RetentionResource
) -> dg.MaterializeResult:
    """Deletes what is older than the retention policy (``SCANLAKE_RETENTION_<RULE>_DAYS``:
    audio objects, transcripts and words, entities, locations, alerts, the geocode cache,
    landing rejects), then VACUUMs the touched tables with no retention and drops their old
    log entries, so the bytes leave storage rather than only the current version. Rules
    left unset keep everything."""
    results = apply_retention(lake.location, retention.policy())
    for r in results:
        context.log.info(
            f"{r.rule}: before {r.cutoff}: rows {r.rows_deleted}, objects {r.objects_deleted}, "
            f"files vacuumed {r.files_vacuumed}"
        )
    return dg.MaterializeResult(
        metadata={
            "rules_applied": len(results),
            "rows_deleted": sum(sum(r.rows_deleted.values()) for r in results),
            "objects_deleted": sum(r.objects_deleted for r in results),
            "files_vacuumed": sum(r.files_vacuumed for r in results),
            "per_rule": dg.MetadataValue.json(
                {r.rule: {"cutoff": r.cutoff.isoformat(), "rows": r.rows_deleted,
                          "objects": r.objects_deleted, "files_vacuumed": r.files_vacuumed} for r in results}
            ),
        }
    )


# Written by `scanlake redact` and the dashboard's admin action, synchronously, outside any
# run: a takedown must not wait for a daemon. Declared here so the lineage shows the table.
redactions = dg.AssetSpec(
    key=REDACTIONS.name,
    group_name="maintenance",
    kinds={"deltalake"},
    description="Audit trail of redactions (who, when, why, rows per table and object keys "
    "removed), appended by `scanlake redact` and the Call page's admin action.",
)

retention_job = dg.define_asset_job("lake_retention_job", selection=[lake_retention])


@dg.schedule(cron_schedule="0 2 * * *", job=retention_job, execution_timezone="UTC")
def nightly_retention(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """At 02:00 UTC, before the nightly compaction, apply the retention policy."""
    scheduled = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
    return dg.RunRequest(run_key=f"lake-retention-{scheduled.date().isoformat()}")


defs = dg.Definitions(
    assets=[lake_maintenance, lake_retention, landing_leftovers, redactions],
    jobs=[maintenance_job, retention_job, leftovers_job],
    schedules=[nightly_maintenance, nightly_retention, hourly_leftovers_sweep],
)
