"""Pipeline health: how fresh each table is, what was quarantined and why, and the latest
asset check results."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from dashboards import checks, data, widgets

lake = widgets.current_lake()


@st.cache_data(ttl=data.TTL_S, show_spinner=False)
def check_results(dagster_home: str) -> pd.DataFrame:
    """Cached per instance directory (the argument is the cache key)."""
    return checks.recent_check_results(limit=100)


st.title("Pipeline health")
window = widgets.window_picker("health_window", default="Last 24 hours")

st.subheader("Freshness per table")
fresh = data.freshness(lake, window)
stale = fresh[fresh["exists"] & (fresh["write_age_s"] > 3600)]
if not stale.empty:
    st.warning("No new data for over an hour: " + ", ".join(stale["table_name"]))
st.dataframe(
    fresh[
        ["table_name", "exists", "last_write_at", "write_age_s", "newest_row_at",
         "rows_recent", "version", "files", "bytes", "last_operation"]
    ],
    hide_index=True,
    column_config={
        "write_age_s": st.column_config.NumberColumn("age of last write (s)", format="%.0f"),
        "rows_recent": st.column_config.NumberColumn("rows in last hour"),
        "files": st.column_config.NumberColumn("data files", help="Many small files: maintenance is behind"),
        "bytes": st.column_config.NumberColumn("size", format="bytes"),
    },
)

st.subheader("Quarantine")
summary = data.query("quarantine_summary", lake, window)
if summary.empty:
    st.success("Nothing quarantined in this window.")
else:
    left, right = st.columns([2, 3])
    left.bar_chart(summary, x="reason", y="items", color="stage", height=240)
    right.dataframe(summary, hide_index=True)
    with st.expander("Latest quarantined items"):
        st.dataframe(data.query("recent_quarantine", lake, window, limit=100), hide_index=True)

st.subheader("Asset checks")
if not checks.instance_configured():
    st.caption("Set DAGSTER_HOME to the pipeline's Dagster instance to see its check results.")
else:
    results = check_results(os.environ["DAGSTER_HOME"])
    if results.empty:
        st.caption("No asset check has run yet.")
    else:
        failed = results[~results["passed"]]
        ok, bad = st.columns(2)
        ok.metric("Passed", int(results["passed"].sum()))
        bad.metric("Failed", len(failed))
        st.dataframe(results, hide_index=True)
