"""Recent asset check results, read from the Dagster instance (``DAGSTER_HOME``).

This module reads Dagster's event log and nothing else; it holds no SQL and no lake access.
"""

from __future__ import annotations

import datetime as dt
import os

import dagster as dg
import pandas as pd

COLUMNS = ["evaluated_at", "asset", "check", "passed", "severity", "partition", "description", "run_id"]


def instance_configured() -> bool:
    return bool(os.environ.get("DAGSTER_HOME"))


def recent_check_results(instance: dg.DagsterInstance | None = None, limit: int = 100) -> pd.DataFrame:
    """The newest asset check evaluations, newest first (empty without an instance)."""
    if instance is None:
        if not instance_configured():
            return pd.DataFrame(columns=COLUMNS)
        # opened here, so closed here: a page rerun must not leave its connections to the
        # garbage collector of whichever thread runs next
        with dg.DagsterInstance.get() as opened:
            return recent_check_results(opened, limit)
    records = instance.event_log_storage.get_event_records(
        dg.EventRecordsFilter(event_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION),
        limit=limit,
        ascending=False,
    )
    rows = []
    for record in records:
        entry = record.event_log_entry
        evaluation = entry.dagster_event.event_specific_data if entry.dagster_event else None
        if evaluation is None:
            continue
        rows.append(
            {
                "evaluated_at": dt.datetime.fromtimestamp(entry.timestamp, dt.UTC),
                "asset": evaluation.asset_key.to_user_string(),
                "check": evaluation.check_name,
                "passed": evaluation.passed,
                "severity": evaluation.severity.value if evaluation.severity else None,
                "partition": getattr(evaluation, "partition", None),
                "description": evaluation.description,
                "run_id": entry.run_id,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
