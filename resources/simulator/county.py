"""The simulated county: Autauga County, Alabama, at its real place on the map.

The boundary is the Census Bureau's 1:20,000,000 cartographic boundary of county 01001
(2010 vintage, the polygon plotly's ``geojson-counties-fips.json`` carries), so a
geocoder's "far outside the county" and jurisdiction tests run against a real outline.
The towns are the county's real towns near their real centres; their street grids are
invented (see ``gazetteer``), nudged where a real centre sits too close to the line for a
grid to fit inside.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from shapely.geometry import Point, Polygon

COUNTY_NAME = "Autauga County"
STATE = "AL"
STATE_NAME = "Alabama"
COUNTY_FIPS = "01001"
# The zone a recorder in this county keeps its clock in: trunk-recorder names its day
# folders by local time.
TIMEZONE = "America/Chicago"

# (lon, lat), closed ring, Census 20m cartographic boundary of FIPS 01001.
BOUNDARY: tuple[tuple[float, float], ...] = (
    (-86.496774, 32.344437),
    (-86.717897, 32.402814),
    (-86.814912, 32.340803),
    (-86.890581, 32.502974),
    (-86.917595, 32.664169),
    (-86.71339, 32.661732),
    (-86.714219, 32.705694),
    (-86.413116, 32.707386),
    (-86.411172, 32.409937),
    (-86.496774, 32.344437),
)

_M_PER_DEG_LAT = 111_320.0


@dataclass(frozen=True)
class Town:
    name: str
    postcode: str
    lat: float
    lon: float

    def to_lonlat(self, x_m: float, y_m: float) -> tuple[float, float]:
        """A point ``x_m`` east and ``y_m`` north of the town centre, as (lon, lat)."""
        return offset(self.lon, self.lat, x_m, y_m)


TOWNS: dict[str, Town] = {
    t.name: t
    for t in (
        Town("Prattville", "36067", 32.4640, -86.4597),
        Town("Autaugaville", "36003", 32.4343, -86.6547),
        # Marbury's real centre is 600 m from the county line: moved south to fit a grid.
        Town("Marbury", "36051", 32.6900, -86.4711),
        # Billingsley sits on the notch in the north-west line: moved south-west likewise.
        Town("Billingsley", "36006", 32.6500, -86.7300),
        Town("Booth", "36008", 32.5007, -86.5714),
    )
}


def offset(lon: float, lat: float, x_m: float, y_m: float) -> tuple[float, float]:
    """Move (lon, lat) by metres east and north. An equirectangular step: over a county's
    few tens of kilometres its error is far below a house lot."""
    dlat = y_m / _M_PER_DEG_LAT
    dlon = x_m / (_M_PER_DEG_LAT * math.cos(math.radians(lat)))
    return lon + dlon, lat + dlat


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def boundary_polygon() -> Polygon:
    return Polygon(BOUNDARY)


def contains(lon: float, lat: float) -> bool:
    return boundary_polygon().contains(Point(lon, lat))


def boundary_geojson() -> dict[str, object]:
    """The county outline as a GeoJSON FeatureCollection with one Polygon feature."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": COUNTY_FIPS,
                "properties": {
                    "GEOID": COUNTY_FIPS,
                    "NAME": COUNTY_NAME.removesuffix(" County"),
                    "NAMELSAD": COUNTY_NAME,
                    "STATE": STATE,
                    "source": "US Census Bureau cartographic boundary, 1:20,000,000, 2010",
                },
                "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in BOUNDARY]]},
            }
        ],
    }
