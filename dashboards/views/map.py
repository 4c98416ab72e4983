"""Map: where calls happened, as points, a heatmap and hexagon bins, with filters.
Hovering a point shows its transcript snippet; clicking it opens the call."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import basemap, data, geo, settings, widgets

lake = widgets.current_lake()
st.title("Map")
window = widgets.window_picker("map_window", default="Last 24 hours")
options = data.query("filter_options", lake, window)


def choices(kind: str) -> dict[str, str]:
    rows = options[options.kind == kind]
    return dict(zip(rows["value"], rows["label"], strict=True))


# A talkgroup's name beside its id. Options are plain text (a multiselect renders no
# Markdown), so the alias is shown as written; the filter is on the id.
talkgroups = choices("talkgroup")
picked_tg = st.sidebar.multiselect(
    "Talkgroup", list(talkgroups), format_func=talkgroups.__getitem__, key="map_tg"
)
picked_incidents = st.sidebar.multiselect(
    "Incident type", list(choices("incident_type")), key="map_inc"
)
picked_agencies = st.sidebar.multiselect("Agency", list(choices("agency")), key="map_agency")
color_by = st.sidebar.radio("Colour points by", geo.COLOR_BY, horizontal=True, key="map_color")
layers = st.sidebar.multiselect(
    "Overlays", list(geo.OVERLAYS), default=["Heatmap"], key="map_layers"
)

points = data.query(
    "map_points",
    lake,
    window,
    talkgroups=[int(v) for v in picked_tg],
    incident_types=picked_incidents,
    agencies=picked_agencies,
)
left, mid, right = st.columns(3)
left.metric("Places", len(points))
mid.metric("Calls", points["call_uid"].nunique() if not points.empty else 0)
right.metric("Incident types", points["incident_type"].nunique() if not points.empty else 0)


@st.cache_data(ttl=600, show_spinner=False)
def tiles_reachable(url: str) -> bool:
    return basemap.style_reachable(url)


@st.cache_data(ttl=600, show_spinner=False)
def offline_basemap(
    lake_uri: str, outline_files: tuple[str, ...]
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict[str, object]]]:
    paths = basemap.street_paths(data.query("street_points", lake))
    return paths, basemap.street_labels(paths), basemap.read_outlines(outline_files)


style = settings.map_style()
online = style != settings.OFFLINE and tiles_reachable(style)
base_layers = []
if not online:
    base_layers = basemap.layers(*offline_basemap(lake.uri, tuple(settings.outline_files())))

if points.empty:
    st.info("No geocoded calls match this window and these filters.")
else:
    event = st.pydeck_chart(
        geo.deck(
            points,
            layers,
            basemap=base_layers,
            map_style=style if online else None,
            color_by=color_by,
        ),
        on_select="rerun",
        selection_mode="single-object",
        key="map_chart",
        height=560,
    )
    st.caption(
        geo.legend(color_by)
        + ("" if online else " · offline basemap: county outline and the gazetteer's streets")
    )
    picked = geo.selected_call(event.selection if event else None)
    if picked:
        st.switch_page(widgets.CALL_PAGE, query_params=widgets.call_params(*picked))
    with st.expander("Places on the map", expanded=False):
        st.dataframe(
            points[
                [
                    "start_time",
                    "talkgroup_name",
                    "agency",
                    "incident_type",
                    "incident_id",
                    "place",
                    "snippet",
                ]
            ],
            hide_index=True,
        )
