"""The dashboard's queries, as each page runs them with its default window, and the search
strategies compared at scale."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from bench.common import percentile
from lake import queries as q

Query = Callable[[duckdb.DuckDBPyConnection], object]
SEARCHES = {
    "phrase": '"structure fire"',
    "rare street": "hucklewood",
    "two words": "ladder alarm",
    "common word": "respond",
}


@dataclass(frozen=True)
class Timing:
    runs: int
    p50_ms: float
    p95_ms: float


def measure(fn: Callable[[], object], repeats: int, budget_s: float = 30.0) -> Timing:
    """p50/p95 of ``repeats`` runs after one warm-up (fewer, at least 3, past the budget)."""
    fn()
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < repeats and (len(times) < 3 or time.perf_counter() - started < budget_s):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return Timing(len(times), percentile(times, 50), percentile(times, 95))


def measure_pair(
    first: Callable[[], object], second: Callable[[], object], repeats: int
) -> tuple[Timing, Timing]:
    """Two ways of answering one query, timed in alternation after a warm-up of each, so
    a load spike on a shared machine hits both alike and their ratio stays fair."""
    first(), second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for fn, out in ((first, times[0]), (second, times[1])):
            t0 = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t0) * 1000)
    return tuple(  # type: ignore[return-value]
        Timing(len(t), percentile(t, 50), percentile(t, 95)) for t in times
    )


def windows(end: dt.datetime) -> dict[str, q.Window]:
    return {
        "24h": q.Window(end - dt.timedelta(hours=24), end),
        "7d": q.Window(end - dt.timedelta(days=7), end),
        "all": q.Window(end - dt.timedelta(days=3650), end),
    }


def dashboard_queries(end: dt.datetime, call_uid: str, call_date: dt.date) -> dict[str, Query]:
    """Each page's queries with the page's default window (Live/Map/Health 24 h, Search and
    Analytics 7 days), plus the Map over 7 days with filters."""
    w = windows(end)
    day, week = w["24h"], w["7d"]

    def call_page(con: duckdb.DuckDBPyConnection) -> object:
        detail = q.call_detail(con, call_uid, call_date)
        transcripts = q.call_transcripts(con, call_uid, call_date)
        q.call_words(con, call_uid, str(transcripts["model_id"].iloc[0]), call_date)
        q.call_entities(con, call_uid, call_date)
        return detail, q.call_locations(con, call_uid, call_date)

    return {
        "live: latest_calls 24h": lambda con: q.latest_calls(con, day, limit=20),
        "live/map: filter_options 24h": lambda con: q.filter_options(con, day),
        "map: map_points 24h": lambda con: q.map_points(con, day),
        "map: map_points 7d filtered": lambda con: q.map_points(
            con, week, incident_types=["structure_fire"], agencies=["Fire"]
        ),
        "search: phrase 7d": lambda con: q.search_calls(con, SEARCHES["phrase"], week, limit=20),
        "search: two words 7d": lambda con: q.search_calls(
            con, SEARCHES["two words"], week, limit=20
        ),
        "search: rare street 7d": lambda con: q.search_calls(
            con, SEARCHES["rare street"], week, limit=20
        ),
        "search: common word 7d": lambda con: q.search_calls(
            con, SEARCHES["common word"], week, limit=20
        ),
        "call: detail page (5 queries)": call_page,
        "analytics: calls_per_hour 7d": lambda con: q.calls_per_hour(con, week),
        "analytics: incident_types 7d": lambda con: q.incident_types_over_time(con, week, "day"),
        "analytics: busiest_units 7d": lambda con: q.busiest_units(con, week),
        "analytics: response_patterns 7d": lambda con: q.response_patterns(con, week),
        "analytics: activity_by_hour 7d": lambda con: q.activity_by_hour(con, week),
        "analytics: transcription_quality 7d": lambda con: q.transcription_quality(con, week),
        "analytics: flag_counts 7d": lambda con: q.flag_counts(con, week),
        "health: quarantine_summary 24h": lambda con: q.quarantine_summary(con, day),
    }


def search_strategies(end: dt.datetime) -> dict[str, tuple[str, str, str]]:
    """(strategy, search text, window) per benchmark row."""
    rows: dict[str, tuple[str, str, str]] = {}
    for window in ("7d", "all"):
        for name, text in SEARCHES.items():
            for strategy in ("text scan", "words table", "fts index"):
                rows[f"{strategy} · {name} · {window}"] = (strategy, text, window)
    return rows


SEARCH_FUNCTIONS: dict[str, Callable[..., object]] = {
    "text scan": q.search_calls,
    "words table": q.search_words,
    "fts index": q.search_fts,
}
