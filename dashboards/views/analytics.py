"""Analytics: traffic by talkgroup, incident types over time, the busiest units, response
patterns and transcription quality."""

from __future__ import annotations

import datetime as dt

import altair as alt
import streamlit as st

from dashboards import data, widgets

lake = widgets.current_lake()
st.title("Analytics")
window = widgets.window_picker("analytics_window", default="Last 7 days")
bucket = "hour" if window.until - window.since <= dt.timedelta(days=2) else "day"

st.subheader("Calls per hour by talkgroup")
per_hour = data.query("calls_per_hour", lake, window)
if per_hour.empty:
    st.info("No calls in this window.")
    st.stop()
per_hour["talkgroup_name"] = per_hour["talkgroup_tag"].fillna(per_hour["talkgroup"].astype(str))
st.bar_chart(per_hour, x="hour", y="calls", color="talkgroup_name", height=280)
total, airtime = st.columns(2)
total.metric("Calls", int(per_hour["calls"].sum()))
airtime.metric("Airtime", f"{per_hour['airtime_s'].sum() / 60:.1f} min")

st.subheader(f"Incident types per {bucket}")
incidents = data.query("incident_types_over_time", lake, window, bucket=bucket)
if incidents.empty:
    st.caption("No incident types were recognised in this window.")
else:
    st.area_chart(incidents, x="bucket", y="calls", color="incident_type", height=260)

units_col, patterns_col = st.columns(2)
with units_col:
    st.subheader("Busiest units")
    units = data.query("busiest_units", lake, window, limit=15)
    st.dataframe(units[["unit", "calls", "airtime_s", "talkgroups", "last_heard"]], hide_index=True)
with patterns_col:
    st.subheader("Response patterns")
    st.dataframe(data.query("response_patterns", lake, window), hide_index=True)

activity = data.query("activity_by_hour", lake, window)
st.subheader("When each agency is busy (UTC)")
st.altair_chart(
    alt.Chart(activity)
    .mark_rect()
    .encode(
        x=alt.X("hour_utc:O", title="hour"),
        y=alt.Y("agency:N", title=None),
        color=alt.Color("sum(calls):Q", title="calls"),
        tooltip=["agency", "hour_utc", "sum(calls)"],
    )
    .properties(height=160),
    width="stretch",
)

st.subheader("Transcription quality")
quality = data.query("transcription_quality", lake, window)
st.dataframe(
    quality,
    hide_index=True,
    column_config={
        "mean_confidence": st.column_config.ProgressColumn("mean confidence", min_value=0, max_value=1),
        "flagged_share": st.column_config.NumberColumn("flagged", format="percent"),
        "empty_share": st.column_config.NumberColumn("empty", format="percent"),
    },
)
flags = data.query("flag_counts", lake, window)
if not flags.empty:
    st.bar_chart(flags, x="flag", y="transcripts", color="model_id", height=220)
