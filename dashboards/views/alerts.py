"""Alerts: keyword matches as they are raised, where each notification stands, and the
keyword groups they come from. An alert a transcript correction retracted stays listed,
marked retracted with when and why."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
import yaml

from dashboards import data, widgets
from dashboards.markdown import md
from dashboards.settings import alerts_config_path

lake = widgets.current_lake()
st.title("Alerts")
window = widgets.window_picker("alerts_window", default="Last 24 hours")
groups = data.query("alert_groups", lake, window)
chosen = st.sidebar.multiselect("Keyword group", list(groups["keyword_group"]), key="alerts_groups")


@st.fragment(run_every=data.TTL_S)
def recent() -> None:
    live = widgets.window_for(st.session_state["alerts_window"])
    alerts = data.query("recent_alerts", lake, live, groups=chosen, limit=200)
    retracted = alerts["retracted_at"].notna()
    sent, waiting, failed, withdrawn = st.columns(4)
    sent.metric("Alerts", int((~retracted).sum()))
    waiting.metric("Waiting to send", int((alerts["channels_waiting"] > 0).sum()))
    failed.metric("Failed or in doubt", int((alerts["channels_failed"] > 0).sum()))
    withdrawn.metric("Retracted", int(retracted.sum()))
    if alerts.empty:
        st.info("No alerts in this window.")
        return
    for alert in alerts.itertuples(index=False):
        with st.container(border=True):
            head, body = st.columns([2, 5])
            with head:
                badge = ":gray-badge[retracted] " if pd.notna(alert.retracted_at) else ""
                st.markdown(
                    f"{badge}:red-badge[{md(alert.keyword_group)}] "
                    f"**{md(alert.talkgroup_name or alert.talkgroup)}**"
                )
                st.caption(widgets.when(alert.call_start_time))
                if pd.notna(alert.retracted_at):
                    # the reason quotes the editor's name: theirs, so escaped
                    st.caption(
                        f"Retracted {widgets.when(alert.retracted_at)}: "
                        f"{md(alert.retraction_reason or '')}"
                    )
                if isinstance(alert.location, str):
                    st.caption(f"At {md(alert.location)}")
                for state in alert.deliveries:
                    st.caption(state)  # channel names and states: our own config and codes
                if isinstance(alert.last_error, str):
                    st.caption(f"Last error: {md(alert.last_error)}")
            with body:
                terms = ", ".join(alert.matched_terms)
                st.markdown(md(alert.snippet))
                st.caption(f"Matched: {md(terms)}")
                widgets.player(lake, alert.audio_key, start_s=alert.match_start_s or 0.0)
                widgets.call_link(alert.call_uid, alert.call_date)


recent()

with st.expander("Keyword groups and subscriptions"):
    path = alerts_config_path()
    if not Path(path).is_file():
        st.warning(
            f"The alerts configuration {path} does not exist, so the pipeline raises no alerts: "
            "write one, or point SCANLAKE_ALERTS_CONFIG at it."
        )
    else:
        config = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        st.caption(path)
        st.json(
            {
                "keyword_groups": config.get("keyword_groups", {}),
                "subscriptions": config.get("subscriptions", []),
            },
            expanded=True,
        )
