"""Pieces several pages share: the time-window picker, call links, players, highlights."""

from __future__ import annotations

import datetime as dt
import html
import math

import pandas as pd
import streamlit as st

from dashboards import data
from lake.errors import ObjectNotFound
from lake.location import LakeLocation
from lake.queries import Window

CALL_PAGE = "views/call.py"
PRESETS_H: dict[str, float] = {
    "Last hour": 1,
    "Last 6 hours": 6,
    "Last 24 hours": 24,
    "Last 7 days": 24 * 7,
    "Last 30 days": 24 * 30,
    "Last year": 24 * 365,
}


def now_floored() -> dt.datetime:
    """Now, rounded down to the cache interval, so repeated reruns hit the same cache key."""
    step = data.TTL_S
    return dt.datetime.fromtimestamp(math.floor(dt.datetime.now(dt.UTC).timestamp() / step) * step, dt.UTC)


def window_picker(key: str, default: str = "Last 24 hours") -> Window:
    """A sidebar choice of time window over call start times."""
    label = st.sidebar.selectbox(
        "Time window", list(PRESETS_H), index=list(PRESETS_H).index(default), key=key
    )
    return window_for(label)


def window_for(label: str) -> Window:
    """The preset window ending now (plus one interval of slack: calls keep arriving)."""
    end = now_floored() + dt.timedelta(seconds=data.TTL_S)
    return Window(end - dt.timedelta(hours=PRESETS_H[label]), end)


def call_link(call_uid: str, call_date: object, label: str = "Open call") -> None:
    st.page_link(CALL_PAGE, label=label, icon=":material/call:", query_params=call_params(call_uid, call_date))


def call_params(call_uid: str, call_date: object) -> dict[str, str]:
    return {"call": call_uid, "date": pd.Timestamp(call_date).date().isoformat()}


def player(lake: LakeLocation, audio_key: str | None, start_s: float = 0.0, autoplay: bool = False) -> None:
    """An audio player for a call's audio object, starting ``start_s`` seconds in."""
    if not audio_key:
        st.caption("no audio")
        return
    try:
        audio = data.audio(lake, audio_key)
    except ObjectNotFound:
        st.caption("audio removed (retention or redaction)")
        return
    st.audio(
        audio,
        format=data.audio_mime(audio_key),
        start_time=max(0, int(start_s)),
        autoplay=autoplay,
    )


def highlighted(text: str, spans: list[tuple[int, int]]) -> str:
    """Transcript text as HTML, escaped, with the hit spans marked."""
    out, pos = [], 0
    for start, end in spans:
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def when(ts: object) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M:%S UTC")


def current_lake() -> LakeLocation:
    """The lake of the signed-in session (set by app.py, which gates every page)."""
    return st.session_state["settings"].lake
