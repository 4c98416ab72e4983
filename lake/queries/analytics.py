"""Aggregates for the Analytics page and the notebooks: traffic, incidents, units,
response patterns and transcription quality over a time window."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from lake.queries.window import Window

BUCKETS = ("hour", "day", "week")

CALLS_PER_HOUR_SQL = """
SELECT date_trunc('hour', start_time) AS hour, talkgroup, any_value(talkgroup_tag) AS talkgroup_tag,
       any_value(talkgroup_group) AS agency, count(*) AS calls, sum(duration_s) AS airtime_s
FROM raw_calls
WHERE call_date BETWEEN $d0 AND $d1 AND start_time >= $since AND start_time < $until
GROUP BY hour, talkgroup
ORDER BY hour, talkgroup
"""

INCIDENTS_OVER_TIME_SQL = """
WITH i AS (
    SELECT call_uid, arg_min(coalesce(normalized, text), start_char) AS incident_type
    FROM entities
    WHERE call_date BETWEEN $d0 AND $d1 AND label = 'INCIDENT_TYPE'
    GROUP BY call_uid
)
SELECT date_trunc($bucket, c.start_time) AS bucket, i.incident_type, count(*) AS calls
FROM raw_calls c JOIN i USING (call_uid)
WHERE c.call_date BETWEEN $d0 AND $d1 AND c.start_time >= $since AND c.start_time < $until
GROUP BY ALL
ORDER BY bucket, calls DESC
"""

BUSIEST_UNITS_SQL = """
WITH u AS (
    SELECT call_uid, talkgroup, start_time, duration_s, unnest(units) AS unit
    FROM raw_calls
    WHERE call_date BETWEEN $d0 AND $d1 AND start_time >= $since AND start_time < $until
)
SELECT coalesce(unit.tag, unit.unit_id::VARCHAR) AS unit, any_value(unit.unit_id) AS unit_id,
       count(DISTINCT call_uid) AS calls, sum(duration_s) AS airtime_s,
       count(DISTINCT talkgroup) AS talkgroups, max(start_time) AS last_heard
FROM u
GROUP BY 1
ORDER BY calls DESC, airtime_s DESC
LIMIT $limit
"""

# Per incident type: how big and how urgent the response is, and when it happens.
RESPONSE_PATTERNS_SQL = """
WITH c AS (
    SELECT call_uid, start_time, duration_s, emergency, len(units) AS radio_units
    FROM raw_calls
    WHERE call_date BETWEEN $d0 AND $d1 AND start_time >= $since AND start_time < $until
), e AS (
    SELECT call_uid,
           arg_min(coalesce(normalized, text), start_char)
               FILTER (WHERE label = 'INCIDENT_TYPE') AS incident_type,
           count(*) FILTER (WHERE label = 'UNIT') AS spoken_units
    FROM entities
    WHERE call_date BETWEEN $d0 AND $d1 AND label IN ('INCIDENT_TYPE', 'UNIT')
    GROUP BY call_uid
)
SELECT e.incident_type, count(*) AS calls, median(c.duration_s) AS median_duration_s,
       avg(c.radio_units) AS avg_radio_units, avg(e.spoken_units) AS avg_spoken_units,
       avg(c.emergency::INT) AS emergency_share, mode(hour(c.start_time)) AS busiest_hour_utc
FROM c JOIN e USING (call_uid)
WHERE e.incident_type IS NOT NULL
GROUP BY e.incident_type
ORDER BY calls DESC
"""

ACTIVITY_BY_HOUR_SQL = """
SELECT coalesce(talkgroup_group, 'unknown') AS agency, isodow(start_time) AS weekday,
       hour(start_time) AS hour_utc, count(*) AS calls
FROM raw_calls
WHERE call_date BETWEEN $d0 AND $d1 AND start_time >= $since AND start_time < $until
GROUP BY ALL
ORDER BY agency, weekday, hour_utc
"""

TRANSCRIPTS_BY_MODEL_SQL = """
SELECT t.call_uid, t.call_date, c.talkgroup, c.talkgroup_tag, c.talkgroup_group AS agency,
       t.model_id, t.text, t.confidence, t.avg_logprob, t.flags, t.transcribed_at
FROM transcripts t JOIN raw_calls c USING (call_uid)
WHERE t.call_date BETWEEN $d0 AND $d1 AND c.call_date BETWEEN $d0 AND $d1
  AND c.start_time >= $since AND c.start_time < $until
  AND ($models IS NULL OR list_contains($models, t.model_id))
ORDER BY t.call_uid, t.model_id
"""

TRANSCRIPTION_QUALITY_SQL = """
SELECT c.talkgroup, any_value(c.talkgroup_tag) AS talkgroup_tag, t.model_id,
       count(*) AS transcripts, avg(t.confidence) AS mean_confidence,
       quantile_cont(t.confidence, 0.1) AS p10_confidence,
       avg((coalesce(len(t.flags), 0) > 0)::INT) AS flagged_share,
       avg((t.text = '')::INT) AS empty_share
FROM transcripts t JOIN raw_calls c USING (call_uid)
WHERE t.call_date BETWEEN $d0 AND $d1 AND c.call_date BETWEEN $d0 AND $d1
  AND c.start_time >= $since AND c.start_time < $until
GROUP BY c.talkgroup, t.model_id
ORDER BY c.talkgroup, t.model_id
"""

FLAG_COUNTS_SQL = """
WITH f AS (
    SELECT model_id, unnest(flags) AS flag
    FROM transcripts t JOIN raw_calls c USING (call_uid)
    WHERE t.call_date BETWEEN $d0 AND $d1 AND c.call_date BETWEEN $d0 AND $d1
      AND c.start_time >= $since AND c.start_time < $until
)
SELECT flag, model_id, count(*) AS transcripts FROM f GROUP BY ALL ORDER BY transcripts DESC
"""


def calls_per_hour(con: duckdb.DuckDBPyConnection, window: Window) -> pd.DataFrame:
    """Calls and airtime per hour and talkgroup."""
    return con.execute(CALLS_PER_HOUR_SQL, window.params).df()


def incident_types_over_time(
    con: duckdb.DuckDBPyConnection, window: Window, bucket: str = "hour"
) -> pd.DataFrame:
    """Calls per incident type per ``bucket`` (hour, day or week)."""
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be one of {BUCKETS}, not {bucket!r}")
    return con.execute(INCIDENTS_OVER_TIME_SQL, window.params | {"bucket": bucket}).df()


def busiest_units(con: duckdb.DuckDBPyConnection, window: Window, limit: int = 20) -> pd.DataFrame:
    """The radio units heard on the most calls (from each call's source list)."""
    return con.execute(BUSIEST_UNITS_SQL, window.params | {"limit": limit}).df()


def response_patterns(con: duckdb.DuckDBPyConnection, window: Window) -> pd.DataFrame:
    """Per incident type: calls, typical length, units involved, emergency share, peak hour."""
    return con.execute(RESPONSE_PATTERNS_SQL, window.params).df()


def activity_by_hour(con: duckdb.DuckDBPyConnection, window: Window) -> pd.DataFrame:
    """Calls per agency, ISO weekday and hour of day (UTC)."""
    return con.execute(ACTIVITY_BY_HOUR_SQL, window.params).df()


def transcription_quality(con: duckdb.DuckDBPyConnection, window: Window) -> pd.DataFrame:
    """Per talkgroup and model: confidence (mean, 10th percentile), flag and empty rates."""
    return con.execute(TRANSCRIPTION_QUALITY_SQL, window.params).df()


def flag_counts(con: duckdb.DuckDBPyConnection, window: Window) -> pd.DataFrame:
    """How often each hallucination/quality flag was raised, per model."""
    return con.execute(FLAG_COUNTS_SQL, window.params).df()


def transcripts_by_model(
    con: duckdb.DuckDBPyConnection, window: Window, models: Sequence[str] | None = None
) -> pd.DataFrame:
    """Every transcript of the window's calls, one row per call and model (for comparing
    models: WER between them, confidence by talkgroup)."""
    params = window.params | {"models": list(models) if models else None}
    return con.execute(TRANSCRIPTS_BY_MODEL_SQL, params).df()
