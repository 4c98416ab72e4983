"""The app's only way to the lake: ``lake.queries`` functions behind Streamlit's caches.

Results are cached for one micro-batch interval, so every visitor of a page shares one
query per interval. One DuckDB connection per lake is shared by all sessions, one query at
a time: a connection is not safe to use from two threads, and cursors would not see the
empty stand-in views ``lake.duckdb`` registers for tables not written yet.

The connection reads pinned Delta snapshots (``lake.duckdb.PinnedLake``), re-pinned when
they are one interval old. So a result is computed from a snapshot at most
``SNAPSHOT_MAX_AGE_S`` old and then cached for ``TTL_S``: a page shows every call committed
``STALENESS_BOUND_S`` (two intervals, 10 s by default) before it renders.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from dashboards.settings import refresh_interval_s
from lake import queries as q
from lake.duckdb import PinnedLake
from lake.location import LakeLocation
from lake.objects import ObjectStore

TTL_S = refresh_interval_s()
SNAPSHOT_MAX_AGE_S = TTL_S
STALENESS_BOUND_S = SNAPSHOT_MAX_AGE_S + TTL_S
AUDIO_MIME = {"flac": "audio/flac", "wav": "audio/wav", "m4a": "audio/mp4", "mp3": "audio/mpeg"}


class _Shared:
    def __init__(self, lake: LakeLocation) -> None:
        self.lake = PinnedLake(q.open_lake(lake), lake, SNAPSHOT_MAX_AGE_S)
        self.lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def _shared(lake: LakeLocation) -> _Shared:
    return _Shared(lake)


@contextmanager
def connection(lake: LakeLocation) -> Iterator[duckdb.DuckDBPyConnection]:
    """The lake's shared connection, held by this thread until the block ends."""
    shared = _shared(lake)
    with shared.lock:
        try:
            yield shared.lake.connection()
        except (duckdb.InternalException, duckdb.FatalException):
            # DuckDB invalidates a database after an internal error; the next query must
            # not inherit it, so the connection is dropped and reopened on next use.
            _shared.clear()
            raise


def forget_lake() -> None:
    """Drop every shared connection, so the next query pins fresh snapshots (after a
    redaction, the old ones name deleted files)."""
    _shared.clear()


@st.cache_data(ttl=TTL_S, show_spinner=False)
def query(name: str, lake: LakeLocation, *args: Any, **kwargs: Any) -> pd.DataFrame:
    """``lake.queries.<name>(connection, *args, **kwargs)``, cached for one interval.
    ``name`` is always a literal in the app's code, never user input."""
    with connection(lake) as cur:
        return getattr(q, name)(cur, *args, **kwargs)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def call_detail(lake: LakeLocation, call_uid: str, call_date: dt.date | None) -> dict | None:
    with connection(lake) as cur:
        return q.call_detail(cur, call_uid, call_date)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def freshness(lake: LakeLocation, window: q.Window) -> pd.DataFrame:
    with connection(lake) as cur:
        return q.freshness(cur, lake, window)


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def audio(lake: LakeLocation, key: str) -> bytes:
    """A call's audio object; audio never changes under its key, so it is kept an hour."""
    return ObjectStore(lake).get(key)


def audio_mime(key: str) -> str:
    return AUDIO_MIME.get(key.rsplit(".", 1)[-1].lower(), "audio/wav")
