"""Live: the newest calls, refreshed every micro-batch interval without a click."""

from __future__ import annotations

import streamlit as st

from dashboards import data, widgets
from dashboards.markdown import md

lake = widgets.current_lake()
st.title("Live calls")
window = widgets.window_picker("live_window", default="Last 24 hours")
limit = st.sidebar.slider("Calls shown", 5, 100, 20, step=5)
options = data.query("filter_options", lake, window)
agencies = st.sidebar.multiselect(
    "Agency", list(options.loc[options.kind == "agency", "value"]), key="live_agency"
)


@st.fragment(run_every=data.TTL_S)
def live_calls() -> None:
    # The window slides with the clock on every refresh, not only when a widget changes.
    live = widgets.window_for(st.session_state["live_window"])
    calls = data.query("latest_calls", lake, live, limit=limit, agencies=agencies)
    st.caption(f"{len(calls)} newest calls · refreshed every {data.TTL_S:g} s")
    if calls.empty:
        st.info("No calls in this window yet.")
        return
    for call in calls.itertuples(index=False):
        with st.container(border=True):
            head, body = st.columns([2, 5])
            with head:
                badge = " :red-badge[EMERGENCY]" if call.emergency is True else ""
                st.markdown(f"**{md(call.talkgroup_name)}** · {md(call.agency)}{badge}")
                st.caption(widgets.when(call.start_time) + f" · {call.duration_s:.1f} s")
                if isinstance(call.incident_type, str):
                    st.markdown(f":orange-badge[{md(call.incident_type)}]")
                units = list(call.unit_names)
                if units:
                    st.caption("Units: " + md(", ".join(units)))
            with body:
                text = call.transcript if isinstance(call.transcript, str) else None
                st.markdown(md(text) if text else ("*(no speech)*" if text == "" else "*(not transcribed yet)*"))
                widgets.player(lake, call.audio_key)
                widgets.call_link(call.call_uid, call.call_date)


live_calls()
