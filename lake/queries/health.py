"""Pipeline health from the lake itself: how fresh each table is, what was quarantined.

Freshness has two sides: the newest row a table holds (by its own processing timestamp,
over the window's partitions) and the newest commit that wrote data to it (from the Delta
log, which also covers tables without a timestamp column and backfills of old partitions).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from lake.location import LakeLocation
from lake.maintenance import lake_status
from lake.queries.window import Window

# The processing-time column of every table that has one; rows are counted on the days the
# window touches (call_date partitions) and, for unpartitioned tables, by that timestamp.
FRESHNESS_SQL = """
SELECT 'raw_calls' AS table_name, max(ingested_at) AS newest_row_at,
       count(*) FILTER (WHERE ingested_at >= $recent) AS rows_recent
FROM raw_calls WHERE call_date BETWEEN $d0 AND $d1
UNION ALL
SELECT 'normalized_audio', max(processed_at), count(*) FILTER (WHERE processed_at >= $recent)
FROM normalized_audio WHERE call_date BETWEEN $d0 AND $d1
UNION ALL
SELECT 'audio_quarantine', max(quarantined_at), count(*) FILTER (WHERE quarantined_at >= $recent)
FROM audio_quarantine WHERE call_date BETWEEN $d0 AND $d1
UNION ALL
SELECT 'transcripts', max(transcribed_at), count(*) FILTER (WHERE transcribed_at >= $recent)
FROM transcripts WHERE call_date BETWEEN $d0 AND $d1
UNION ALL
SELECT 'entity_extractions', max(extracted_at),
       count(*) FILTER (WHERE extracted_at >= $recent)
FROM entity_extractions WHERE call_date BETWEEN $d0 AND $d1
UNION ALL
SELECT 'locations', max(geocoded_at), count(*) FILTER (WHERE geocoded_at >= $recent)
FROM locations WHERE call_date BETWEEN $d0 AND $d1
UNION ALL
SELECT 'alerts', max(created_at), count(*) FILTER (WHERE created_at >= $recent)
FROM alerts WHERE call_date BETWEEN $d0 AND $d1
UNION ALL
SELECT 'raw_quarantine', max(quarantined_at), count(*) FILTER (WHERE quarantined_at >= $recent)
FROM raw_quarantine WHERE quarantined_at >= $since
UNION ALL
SELECT 'geocode_cache', max(cached_at), count(*) FILTER (WHERE cached_at >= $recent)
FROM geocode_cache WHERE cached_at >= $since
UNION ALL
SELECT 'alert_deliveries', max(updated_at), count(*) FILTER (WHERE updated_at >= $recent)
FROM alert_deliveries WHERE call_date BETWEEN $d0 AND $d1
"""

QUARANTINE_SUMMARY_SQL = """
SELECT 'raw' AS stage, reason, count(*) AS items, max(quarantined_at) AS latest_at,
       arg_max(detail, quarantined_at) AS latest_detail
FROM raw_quarantine
WHERE quarantined_at >= $since AND quarantined_at < $until
GROUP BY reason
UNION ALL
SELECT 'audio:' || stage, reason, count(*), max(quarantined_at), arg_max(detail, quarantined_at)
FROM audio_quarantine
WHERE call_date BETWEEN $d0 AND $d1 AND quarantined_at >= $since AND quarantined_at < $until
GROUP BY stage, reason
ORDER BY items DESC, stage, reason
"""

RECENT_QUARANTINE_SQL = """
SELECT * FROM (
    SELECT quarantined_at, 'raw' AS stage, reason, source, source_ref AS item, detail
    FROM raw_quarantine WHERE quarantined_at >= $since AND quarantined_at < $until
    UNION ALL
    SELECT quarantined_at, 'audio:' || stage, reason, NULL, call_uid, detail
    FROM audio_quarantine
    WHERE call_date BETWEEN $d0 AND $d1 AND quarantined_at >= $since AND quarantined_at < $until
)
ORDER BY quarantined_at DESC
LIMIT $limit
"""


def freshness(
    con: duckdb.DuckDBPyConnection,
    location: LakeLocation,
    window: Window,
    recent: dt.timedelta = dt.timedelta(hours=1),
) -> pd.DataFrame:
    """Per table: Delta version, live files, size, newest data commit and its age at the
    window's end, newest row in the window, and rows processed within ``recent`` of its end."""
    params = window.days | {"since": window.since, "recent": window.until - recent}
    rows = con.execute(FRESHNESS_SQL, params).df()
    status = pd.DataFrame(
        [
            {
                "table_name": s.table,
                "exists": s.exists,
                "version": s.version,
                "files": s.files,
                "bytes": s.bytes,
                "last_write_at": s.last_write_at,
                "last_operation": s.last_write_operation,
            }
            for s in lake_status(location)
        ]
    )
    merged = status.merge(rows, on="table_name", how="left")
    merged["last_write_at"] = pd.to_datetime(merged["last_write_at"], utc=True)
    merged["write_age_s"] = (pd.Timestamp(window.until) - merged["last_write_at"]).dt.total_seconds()
    return merged


def quarantine_summary(con: duckdb.DuckDBPyConnection, window: Window) -> pd.DataFrame:
    """Quarantined items per stage and reason, with the latest detail of each."""
    return con.execute(QUARANTINE_SUMMARY_SQL, window.params).df()


def recent_quarantine(
    con: duckdb.DuckDBPyConnection, window: Window, limit: int = 100
) -> pd.DataFrame:
    """The newest quarantined items of every stage."""
    return con.execute(RECENT_QUARANTINE_SQL, window.params | {"limit": limit}).df()
