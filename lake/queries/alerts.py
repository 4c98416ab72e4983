"""Keyword alerts and where each one's notifications stand, for the app's Alerts page and
notebooks.

A delivery is logged as one row per attempt in ``alert_deliveries``; its state is the
newest attempt's status: ``sent``, ``pending``/``sending`` (waiting or retrying),
``failed`` (gave up), ``in_doubt`` (a crash between send and record: shown, never resent),
``suppressed`` (a backfill that does not notify) or ``withdrawn`` (retracted, or restored,
before it went out), and its notice what it carries: the alert, its retraction, or the
alert restored. A retracted alert stays listed, with when and why (``retracted_at``,
``retraction_reason``).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from lake.queries.aliases import name_frame
from lake.queries.window import Window

RECENT_ALERTS_SQL = """
WITH latest AS (
    SELECT alert_id, channel, status, tries, last_error, sent_at,
           CASE WHEN coalesce(notice, 0) = 0 THEN ''
                WHEN notice % 2 = 1 THEN 'retraction '
                ELSE 'restoration ' END AS notice_kind
    FROM alert_deliveries
    WHERE call_date BETWEEN $d0 AND $d1
    QUALIFY row_number() OVER (PARTITION BY alert_id, channel ORDER BY attempt DESC) = 1
)
SELECT a.alert_id, a.call_uid, a.call_date, a.call_start_time, a.keyword_group,
       coalesce(a.matched_terms, []::VARCHAR[]) AS matched_terms, a.snippet, a.talkgroup, a.talkgroup_tag, a.incident_types,
       a.system, TRY_CAST(split_part(a.talkgroup, '@', 1) AS BIGINT) AS talkgroup_id,
       a.location, a.lat, a.lon, a.audio_key, a.match_start_s, a.model_id, a.created_at,
       a.retracted_at, a.retraction_reason,
       coalesce(list(d.channel || ': ' || d.notice_kind || d.status ORDER BY d.channel)
           FILTER (WHERE d.channel IS NOT NULL), []::VARCHAR[]) AS deliveries,
       count(d.channel) FILTER (WHERE d.status = 'sent') AS channels_sent,
       count(d.channel) FILTER (WHERE d.status IN ('pending', 'sending')) AS channels_waiting,
       count(d.channel) FILTER (WHERE d.status IN ('failed', 'in_doubt')) AS channels_failed,
       max(d.last_error) FILTER (WHERE d.status <> 'sent') AS last_error
FROM alerts a LEFT JOIN latest d USING (alert_id)
WHERE a.call_date BETWEEN $d0 AND $d1
  AND a.call_start_time >= $since AND a.call_start_time < $until
  AND (len($groups) = 0 OR list_contains($groups, a.keyword_group))
GROUP BY ALL
ORDER BY a.call_start_time DESC, a.keyword_group
LIMIT $limit
"""

ALERT_GROUPS_SQL = """
SELECT keyword_group, count(*) FILTER (WHERE retracted_at IS NULL) AS alerts,
       count(*) FILTER (WHERE retracted_at IS NOT NULL) AS retracted,
       max(call_start_time) AS latest
FROM alerts
WHERE call_date BETWEEN $d0 AND $d1 AND call_start_time >= $since AND call_start_time < $until
GROUP BY keyword_group
ORDER BY alerts DESC, keyword_group
"""


def recent_alerts(
    con: duckdb.DuckDBPyConnection, window: Window, groups: Sequence[str] = (), limit: int = 100
) -> pd.DataFrame:
    """The window's alerts, newest first, retracted ones included (``retracted_at``,
    ``retraction_reason``), each with its channels' delivery states and its talkgroup's
    name beside its id (``talkgroup_name``)."""
    params = window.params | {"groups": list(groups), "limit": limit}
    alerts = con.execute(RECENT_ALERTS_SQL, params).df()
    named = name_frame(
        con, alerts.rename(columns={"talkgroup": "talkgroup_at", "talkgroup_id": "talkgroup"})
    )
    return alerts.assign(talkgroup_name=named["talkgroup_name"])


def alert_groups(con: duckdb.DuckDBPyConnection, window: Window) -> pd.DataFrame:
    """Standing and retracted alerts per keyword group in the window."""
    return con.execute(ALERT_GROUPS_SQL, window.params).df()
