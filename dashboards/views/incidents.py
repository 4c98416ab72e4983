"""Incidents: calls grouped the way an analyst reads them (dispatch, en route, on scene,
more resources, clear). Pick an incident to see its place on a map and its calls on a
timeline, each with its transcript and audio."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import data, geo, widgets
from dashboards.markdown import md

STATUS_BADGE = {
    "dispatched": ":orange-badge[dispatched]",
    "en_route": ":blue-badge[en route]",
    "on_scene": ":red-badge[on scene]",
    "cleared": ":green-badge[cleared]",
}

lake = widgets.current_lake()
st.title("Incidents")
window = widgets.window_picker("incidents_window", default="Last 24 hours")
types = data.query("incident_types", lake, window)
picked_types = st.sidebar.multiselect(
    "Incident type", list(types["incident_type"]), key="inc_types"
)
picked_status = st.sidebar.multiselect("Status", list(STATUS_BADGE), key="inc_status")
multi_only = st.sidebar.toggle("Only incidents with several calls", value=True, key="inc_multi")

found = data.query(
    "recent_incidents",
    lake,
    window,
    incident_types=picked_types,
    statuses=picked_status,
    min_calls=2 if multi_only else 1,
)
left, mid, right = st.columns(3)
left.metric("Incidents", len(found))
mid.metric("Open", int((found["status"] != "cleared").sum()) if not found.empty else 0)
right.metric("Calls", int(found["call_count"].sum()) if not found.empty else 0)
if found.empty:
    st.info("No incidents in this window and with these filters.")
    st.stop()


def label(row: pd.Series) -> str:
    what = row["incident_type"] if isinstance(row["incident_type"], str) else "incident"
    where = f" at {row['place']}" if isinstance(row["place"], str) else ""
    return (
        f"{what}{where} · {widgets.when(row['first_call_time'])[11:16]} · {row['call_count']} calls"
    )


# plain text for the selectbox (it renders no Markdown), escaped where Markdown renders it
labels = {r["incident_id"]: label(r) for _, r in found.iterrows()}
wanted = st.query_params.get("incident")
ids = list(labels)
chosen = st.selectbox(
    "Incident",
    ids,
    index=ids.index(wanted) if wanted in labels else 0,
    format_func=lambda i: labels[i],
    key="inc_pick",
)
incident = found.set_index("incident_id").loc[chosen]
st.subheader(md(labels[chosen]))
st.markdown(
    f"{STATUS_BADGE.get(incident['status'], md(incident['status']))} · "
    f"{widgets.when(incident['first_call_time'])} → {widgets.when(incident['last_call_time'])[11:]}"
)
units = list(incident["units"]) if incident["units"] is not None else []
st.caption(("Units: " + md(", ".join(units))) if units else "No units heard")

calls = data.query(
    "incident_calls",
    lake,
    chosen,
    pd.Timestamp(incident["first_call_time"]).date(),
    pd.Timestamp(incident["call_date"]).date(),
)
timeline, where = st.columns([3, 2])
with where:
    if pd.notna(incident["lat"]) and pd.notna(incident["lon"]):
        place = pd.DataFrame(
            {
                "lat": [incident["lat"]],
                "lon": [incident["lon"]],
                "place": [incident["place"]],
                "precision": [incident["incident_type"]],
            }
        )
        st.pydeck_chart(geo.places_map(place, zoom=14), height=300, key="inc_map")
    else:
        st.caption("This incident's place was not geocoded.")
with timeline:
    if not calls.empty:
        chart = calls.assign(
            when=pd.to_datetime(calls["start_time"], utc=True),
            channel=calls["talkgroup_name"],
        )[["when", "channel", "duration_s", "agency"]]
        st.vega_lite_chart(
            chart,
            {
                "mark": {"type": "circle", "size": 160},
                "encoding": {
                    "x": {"field": "when", "type": "temporal", "title": None},
                    "y": {"field": "channel", "type": "nominal", "title": None},
                    "color": {"field": "agency", "type": "nominal"},
                    "tooltip": [
                        {"field": "when", "type": "temporal", "format": "%H:%M:%S"},
                        {"field": "channel"},
                    ],
                },
                "height": 160,
            },
            width="stretch",
        )

first = pd.to_datetime(incident["first_call_time"], utc=True)
for call in calls.itertuples(index=False):
    offset = pd.to_datetime(call.start_time, utc=True) - first
    minutes, seconds = divmod(int(offset.total_seconds()), 60)
    with st.container(border=True):
        head, body = st.columns([2, 5])
        with head:
            st.markdown(f"**+{minutes:02d}:{seconds:02d}** · {md(call.talkgroup_name)}")
            st.caption(widgets.when(call.start_time) + f" · {call.duration_s:.1f} s")
            heard = list(call.unit_names)
            if heard:
                st.caption("Heard: " + md(", ".join(heard)))
        with body:
            text = call.transcript if isinstance(call.transcript, str) else None
            st.markdown(
                md(text) if text else ("*(no speech)*" if text == "" else "*(not transcribed yet)*")
            )
            widgets.player(lake, call.audio_key)
            widgets.call_link(call.call_uid, call.call_date)
