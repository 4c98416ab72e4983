"""Exactly-once alert delivery, recorded in the ``alert_deliveries`` log.

Per (alert, channel) the log holds a planned row (attempt 0) and one row per send attempt;
the newest row is the delivery's state. The protocol:

1. **Plan** each new (alert, channel) once, insert-only: ``pending``, or ``suppressed`` in a
   backfill run or for a call older than the age limit. A suppressed delivery never sends.
2. **Claim** attempt n by committing its ``sending`` row together with the Delta app
   transaction ``scanlake/alert-send/<alert>/<channel>`` at version n. Delta refuses a
   second commit of one version (a racing run gets a conflict, re-reads and finds it
   taken), so of any number of concurrent runs exactly one owns attempt n, and the intent
   is durable before a byte is sent.
3. **Send**, with the alert id as an idempotency key the receiver sees.
4. **Record** the outcome on that attempt's row: ``sent``; or ``pending`` with last_error
   and a ``next_attempt_at`` that backs off per attempt (retried by a later run); or
   ``failed`` once ``give_up_after_attempts`` is reached (never, by default).

A retraction, and the alert restored after one, are later notices of the same delivery,
planned by ``notices.reconcile`` and sent through the same four steps.

The guarantee, honestly: no two runs send the same attempt, and nothing is re-sent after
``sent`` is committed. The one window left is a crash between the receiver accepting the
send and step 4's commit. That leaves a ``sending`` row; once older than ``stale_after_s``
a later run marks it ``in_doubt`` (visible, never silently resent), or, for a channel with
``resend_in_doubt`` whose receiver drops repeats of an ``X-Scanlake-Alert-Id``, sends it
again as the next attempt. Retries inside one attempt share that caveat: a send whose
reply was lost may have arrived, so a receiver can see an alert id twice and must dedupe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assets.alerts.delivery_log import (
    FAILED,
    IN_DOUBT,
    PENDING,
    SENDING,
    SENT,
    SUPPRESSED,
    TERMINAL,
    DeliveryLog,
    new_row,
    notice_attempts,
    notice_of,
)
from assets.alerts.notices import reconcile
from resources.notify.channels import ChannelSpec, Notification, SendResult

BACKFILL_TAG = "dagster/backfill"

Send = Callable[[ChannelSpec, Notification], SendResult]
# (alert row, attempt, notice) -> what is sent
Render = Callable[[Mapping[str, Any], int, int], Notification]
Clock = Callable[[], dt.datetime]


def is_backfill(tags: Mapping[str, str]) -> bool:
    """Dagster tags every run a backfill launches with the backfill's id."""
    return BACKFILL_TAG in tags


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class DeliveryPolicy:
    notify: bool = True
    hold_reason: str = "backfill run: notifications are off (notify_backfills)"
    max_alert_age_s: float = 6 * 3600.0
    stale_after_s: float = 300.0
    give_up_after_attempts: int = 0
    retry_after_s: float = 30.0
    retry_after_max_s: float = 900.0

    def next_attempt_at(self, now: dt.datetime, attempt: int) -> dt.datetime:
        wait = min(self.retry_after_max_s, self.retry_after_s * 2 ** max(0, attempt - 1))
        return now + dt.timedelta(seconds=wait)


@dataclass
class DeliveryReport:
    planned: int = 0
    suppressed: int = 0
    sent: int = 0
    failed_attempts: int = 0
    gave_up: int = 0
    in_doubt: int = 0
    busy: int = 0
    waiting: int = 0
    lost_claims: int = 0
    unknown_channel: int = 0
    notices_planned: int = 0
    withdrawn: int = 0
    held: bool = False
    errors: list[str] = field(default_factory=list)


def plan_rows(
    alerts: Iterable[Mapping[str, Any]],
    known: Mapping[tuple[str, str], Any],
    policy: DeliveryPolicy,
    run_id: str,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """Attempt-0 rows for every subscribed (alert, channel) not yet in the log, of alerts
    that stand (a retracted alert not yet planned is never sent)."""
    rows = []
    for alert in alerts:
        if alert.get("retracted_at") is not None:
            continue
        start = alert.get("call_start_time")
        too_old = bool(
            policy.max_alert_age_s
            and start
            and (now - start).total_seconds() > policy.max_alert_age_s
        )
        for channel in alert.get("channels") or []:
            if (alert["alert_id"], channel) in known:
                continue
            status, reason = PENDING, None
            if not policy.notify:
                status, reason = SUPPRESSED, policy.hold_reason
            elif too_old:
                status, reason = (
                    SUPPRESSED,
                    f"call started {(now - start).total_seconds():.0f} s before it was seen (max_alert_age_s)",
                )
            rows.append(
                new_row(
                    alert["alert_id"],
                    channel,
                    alert["call_date"],
                    0,
                    status,
                    last_error=reason,
                    run_id=run_id,
                    updated_at=now,
                )
            )
    return rows


def deliver(
    log: DeliveryLog,
    alerts: Mapping[str, Mapping[str, Any]],
    new_alerts: Iterable[Mapping[str, Any]],
    channels: Mapping[str, ChannelSpec],
    send: Send,
    render: Render,
    policy: DeliveryPolicy,
    run_id: str,
    clock: Clock = utcnow,
) -> DeliveryReport:
    """Plan deliveries for ``new_alerts`` and the retractions and restorations ``alerts``
    owe (``notices``), then send every due delivery in the log's days. ``alerts`` maps alert
    ids to their rows (for the message of any pending delivery)."""
    report = DeliveryReport()
    state = log.state()
    now = clock()
    planned = plan_rows(new_alerts, state, policy, run_id, now)
    owed, withdrawn = reconcile(state, alerts, run_id, now)
    for row in withdrawn:
        log.record(row)
    if planned or owed:
        log.plan(planned + owed)
    if planned or owed or withdrawn:
        report.planned = len(planned)
        report.suppressed = sum(r["status"] == SUPPRESSED for r in planned)
        report.notices_planned, report.withdrawn = len(owed), len(withdrawn)
        state = log.state()
    if not policy.notify:
        report.held = True
        return report
    # Fresh deliveries first: a channel that keeps failing must not delay a new alert.
    for row in sorted(state.values(), key=lambda r: (notice_attempts(r), r["updated_at"])):
        if row["status"] in TERMINAL:
            continue
        channel = channels.get(row["channel"])
        alert = alerts.get(row["alert_id"])
        if channel is None or alert is None:
            report.unknown_channel += channel is None
            if alert is None:
                report.errors.append(f"{row['alert_id']}: the alert row is missing")
            continue
        if not _due(row, channel, policy, log, report, clock()):
            continue
        _attempt(row, channel, alert, log, send, render, policy, run_id, report, clock)
    return report


def classify(row: Mapping[str, Any], policy: DeliveryPolicy, now: dt.datetime) -> str:
    """What a run should do with a delivery's newest row: ``done``, ``busy`` (another run is
    sending it), ``stale`` (its run died mid-attempt), ``waiting`` (backing off),
    ``give_up`` or ``due``."""
    if row["status"] in TERMINAL:
        return "done"
    if row["status"] == SENDING:
        fresh = (now - row["updated_at"]).total_seconds() < policy.stale_after_s
        return "busy" if fresh else "stale"
    if row["next_attempt_at"] is not None and row["next_attempt_at"] > now:
        return "waiting"
    if policy.give_up_after_attempts and notice_attempts(row) >= policy.give_up_after_attempts:
        return "give_up"
    return "due"


def _due(
    row: dict[str, Any],
    channel: ChannelSpec,
    policy: DeliveryPolicy,
    log: DeliveryLog,
    report: DeliveryReport,
    now: dt.datetime,
) -> bool:
    kind = classify(row, policy, now)
    if kind == "busy":
        report.busy += 1
    elif kind == "waiting":
        report.waiting += 1
    elif kind == "give_up":
        log.record({**row, "status": FAILED, "updated_at": now})
        report.gave_up += 1
    elif kind == "stale":
        note = f"run {row['run_id']} stopped between claiming attempt {row['attempt']} and recording its outcome"
        if channel.resend_in_doubt:
            log.record(
                {**row, "status": IN_DOUBT, "last_error": note + "; resent", "updated_at": now}
            )
            return True
        detail = "; the receiver may or may not have it, so it is not resent"
        log.record({**row, "status": IN_DOUBT, "last_error": note + detail, "updated_at": now})
        report.in_doubt += 1
    return kind == "due"


def _attempt(
    row: dict[str, Any],
    channel: ChannelSpec,
    alert: Mapping[str, Any],
    log: DeliveryLog,
    send: Send,
    render: Render,
    policy: DeliveryPolicy,
    run_id: str,
    report: DeliveryReport,
    clock: Clock,
) -> None:
    n = row["attempt"] + 1
    claim = new_row(
        row["alert_id"],
        row["channel"],
        row["call_date"],
        n,
        SENDING,
        notice=notice_of(row),
        notice_from_attempt=row.get("notice_from_attempt"),
        run_id=run_id,
        updated_at=clock(),
    )
    if not log.claim(claim):
        report.lost_claims += 1
        return
    result = send(channel, render(alert, n, notice_of(row)))
    now = clock()
    if result.ok:
        log.record(
            {**claim, "status": SENT, "tries": result.tries, "sent_at": now, "updated_at": now}
        )
        report.sent += 1
        return
    report.failed_attempts += 1
    report.errors.append(f"{row['channel']}: {result.error}")
    outcome = {**claim, "tries": result.tries, "last_error": result.error, "updated_at": now}
    tried = notice_attempts(claim)
    if policy.give_up_after_attempts and tried >= policy.give_up_after_attempts:
        outcome["status"] = FAILED
        report.gave_up += 1
    else:
        outcome.update(status=PENDING, next_attempt_at=policy.next_attempt_at(now, tried))
    log.record(outcome)


def due_rows(
    state: Mapping[tuple[str, str], Mapping[str, Any]], policy: DeliveryPolicy, now: dt.datetime
) -> list[str]:
    """``alert/channel/attempt/kind`` of each delivery a run started now would act on."""
    found = []
    for (alert_id, channel), row in state.items():
        kind = classify(row, policy, now)
        if kind in ("due", "stale", "give_up"):
            found.append(f"{alert_id}/{channel}/{row['attempt']}/{kind}")
    return sorted(found)
