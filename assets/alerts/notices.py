"""What each channel is owed when an alert is retracted or restored.

A channel's delivery of an alert is a sequence of notices in the ``alert_deliveries`` log:
notice 0 the alert, 1 its retraction, 2 the alert restored, 3 retracted again, and so on.
Each notice goes through the log's protocol (plan, claim, send, record; see ``delivery``),
so it is sent exactly once, whatever re-runs, retries and concurrent runs do.

Reconciling compares what the alert is now (retracted or not) with what the channel's newest
row says the receiver holds, and plans the one notice that closes the gap:

- a receiver that holds the alert (sent, or in doubt) while it is retracted is owed a
  retraction; one that holds a retraction while the alert stands is owed the alert restored;
- a notice still waiting to be sent that no longer says the truth is withdrawn, not sent: a
  receiver never hears of an alert retracted before it went out, or of a retraction undone
  before it went out;
- a withdrawn notice that says the truth again is planned again;
- a receiver that never got the alert (suppressed, given up) is owed nothing; a notice being
  sent by another run is left to it, and the next reconcile sees its outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from assets.alerts.delivery_log import (
    PENDING,
    RECEIVED,
    WITHDRAWN,
    new_row,
    notice_of,
)


def _retracts(notice: int) -> bool:
    return notice % 2 == 1


def reconcile(
    state: Mapping[tuple[str, str], Mapping[str, Any]],
    alerts: Mapping[str, Mapping[str, Any]],
    run_id: str,
    now: dt.datetime,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The notices to plan (new attempt rows) and the waiting ones to withdraw (their rows
    with the new status), for each delivery in ``state`` of an alert in ``alerts``."""
    planned, withdrawn = [], []
    for (alert_id, channel), row in state.items():
        alert = alerts.get(alert_id)
        if alert is None:
            continue
        retracted = alert.get("retracted_at") is not None
        notice, status = notice_of(row), row["status"]
        if status == PENDING:
            if _retracts(notice) != retracted:
                note = "the alert was retracted" if retracted else "the alert was restored"
                withdrawn.append(
                    {
                        **row,
                        "status": WITHDRAWN,
                        "last_error": f"{note} before this notice was sent",
                        "next_attempt_at": None,
                        "updated_at": now,
                    }
                )
            continue
        if status in RECEIVED and _retracts(notice) != retracted:
            wanted = notice + 1
        elif status == WITHDRAWN and _retracts(notice) == retracted:
            wanted = notice
        else:
            continue
        planned.append(
            new_row(
                alert_id,
                channel,
                row["call_date"],
                row["attempt"] + 1,
                PENDING,
                notice=wanted,
                notice_from_attempt=row["attempt"] + 1,
                run_id=run_id,
                updated_at=now,
            )
        )
    return planned, withdrawn
