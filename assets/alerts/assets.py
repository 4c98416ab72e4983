"""The alerts layer: ``alerts`` (keyword matches) and ``alert_deliveries`` (exactly-once
notifications), their check and the retry sensor, wired for Dagster.

A thin shell: rules come from the YAML through ``config``, matches from ``evaluate``,
sends from the ``notifier`` resource under the protocol in ``delivery``.
"""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Mapping
from typing import Any

import dagster as dg
import pyarrow as pa

from assets.alerts import delivery, delivery_log, message, notices, retraction
from assets.alerts.config import load_config
from assets.alerts.evaluate import evaluate, read_inputs
from assets.alerts.incident_rules import evaluate_incidents
from assets.partitions import call_date_partitions
from lake import delta
from lake.tables import ALERTS
from resources.asr.resource import TranscriberResource
from resources.lake import LakeResource
from resources.notify.channels import Notification
from resources.notify.resource import NotifierResource

STUCK_AFTER_ATTEMPTS = 3


def _policy(notifier: NotifierResource, backfill: bool) -> delivery.DeliveryPolicy:
    return delivery.DeliveryPolicy(
        notify=notifier.notify_backfills or not backfill,
        max_alert_age_s=notifier.max_alert_age_s,
        stale_after_s=notifier.stale_after_s,
        give_up_after_attempts=notifier.give_up_after_attempts,
        retry_after_s=notifier.retry_after_s,
        retry_after_max_s=notifier.retry_after_max_s,
    )


def _days(notifier: NotifierResource, day: dt.date | None = None) -> set[dt.date]:
    today = dt.datetime.now(dt.UTC).date()
    days = {today - dt.timedelta(days=n) for n in range(notifier.retry_days + 1)}
    return days | ({day} if day else set())


@dg.asset(
    key="alerts",
    group_name="alerts",
    partitions_def=call_date_partitions,
    deps=[
        "call_duplicates",
        "transcripts",
        "transcript_words",
        "transcript_corrections",
        "entities",
        "locations",
        "tones",
        "incidents",
    ],
    kinds={"deltalake", "python"},
    tags={"layer": "alerts"},
)
def alerts(
    context: dg.AssetExecutionContext,
    lake: LakeResource,
    notifier: NotifierResource,
    transcriber: TranscriberResource,
) -> dg.MaterializeResult:
    """Keyword-group matches on the day's transcripts by the configured ASR model, filtered
    by talkgroup, incident type and geofence, each with its matched words and their audio
    times, the call, the location and the subscribed channels; and incident rules: each
    new incident of a rule's types inside its geofence, once. Rules come from the alerts
    YAML (``SCANLAKE_ALERTS_CONFIG``). Keyed by (call, group), so re-runs never duplicate.
    A keyword alert that an editor's correction of its call no longer raises, or whose call
    a later copy decision found to be a worse copy of another (``call_duplicates``), is
    marked retracted (when, why), and restored if it is raised again."""
    day = dt.date.fromisoformat(context.partition_key)
    location = lake.location
    config = load_config(notifier.config_path)
    inputs = read_inputs(location, day, transcriber.model_id)
    known = delta.read(location, ALERTS, partitions={"call_date": [day]}).to_pylist()
    created = {r["alert_id"]: r["created_at"] for r in known}
    now = delivery.utcnow()
    rows = pa.concat_tables(
        [evaluate(inputs, config, now, created), evaluate_incidents(inputs, config, now, created)]
    )
    raised = set(rows["alert_id"].to_pylist())
    retracted = retraction.retractions(
        known,
        raised,
        set(inputs.transcripts["call_uid"].to_pylist()),
        inputs.corrections,
        config.groups,
        now,
        inputs.duplicates,
    )
    restored = [r["alert_id"] for r in known if r["retracted_at"] and r["alert_id"] in raised]
    written = delta.merge(
        location,
        ALERTS,
        pa.concat_tables([rows, pa.Table.from_pylist(retracted, schema=ALERTS.schema)]),
    )
    return dg.MaterializeResult(
        metadata={
            "alerts": rows.num_rows,
            "new_alerts": written.rows_inserted,
            "retracted": len(retracted),
            "restored": len(restored),
            "transcripts_checked": len(set(inputs.transcripts["call_uid"].to_pylist())),
            "by_group": dg.MetadataValue.json(dict(Counter(rows["keyword_group"].to_pylist()))),
            "keyword_groups": len(config.groups),
            "incident_rules": len(config.incident_rules),
            "config_path": notifier.config_path,
            "model_id": transcriber.model_id,
            "table_version": written.version,
        }
    )


@dg.asset(
    key="alert_deliveries",
    group_name="alerts",
    partitions_def=call_date_partitions,
    deps=["alerts"],
    kinds={"deltalake", "python"},
    tags={"layer": "alerts"},
)
def alert_deliveries(
    context: dg.AssetExecutionContext, lake: LakeResource, notifier: NotifierResource
) -> dg.MaterializeResult:
    """Notifications for the day's alerts through each subscribed channel (Apprise URLs and
    signed webhooks from the environment), exactly once: every attempt is claimed in the
    ``alert_deliveries`` log before it is sent and recorded after. Failed sends stay
    pending with their error and are retried by later runs (including older pending ones);
    backfill runs record their alerts as suppressed instead of sending, unless
    ``notify_backfills`` is on. A channel that received an alert since retracted gets one
    retraction (and one restoration if it is raised again); one still waiting to send it
    never does."""
    day = dt.date.fromisoformat(context.partition_key)
    location, store = lake.location, lake.objects
    config = load_config(notifier.config_path)
    backfill = delivery.is_backfill(context.run.tags)
    days = _days(notifier, day)
    rows = delta.read(location, ALERTS, partitions={"call_date": sorted(days)}).to_pylist()

    def render(alert: Mapping[str, Any], attempt: int, notice: int) -> Notification:
        link = message.audio_url(alert.get("audio_key"), notifier.audio_base_url, store.uri)
        return message.notification(alert, link, config.timezone, attempt, notice)

    report = delivery.deliver(
        delivery_log.DeliveryLog(location, days),
        alerts={r["alert_id"]: r for r in rows},
        new_alerts=[r for r in rows if r["call_date"] == day],
        channels=config.channels,
        send=notifier.send,
        render=render,
        policy=_policy(notifier, backfill),
        run_id=context.run.run_id,
    )
    for error in report.errors:
        context.log.warning(f"alert delivery: {error}")
    return dg.MaterializeResult(
        metadata={
            "planned": report.planned,
            "suppressed": report.suppressed,
            "notices_planned": report.notices_planned,
            "withdrawn": report.withdrawn,
            "sent": report.sent,
            "failed_attempts": report.failed_attempts,
            "gave_up": report.gave_up,
            "in_doubt": report.in_doubt,
            "busy_elsewhere": report.busy,
            "backing_off": report.waiting,
            "lost_claims": report.lost_claims,
            "unknown_channel": report.unknown_channel,
            "backfill_held": report.held,
        }
    )


@dg.asset_check(
    asset="alert_deliveries",
    description="No recent delivery is in doubt, failed, or retried 3+ times",
)
def deliveries_not_stuck(lake: LakeResource, notifier: NotifierResource) -> dg.AssetCheckResult:
    state = delivery_log.DeliveryLog(lake.location, _days(notifier)).state()
    stuck = [
        r
        for r in state.values()
        if r["status"] in (delivery_log.IN_DOUBT, delivery_log.FAILED)
        or (
            r["status"] == delivery_log.PENDING
            and delivery_log.notice_attempts(r) >= STUCK_AFTER_ATTEMPTS
        )
    ]
    return dg.AssetCheckResult(
        passed=not stuck,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "by_status": dg.MetadataValue.json(delivery_log.status_counts(state)),
            "stuck": dg.MetadataValue.json(
                [
                    {
                        k: str(r[k])
                        for k in ("alert_id", "channel", "attempt", "status", "last_error")
                    }
                    for r in stuck[:20]
                ]
            ),
        },
    )


@dg.sensor(
    name="alert_retry_sensor",
    asset_selection=[alert_deliveries],
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def alert_retry_sensor(
    lake: LakeResource, notifier: NotifierResource
) -> dg.SensorResult | dg.SkipReason:
    """Retries pending deliveries when no new traffic brings a run: requests a run of
    today's ``alert_deliveries`` while some delivery is due or abandoned mid-attempt, or a
    retraction or restoration is owed and not yet planned (a run that was sending the
    alert when it was retracted)."""
    days = _days(notifier)
    state = delivery_log.DeliveryLog(lake.location, days).state()
    now = delivery.utcnow()
    due = delivery.due_rows(state, _policy(notifier, backfill=False), now)
    rows = delta.read(
        lake.location, ALERTS, ["alert_id", "retracted_at"], {"call_date": sorted(days)}
    )
    owed, withdrawn = notices.reconcile(
        state, {r["alert_id"]: r for r in rows.to_pylist()}, "sensor", now
    )
    due += sorted(
        f"{r['alert_id']}/{r['channel']}/{r['attempt']}/{r['status']}" for r in owed + withdrawn
    )
    if not due:
        return dg.SkipReason("no delivery is due")
    # The same set of due rows maps to the same run key, so one run is requested for it.
    key = hashlib.sha1("\n".join(due).encode()).hexdigest()[:16]
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(run_key=f"alert-retry-{key}", partition_key=now.date().isoformat())
        ]
    )


defs = dg.Definitions(
    assets=[alerts, alert_deliveries],
    asset_checks=[deliveries_not_stuck],
    sensors=[alert_retry_sensor],
)
