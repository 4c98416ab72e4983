"""A basemap drawn from the county's own data, for when map tiles cannot be had: the
county and jurisdiction outlines and the gazetteer's streets, so a point has context.

Pure geometry in, pydeck layers out; the Map page decides when to use it (tiles switched
off with ``SCANLAKE_MAP_STYLE=offline``, or the style URL unreachable from the server).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import httpx
import pandas as pd
import pydeck as pdk
import shapely.wkt
from shapely.errors import ShapelyError

# A street's address points further apart than this are two stretches (or two towns'
# streets of one name), not one line.
MAX_GAP_M = 450.0
STREET_RGB = [170, 170, 170]
OUTLINE_RGB = [80, 80, 80]
LABEL_RGB = [110, 110, 110]
_M_PER_DEG = 111_320.0


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[1] + b[1]) / 2)
    return math.hypot((a[0] - b[0]) * _M_PER_DEG * math.cos(lat), (a[1] - b[1]) * _M_PER_DEG)


def _along_axis(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points ordered along their main direction (a street's points are roughly a line)."""
    if len(points) < 3:
        return sorted(points)
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    sxx = sum((p[0] - mx) ** 2 for p in points)
    syy = sum((p[1] - my) ** 2 for p in points)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in points)
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)
    dx, dy = math.cos(angle), math.sin(angle)
    return sorted(points, key=lambda p: (p[0] - mx) * dx + (p[1] - my) * dy)


def _split_at_gaps(line: list[tuple[float, float]], max_gap_m: float) -> Iterable[list[tuple[float, float]]]:
    stretch = line[:1]
    for a, b in zip(line, line[1:], strict=False):
        if _metres(a, b) > max_gap_m:
            yield stretch
            stretch = []
        stretch.append(b)
    yield stretch


def street_paths(streets: pd.DataFrame, max_gap_m: float = MAX_GAP_M) -> pd.DataFrame:
    """One row per drawable stretch of street (``street``, ``path`` as [[lon, lat], ...]):
    address-range lines as they are, address points joined in order along the street."""
    rows: list[dict[str, object]] = []
    if streets.empty:
        return pd.DataFrame(columns=["street", "path"])
    for wkt, street in streets.loc[streets["kind"] == "range", ["line_wkt", "street"]].itertuples(index=False):
        try:
            line = shapely.wkt.loads(wkt)
        except (ShapelyError, TypeError, ValueError):
            continue  # a range without a usable line still geocodes; it just is not drawn
        parts = getattr(line, "geoms", [line])
        for part in parts:
            coords = [[float(x), float(y)] for x, y, *_ in part.coords]
            if len(coords) >= 2:
                rows.append({"street": street, "path": coords})
    points = streets[streets["kind"] == "point"]
    for _, group in points.groupby("street_key", sort=True):
        line = _along_axis(list(zip(group["lon"].astype(float), group["lat"].astype(float), strict=True)))
        for stretch in _split_at_gaps(line, max_gap_m):
            if len(stretch) >= 2:
                rows.append({"street": group["street"].iloc[0], "path": [list(p) for p in stretch]})
    return pd.DataFrame(rows, columns=["street", "path"])


def street_labels(paths: pd.DataFrame) -> pd.DataFrame:
    """A label at the middle vertex of each street's longest stretch."""
    if paths.empty:
        return pd.DataFrame(columns=["street", "lon", "lat"])
    longest = paths.assign(n=paths["path"].map(len)).sort_values("n").groupby("street").tail(1)
    mid = longest["path"].map(lambda p: p[len(p) // 2])
    return pd.DataFrame(
        {"street": longest["street"].values, "lon": [m[0] for m in mid], "lat": [m[1] for m in mid]}
    )


def read_outlines(files: Sequence[str | Path]) -> list[dict[str, object]]:
    """The features of the given GeoJSON files (county, jurisdictions); missing or
    unreadable files are skipped: the map still draws without them."""
    features: list[dict[str, object]] = []
    for file in files:
        try:
            data = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data.get("type") == "FeatureCollection":
            features += [f for f in data.get("features", []) if isinstance(f, dict)]
        elif data.get("type") == "Feature":
            features.append(data)
    return features


def layers(paths: pd.DataFrame, labels: pd.DataFrame, outlines: list[dict[str, object]]) -> list[pdk.Layer]:
    """Basemap layers, to be drawn under the data layers."""
    built: list[pdk.Layer] = []
    if outlines:
        built.append(
            pdk.Layer(
                "GeoJsonLayer",
                {"type": "FeatureCollection", "features": outlines},
                id="basemap-outlines",
                stroked=True,
                filled=True,
                get_fill_color=[245, 245, 240, 60],
                get_line_color=OUTLINE_RGB,
                line_width_min_pixels=1.5,
                pickable=False,
            )
        )
    if not paths.empty:
        built.append(
            pdk.Layer(
                "PathLayer",
                paths,
                id="basemap-streets",
                get_path="path",
                get_color=STREET_RGB,
                width_min_pixels=1.5,
                pickable=False,
            )
        )
    if not labels.empty:
        built.append(
            pdk.Layer(
                "TextLayer",
                labels,
                id="basemap-labels",
                get_position=["lon", "lat"],
                get_text="street",
                # sized in metres: names shrink out of the way as the map zooms out
                get_size=45,
                size_units="meters",
                size_max_pixels=13,
                get_color=LABEL_RGB,
                pickable=False,
            )
        )
    return built


def style_reachable(url: str, timeout_s: float = 2.0) -> bool:
    """Whether the map style (or tile) URL answers from here; the browser would fetch the
    same host, so an unreachable one means dots on white."""
    if not url.startswith(("http://", "https://")):
        return False
    try:
        return httpx.get(url, timeout=timeout_s, follow_redirects=True).is_success
    except (httpx.HTTPError, ValueError):
        return False
