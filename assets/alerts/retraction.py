"""Retracting an alert that an editor's correction no longer raises, or that was raised on
a copy of a transmission another copy now stands for.

Pure: the day's alert rows already in the lake, the ids the fresh evaluation raised, the
calls' corrections and the calls demoted to copies in; the rows to write back retracted out. A retracted alert keeps its row
(what was sent stays explained) with when and why; a later evaluation that raises it again
writes it without them, which restores it. The channels that received it learn of either
through ``notices``.

Only a correction (of a call whose corrected text was evaluated) or a copy decision
retracts, and only a keyword group's alert: an alert missing from a run for any other reason
(a keyword group taken out of the YAML, a range being re-transcribed with another model, an
incident regrouped) is not evidence that what was heard was wrong. A copy kept and alerted on
by an earlier run that a later run finds to be a worse copy of another (``call_duplicates``)
has its alerts retracted: the kept copy's stand for the transmission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from assets.alerts.evaluate import alert_id


def reason(group: str, correction: Mapping[str, Any]) -> str:
    editor = f" by {correction['editor']}" if correction.get("editor") else ""
    return (
        f"transcript correction v{correction['version']}{editor}: the corrected text no "
        f"longer matches keyword group {group!r} and its filters"
    )


def copy_reason(kept_call_uid: str) -> str:
    return (
        f"the call is a copy of {kept_call_uid}, kept for the transmission instead "
        "(call_duplicates): that call's alerts stand for it"
    )


def retractions(
    known: Iterable[Mapping[str, Any]],
    raised: Collection[str],
    evaluated: Collection[str],
    corrections: Mapping[str, Mapping[str, Any]],
    groups: Collection[str],
    now: dt.datetime,
    duplicates: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """``known`` alerts to write back retracted: active, not in ``raised`` (this evaluation's
    alert ids), of a keyword group still in ``groups``, on a call in ``evaluated`` whose
    text is an editor's (``corrections``: call_uid -> its newest correction row), or on a
    call now a copy of another (``duplicates``: call_uid -> the kept copy's)."""
    duplicates = duplicates or {}
    out = []
    for row in known:
        uid, group = row["call_uid"], row["keyword_group"]
        if row["retracted_at"] is not None or row["alert_id"] in raised:
            continue
        # an incident rule's alert is keyed by its incident, not by (call, group)
        if group not in groups or row["alert_id"] != alert_id(uid, group):
            continue
        correction = corrections.get(uid)
        if uid in duplicates:
            why = copy_reason(duplicates[uid])
        elif correction is not None and uid in evaluated:
            why = reason(group, correction)
        else:
            continue
        out.append({**row, "retracted_at": now, "retraction_reason": why, "evaluated_at": now})
    return out
