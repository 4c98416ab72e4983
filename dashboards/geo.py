"""pydeck maps of call locations: points coloured by agency or by incident, a heatmap,
hexagon bins."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Mapping, Sequence

import pandas as pd
import pydeck as pdk

AGENCY_RGB: dict[str, list[int]] = {
    "Fire": [220, 53, 34],
    "EMS": [30, 120, 220],
    "Police": [90, 60, 200],
}
OTHER_RGB = [120, 120, 120]
# Twelve colours far enough apart to tell neighbouring incidents apart; a call in no
# incident is grey.
INCIDENT_PALETTE: tuple[list[int], ...] = (
    [230, 25, 75], [60, 180, 75], [255, 160, 0], [0, 130, 200], [145, 30, 180], [70, 200, 200],
    [240, 50, 230], [150, 190, 20], [170, 110, 40], [0, 128, 128], [128, 0, 0], [0, 0, 128],
)  # fmt: skip
COLOR_BY = ("Agency", "Incident")
# Points are always drawn (they carry the tooltips and the click); these go under them.
OVERLAYS = ("Heatmap", "Hexagons")
POINTS_LAYER = "calls"
TOOLTIP = {
    "html": "<b>{talkgroup_name}</b> · {incident_type}<br/>{when}<br/>{place}<br/>{incident_id}<br/><i>{snippet}</i>",
    "style": {"maxWidth": "360px", "whiteSpace": "normal"},
}


def incident_rgb(incident_id: object) -> list[int]:
    """The same colour for an incident on every page and every rerun."""
    if not isinstance(incident_id, str) or not incident_id:
        return OTHER_RGB
    digest = hashlib.sha1(incident_id.encode()).digest()
    return INCIDENT_PALETTE[digest[0] % len(INCIDENT_PALETTE)]


def _plot_frame(points: pd.DataFrame, color_by: str = "Agency") -> pd.DataFrame:
    """Only JSON-friendly columns, with text escaped: deck.gl renders tooltips as HTML.
    Oldest first, so deck.gl draws the newest calls on top (and picks them on a click)."""
    points = points.sort_values("start_time", kind="stable")
    frame = pd.DataFrame(
        {
            "call_uid": points["call_uid"],
            "call_date": pd.to_datetime(points["call_date"]).dt.strftime("%Y-%m-%d"),
            "lat": points["lat"].astype(float),
            "lon": points["lon"].astype(float),
            "when": pd.to_datetime(points["start_time"], utc=True).dt.strftime(
                "%Y-%m-%d %H:%M UTC"
            ),
        }
    )
    # the talkgroup's alias beside its id (lake.queries.aliases), else the recorder's tag
    names = points["talkgroup_name"] if "talkgroup_name" in points else points["talkgroup_tag"]
    frame["talkgroup_name"] = [html.escape(v) if isinstance(v, str) else "" for v in names]
    for col in ("incident_type", "place", "snippet"):
        frame[col] = [html.escape(v) if isinstance(v, str) else "" for v in points[col]]
    incidents = points["incident_id"] if "incident_id" in points else [None] * len(points)
    frame["incident_id"] = [v if isinstance(v, str) else "" for v in incidents]
    if color_by == "Incident":
        frame["color"] = [incident_rgb(i) for i in frame["incident_id"]]
    else:
        frame["color"] = [AGENCY_RGB.get(a, OTHER_RGB) for a in points["agency"]]
    return frame


def deck(
    points: pd.DataFrame,
    layers: Sequence[str] = OVERLAYS,
    zoom: float = 11.5,
    basemap: Sequence[pdk.Layer] = (),
    map_style: str | None = None,
    color_by: str = "Agency",
) -> pdk.Deck:
    """Points (with the chosen overlays, coloured by agency or incident) over ``basemap``
    layers; ``map_style`` is a tile style URL, or None for no tiles (the offline basemap,
    or nothing)."""
    frame = _plot_frame(points, color_by)
    # Each layer ships its own copy of its data to the browser: the overlays need only points.
    positions = frame[["lon", "lat"]]
    built = list(basemap)
    if "Heatmap" in layers:
        built.append(
            pdk.Layer(
                "HeatmapLayer", positions, id="heat", get_position=["lon", "lat"], opacity=0.5
            )
        )
    if "Hexagons" in layers:
        built.append(
            pdk.Layer(
                "HexagonLayer",
                positions,
                id="hex",
                get_position=["lon", "lat"],
                radius=250,
                elevation_scale=8,
                extruded=True,
                coverage=0.9,
                opacity=0.35,
            )
        )
    built.append(
        pdk.Layer(
            "ScatterplotLayer",
            frame,
            id=POINTS_LAYER,
            get_position=["lon", "lat"],
            get_fill_color="color",
            get_radius=70,
            radius_min_pixels=5,
            pickable=True,
            auto_highlight=True,
        )
    )
    view = pdk.ViewState(
        latitude=float(frame["lat"].mean()),
        longitude=float(frame["lon"].mean()),
        zoom=zoom,
        pitch=40 if "Hexagons" in layers else 0,
    )
    return pdk.Deck(
        layers=built,
        initial_view_state=view,
        tooltip=TOOLTIP,
        map_provider="carto" if map_style else None,
        map_style=map_style,
    )


def selected_call(selection: Mapping[str, object] | None) -> tuple[str, str] | None:
    """The (call_uid, call_date) of the point a visitor clicked, if any."""
    if not selection:
        return None
    objects = selection.get("objects") or {}
    picked = objects.get(POINTS_LAYER) if isinstance(objects, Mapping) else None
    if not picked:
        return None
    first = picked[0]
    return str(first["call_uid"]), str(first["call_date"])


def legend(color_by: str = "Agency") -> str:
    """Markdown naming the point colours (Streamlit's palette names nearest to AGENCY_RGB)."""
    if color_by == "Incident":
        return "One colour per incident (colours repeat across far-apart incidents) · :gray[●] in no incident"
    return ":red[●] Fire · :blue[●] EMS · :violet[●] Police · :gray[●] other"


def places_map(places: pd.DataFrame, zoom: float = 14) -> pdk.Deck:
    """A small map of one call's geocoded places."""
    frame = pd.DataFrame(
        {
            "lat": places["lat"].astype(float),
            "lon": places["lon"].astype(float),
            "place": [html.escape(str(p)) for p in places["place"]],
            # the Incidents page puts the incident's type here: source text, HTML in a tooltip
            "precision": [html.escape(str(p)) for p in places["precision"]],
        }
    )
    layer = pdk.Layer(
        "ScatterplotLayer",
        frame,
        id="places",
        get_position=["lon", "lat"],
        get_fill_color=[220, 53, 34],
        get_radius=30,
        radius_min_pixels=6,
        pickable=True,
    )
    view = pdk.ViewState(
        latitude=float(frame["lat"].mean()), longitude=float(frame["lon"].mean()), zoom=zoom
    )
    return pdk.Deck(
        layers=[layer], initial_view_state=view, tooltip={"html": "{place} ({precision})"}
    )
