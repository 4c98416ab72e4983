"""The one query layer over the lake: every dashboard, notebook and CLI query, by name.

Each function takes a DuckDB connection (``open_lake()``) and parameters, and runs SQL
declared in its module with those parameters bound; no SQL is ever built from user text.
Windowed queries take a ``Window`` of call start times and read only its days' partitions.

    from lake import queries as q
    con = q.open_lake()                      # SCANLAKE_LAKE_URI
    q.latest_calls(con, q.Window.last(24))
    q.run_sql(q.open_sandbox(), "SELECT ...")   # analysts' own SQL, sandboxed (lake.sandbox)
"""

from lake.queries.adhoc import NotReadOnly, NotSandboxed, check_read_only, open_sandbox, run_sql
from lake.queries.alerts import alert_groups, recent_alerts
from lake.queries.aliases import talkgroup_names, unit_names
from lake.queries.analytics import (
    activity_by_hour,
    busiest_units,
    calls_per_hour,
    flag_counts,
    incident_types_over_time,
    response_patterns,
    transcription_quality,
    transcripts_by_model,
)
from lake.queries.calls import (
    call_corrections,
    call_date_of,
    call_detail,
    call_entities,
    call_locations,
    call_transcripts,
    call_words,
    filter_options,
    lake_span,
    latest_calls,
    map_points,
    unit_name,
)
from lake.queries.health import freshness, quarantine_summary, recent_quarantine
from lake.queries.incidents import incident_calls, incident_types, recent_incidents
from lake.queries.reference import street_points
from lake.queries.search import search_calls, search_words
from lake.queries.search_index import build_search_index, search_fts
from lake.queries.search_query import EmptySearch, parse_query
from lake.queries.window import Window, open_lake

__all__ = [
    "EmptySearch",
    "NotReadOnly",
    "NotSandboxed",
    "Window",
    "activity_by_hour",
    "alert_groups",
    "build_search_index",
    "busiest_units",
    "call_corrections",
    "call_date_of",
    "call_detail",
    "call_entities",
    "call_locations",
    "call_transcripts",
    "call_words",
    "calls_per_hour",
    "check_read_only",
    "filter_options",
    "flag_counts",
    "freshness",
    "incident_calls",
    "incident_types",
    "incident_types_over_time",
    "lake_span",
    "latest_calls",
    "map_points",
    "open_lake",
    "open_sandbox",
    "parse_query",
    "quarantine_summary",
    "recent_alerts",
    "recent_incidents",
    "recent_quarantine",
    "response_patterns",
    "run_sql",
    "search_calls",
    "search_fts",
    "search_words",
    "street_points",
    "talkgroup_names",
    "transcription_quality",
    "transcripts_by_model",
    "unit_name",
    "unit_names",
]
