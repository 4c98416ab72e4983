"""Reference data for maps: the gazetteer's streets, as points or address-range lines."""

from __future__ import annotations

import duckdb
import pandas as pd

STREET_POINTS_SQL = """
SELECT street_key, any_value(street) AS street, kind, lon, lat, line_wkt
FROM gazetteer
WHERE (kind = 'point' AND lon IS NOT NULL AND lat IS NOT NULL)
   OR (kind = 'range' AND line_wkt IS NOT NULL)
GROUP BY street_key, kind, lon, lat, line_wkt
LIMIT $limit
"""


def street_points(con: duckdb.DuckDBPyConnection, limit: int = 200_000) -> pd.DataFrame:
    """Every address point (``kind`` 'point', with lon/lat) and address-range line (``kind``
    'range', with ``line_wkt``) of the local geocoder's gazetteer, with its street."""
    return con.execute(STREET_POINTS_SQL, {"limit": limit}).df()
