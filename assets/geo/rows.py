"""Rows of the ``locations`` table, and each point's jurisdiction (a point-in-polygon join
against configured polygons, with geopandas)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import geopandas as gpd
import pyarrow as pa

from lake.tables import LOCATIONS
from resources.geocoding.backend import GazetteerError, GeocodeQuery
from resources.geocoding.chain import Placement


class JurisdictionPolygons:
    """Named polygons (towns, districts, beats) read once from a file."""

    def __init__(self, path: str, name_field: str = "name") -> None:
        from pyogrio.errors import DataLayerError, DataSourceError

        try:
            frame = gpd.read_file(path)
        except (DataSourceError, DataLayerError, ValueError) as exc:
            raise GazetteerError(path, f"unreadable jurisdiction polygons: {exc}") from exc
        if name_field not in frame.columns:
            raise GazetteerError(path, f"no {name_field!r} property (has {sorted(frame.columns)})")
        frame = frame.to_crs(4326) if frame.crs is not None else frame.set_crs(4326)
        self.frame = frame[[name_field, "geometry"]].rename(columns={name_field: "jurisdiction"})

    def names(self, points: Sequence[tuple[float, float]]) -> list[str | None]:
        """The polygon name containing each (lat, lon), or None outside them all."""
        if not points:
            return []
        where = gpd.GeoDataFrame(
            geometry=gpd.points_from_xy([p[1] for p in points], [p[0] for p in points]), crs=4326
        )
        joined = gpd.sjoin(where, self.frame, how="left", predicate="within")
        joined = joined[~joined.index.duplicated(keep="first")].sort_index()
        return [
            None if value != value or value is None else str(value)
            for value in joined["jurisdiction"]
        ]


def query_label(query: GeocodeQuery) -> str:
    """The ``query`` a location row records: what was asked, with its town."""
    return query.text + (f", {query.city.title()}" if query.city else "")


def location_rows(
    entities: list[dict[str, object]],
    queries: dict[str, GeocodeQuery],
    placed: dict[str, Placement],
    polygons: JurisdictionPolygons | None,
) -> pa.Table:
    """One row per entity whose query was placed (inside the county); entities whose
    query found nothing are left out."""
    rows = []
    now = dt.datetime.now(dt.UTC)
    for entity in entities:
        query = queries.get(str(entity["entity_id"]))
        placement = placed.get(query.key) if query else None
        if query is None or placement is None:
            continue
        match = placement.match
        rows.append(
            {
                "entity_id": entity["entity_id"],
                "call_uid": entity["call_uid"],
                "call_date": entity["call_date"],
                "query": query_label(query),
                "lat": match.lat,
                "lon": match.lon,
                "precision": match.precision,
                "backend": placement.backend,
                "score": match.score,
                "matched": match.matched,
                "geocoded_at": now,
            }
        )
    if polygons is not None and rows:
        for row, name in zip(
            rows, polygons.names([(r["lat"], r["lon"]) for r in rows]), strict=True
        ):
            row["jurisdiction"] = name
    return pa.Table.from_pylist(rows, schema=LOCATIONS.schema)
