"""The ``alert_deliveries`` log: one row per alert, channel and attempt, the newest being
the delivery's state. Attempts are claimed with Delta app transactions, so that two runs
can never both own one attempt (see ``delivery`` for the protocol)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from lake import delta
from lake.location import LakeLocation
from lake.tables import ALERT_DELIVERIES

PENDING, SENDING, SENT = "pending", "sending", "sent"
FAILED, SUPPRESSED, IN_DOUBT = "failed", "suppressed", "in_doubt"
# a notice taken back before it was sent: the alert was retracted, or restored, meanwhile
WITHDRAWN = "withdrawn"
TERMINAL = frozenset({SENT, FAILED, SUPPRESSED, IN_DOUBT, WITHDRAWN})
# what the receiver may hold: sent, or perhaps sent
RECEIVED = frozenset({SENT, IN_DOUBT})

# A row's notice is the message it carries; notices alternate, so a number says which.
ALERT, RETRACTION, RESTORATION = "alert", "retraction", "restoration"


def notice_of(row: Mapping[str, Any]) -> int:
    """The row's notice; null in rows written before notices, which all carry the alert."""
    return row.get("notice") or 0


def notice_attempts(row: Mapping[str, Any]) -> int:
    """The row's attempt counted within its notice: what backoff and give-up count."""
    return row["attempt"] - (row.get("notice_from_attempt") or 0)


def event(notice: int) -> str:
    if notice == 0:
        return ALERT
    return RETRACTION if notice % 2 else RESTORATION


def claim_app_id(alert_id: str, channel: str) -> str:
    return f"scanlake/alert-send/{alert_id}/{channel}"


class DeliveryLog:
    """The ``alert_deliveries`` rows of some call dates, read and written through lake/."""

    def __init__(self, location: LakeLocation, days: Iterable[dt.date]) -> None:
        self.location = location
        self.days = sorted(set(days))

    def state(self) -> dict[tuple[str, str], dict[str, Any]]:
        """The newest row per (alert, channel)."""
        rows = delta.read(self.location, ALERT_DELIVERIES, partitions={"call_date": self.days})
        newest: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows.to_pylist():
            key = (row["alert_id"], row["channel"])
            if key not in newest or row["attempt"] > newest[key]["attempt"]:
                newest[key] = row
        return newest

    def plan(self, rows: list[dict[str, Any]]) -> None:
        delta.merge(self.location, ALERT_DELIVERIES, _table(rows), update=False)

    def claim(self, row: dict[str, Any]) -> bool:
        """Commit the attempt's row with its app transaction; False if another run has it."""
        written = delta.append_once(
            self.location,
            ALERT_DELIVERIES,
            _table([row]),
            app_id=claim_app_id(row["alert_id"], row["channel"]),
            batch_version=row["attempt"],
        )
        return not written.skipped

    def record(self, row: dict[str, Any]) -> None:
        delta.merge(self.location, ALERT_DELIVERIES, _table([row]), update=True)


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=ALERT_DELIVERIES.schema)


def new_row(
    alert_id: str, channel: str, call_date: dt.date, attempt: int, status: str, **rest: Any
) -> dict[str, Any]:
    row = {name: None for name in ALERT_DELIVERIES.columns}
    row.update(
        alert_id=alert_id,
        channel=channel,
        call_date=call_date,
        attempt=attempt,
        status=status,
        tries=0,
    )
    row.update(rest)
    return row


def status_counts(state: Mapping[tuple[str, str], Mapping[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in state.values():
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts
