"""Incidents for the app's Incidents page, the Map and notebooks: the window's incidents,
and one incident's calls in order with what each said and its audio.

An incident that crosses UTC midnight has a row in each day it has calls; the newest
day's row sees every call, so each query keeps that one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import pandas as pd

from lake.queries.aliases import name_frame
from lake.queries.window import Window

RECENT_INCIDENTS_SQL = """
SELECT incident_id, call_date, incident_type, place, lat, lon, first_call_uid,
       first_call_time, last_call_uid, last_call_time, units, talkgroups, status, call_count
FROM incidents
WHERE call_date BETWEEN $d0 AND $d1
  AND last_call_time >= $since AND first_call_time < $until
  AND ($types IS NULL OR list_contains($types, incident_type))
  AND ($statuses IS NULL OR list_contains($statuses, status))
  AND call_count >= $min_calls
QUALIFY row_number() OVER (PARTITION BY incident_id ORDER BY call_date DESC) = 1
ORDER BY last_call_time DESC, incident_id
LIMIT $limit
"""

INCIDENT_CALLS_SQL = """
WITH l AS (
    SELECT call_uid, call_date FROM call_incidents
    WHERE call_date BETWEEN $d0 AND $d1 AND incident_id = $incident_id
), c AS (
    SELECT call_uid, call_date, start_time, duration_s, system, talkgroup, talkgroup_tag,
           talkgroup_group AS agency, audio_key AS raw_audio_key,
           coalesce(list_transform(units, u -> u.unit_id), []::BIGINT[]) AS unit_ids,
           coalesce(list_transform(units, u -> u.tag), []::VARCHAR[]) AS unit_tags
    FROM raw_calls
    WHERE call_date BETWEEN $d0 AND $d1 AND call_uid IN (SELECT call_uid FROM l)
), n AS (
    SELECT call_uid, audio_key FROM normalized_audio
    WHERE call_date BETWEEN $d0 AND $d1 AND call_uid IN (SELECT call_uid FROM l)
), t AS (
    SELECT call_uid, arg_max(text, transcribed_at) AS transcript
    FROM transcripts
    WHERE call_date BETWEEN $d0 AND $d1 AND call_uid IN (SELECT call_uid FROM l)
    GROUP BY call_uid
)
SELECT c.call_uid, c.call_date, c.start_time, c.duration_s, c.system, c.talkgroup,
       c.talkgroup_tag, c.agency, c.unit_ids, c.unit_tags, t.transcript, coalesce(n.audio_key, c.raw_audio_key) AS audio_key
FROM c LEFT JOIN n USING (call_uid) LEFT JOIN t USING (call_uid)
ORDER BY c.start_time, c.call_uid
"""

INCIDENT_TYPES_SQL = """
SELECT incident_type, count(DISTINCT incident_id) AS incidents
FROM incidents
WHERE call_date BETWEEN $d0 AND $d1 AND last_call_time >= $since AND first_call_time < $until
  AND incident_type IS NOT NULL
GROUP BY incident_type
ORDER BY incidents DESC, incident_type
"""


def _listed(values: Sequence[str] | None) -> list[str] | None:
    return list(values) if values else None


def recent_incidents(
    con: duckdb.DuckDBPyConnection,
    window: Window,
    incident_types: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    min_calls: int = 1,
    limit: int = 200,
) -> pd.DataFrame:
    """Incidents with a call in the window, most recently active first."""
    params = window.params | {
        "types": _listed(incident_types),
        "statuses": _listed(statuses),
        "min_calls": min_calls,
        "limit": limit,
    }
    return con.execute(RECENT_INCIDENTS_SQL, params).df()


def incident_calls(
    con: duckdb.DuckDBPyConnection, incident_id: str, first_day: dt.date, last_day: dt.date
) -> pd.DataFrame:
    """One incident's calls in time order (its rows' days bound the partitions read), each
    with its talkgroup, units (ids, recorded tags, and names beside ids), transcript and
    best audio object."""
    params = {"incident_id": incident_id, "d0": first_day, "d1": last_day}
    return name_frame(con, con.execute(INCIDENT_CALLS_SQL, params).df())


def incident_types(con: duckdb.DuckDBPyConnection, window: Window) -> pd.DataFrame:
    """The incident types of the window's incidents, commonest first."""
    return con.execute(INCIDENT_TYPES_SQL, window.params).df()
