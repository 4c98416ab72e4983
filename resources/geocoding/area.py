"""The feed's service area (its county): where matches may fall, and the viewbox that
bounds the Nominatim search. A match farther than ``margin_m`` outside is rejected."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from resources.geocoding.backend import GazetteerError
from resources.geocoding.metric import LocalMetres


@dataclass(frozen=True)
class ServiceArea:
    shape: BaseGeometry  # lon/lat
    margin_m: float = 2000.0
    _metres: LocalMetres = field(init=False, repr=False, compare=False)
    _metric: BaseGeometry = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        metres = LocalMetres.at(self.shape.centroid.y)
        scale = np.array(metres.to_metres(1.0, 1.0))
        object.__setattr__(self, "_metres", metres)
        object.__setattr__(self, "_metric", shapely.transform(self.shape, lambda xy: xy * scale))

    @classmethod
    def from_bbox(
        cls, bbox: tuple[float, float, float, float], margin_m: float = 2000.0
    ) -> ServiceArea:
        """From (min_lon, min_lat, max_lon, max_lat)."""
        min_lon, min_lat, max_lon, max_lat = bbox
        if not (min_lon < max_lon and min_lat < max_lat):
            raise ValueError(f"not a bounding box (min_lon, min_lat, max_lon, max_lat): {bbox}")
        return cls(box(min_lon, min_lat, max_lon, max_lat), margin_m)

    @classmethod
    def from_file(cls, path: str | Path, margin_m: float = 2000.0) -> ServiceArea:
        """From a polygon file (GeoJSON, shapefile, ...): the union of its features."""
        import geopandas as gpd
        from pyogrio.errors import DataLayerError, DataSourceError

        try:
            frame = gpd.read_file(path)
        except (DataSourceError, DataLayerError, ValueError) as exc:
            raise GazetteerError(str(path), f"unreadable county polygon: {exc}") from exc
        if frame.crs is not None:
            frame = frame.to_crs(4326)
        shape = unary_union(list(frame.geometry))
        if shape.is_empty:
            raise GazetteerError(str(path), "the county polygon file has no geometry")
        return cls(shape, margin_m)

    def distance_m(self, lat: float, lon: float) -> float:
        """How far outside the area a point lies, in metres (0 inside)."""
        return self._metric.distance(Point(self._metres.to_metres(lon, lat)))

    def accepts(self, lat: float, lon: float) -> bool:
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return False
        return self.distance_m(lat, lon) <= self.margin_m

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(min_lon, min_lat, max_lon, max_lat) of the area itself."""
        return tuple(float(v) for v in self.shape.bounds)  # type: ignore[return-value]
