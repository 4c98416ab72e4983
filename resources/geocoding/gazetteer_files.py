"""Reading gazetteer files into rows of the lake's ``gazetteer`` table.

Two formats are understood:
- OpenAddresses CSV: one address point per row, columns LON, LAT, NUMBER, STREET, UNIT,
  CITY, DISTRICT, REGION, POSTCODE (upper case, as OpenAddresses publishes them);
- TIGER/Line ADDRFEAT-style ranges: one street segment per row with FULLNAME, LFROMHN,
  LTOHN, RFROMHN, RTOHN, ZIPL, ZIPR and a LINESTRING geometry, as a CSV with a WKT column
  or any file geopandas reads (shapefile, GeoJSON, GeoPackage).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import polars as pl
import pyarrow as pa
from shapely import wkt as shapely_wkt
from shapely.errors import ShapelyError

from lake.tables import GAZETTEER
from radiotext.streets import leading_number, street_key
from resources.geocoding.backend import GazetteerError

OPENADDRESSES_COLUMNS = ("LON", "LAT", "NUMBER", "STREET")
TIGER_COLUMNS = ("FULLNAME", "LFROMHN", "LTOHN", "RFROMHN", "RTOHN")
_WKT_COLUMNS = ("WKT", "GEOMETRY", "THE_GEOM", "GEOM")


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_gazetteer_file(path: str | Path, source: str | None = None) -> pa.Table:
    """Rows of the ``gazetteer`` table for one file; ``source`` defaults to its file name."""
    path = Path(path)
    if not path.exists():
        raise GazetteerError(str(path), "no such file")
    source = source or path.name
    sha = file_sha256(path)
    frame = _read_frame(path)
    columns = {c.upper() for c in frame.columns}
    if all(c in columns for c in OPENADDRESSES_COLUMNS):
        rows = _openaddresses_rows(frame)
    elif all(c in columns for c in TIGER_COLUMNS):
        rows = _tiger_rows(frame, str(path))
    else:
        raise GazetteerError(
            str(path),
            f"neither OpenAddresses ({', '.join(OPENADDRESSES_COLUMNS)}) nor TIGER "
            f"({', '.join(TIGER_COLUMNS)}) columns; found {sorted(columns)}",
        )
    if not rows:
        raise GazetteerError(str(path), "no usable rows")
    now = dt.datetime.now(dt.UTC)
    for i, row in enumerate(rows):
        row.update(source=source, row_id=i, file_sha256=sha, loaded_at=now)
    return pa.Table.from_pylist(rows, schema=GAZETTEER.schema)


def _read_frame(path: Path) -> pl.DataFrame:
    if path.suffix.lower() in (".csv", ".txt"):
        try:
            frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
        except pl.exceptions.PolarsError as exc:
            raise GazetteerError(str(path), f"unreadable CSV: {exc}") from exc
        return frame.rename({c: c.upper() for c in frame.columns})
    import geopandas as gpd  # only for spatial files; CSVs never pay its import
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        gdf = gpd.read_file(path).to_crs(4326)
    except (DataSourceError, DataLayerError, ValueError) as exc:
        raise GazetteerError(str(path), f"unreadable spatial file: {exc}") from exc
    data = {
        c.upper(): gdf[c].astype(str).where(gdf[c].notna(), None)
        for c in gdf.columns
        if c != "geometry"
    }
    data["WKT"] = gdf.geometry.to_wkt()
    return pl.DataFrame({k: list(v) for k, v in data.items()}, schema={k: pl.String for k in data})


def _text(row: dict[str, str | None], col: str) -> str | None:
    value = row.get(col)
    value = value.strip() if isinstance(value, str) else None
    return value or None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _openaddresses_rows(frame: pl.DataFrame) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for row in frame.iter_rows(named=True):
        lon, lat = _float(_text(row, "LON")), _float(_text(row, "LAT"))
        street = _text(row, "STREET")
        key = street_key(street or "")
        if lon is None or lat is None or not key or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            continue  # a point without a place or a street cannot answer any query
        rows.append(
            {
                "kind": "point",
                "number": _text(row, "NUMBER"),
                "street": street,
                "street_key": key,
                "unit": _text(row, "UNIT"),
                "city": _text(row, "CITY"),
                "district": _text(row, "DISTRICT"),
                "region": _text(row, "REGION"),
                "postcode": _text(row, "POSTCODE"),
                "lon": lon,
                "lat": lat,
            }
        )
    return rows


def _tiger_rows(frame: pl.DataFrame, path: str) -> list[dict[str, object]]:
    geometry_col = next((c for c in _WKT_COLUMNS if c in frame.columns), None)
    if geometry_col is None:
        raise GazetteerError(
            path, f"TIGER ranges need a line geometry column ({', '.join(_WKT_COLUMNS)})"
        )
    rows: list[dict[str, object]] = []
    for row in frame.iter_rows(named=True):
        street = _text(row, "FULLNAME")
        key = street_key(street or "")
        try:
            line = shapely_wkt.loads(row[geometry_col]) if row[geometry_col] else None
        except ShapelyError:
            line = None
        if not key or line is None or line.geom_type != "LineString" or line.is_empty:
            continue
        middle = line.interpolate(0.5, normalized=True)
        for side in ("L", "R"):
            low = leading_number(_text(row, f"{side}FROMHN"))
            high = leading_number(_text(row, f"{side}TOHN"))
            if low is None or high is None:
                continue
            rows.append(
                {
                    "kind": "range",
                    "street": street,
                    "street_key": key,
                    "city": _text(row, "CITY") or _text(row, f"PLACE{side}"),
                    "region": _text(row, "STATE") or _text(row, "REGION"),
                    "postcode": _text(row, f"ZIP{side}"),
                    "lon": middle.x,
                    "lat": middle.y,
                    "from_number": low,
                    "to_number": high,
                    "parity": _parity(_text(row, f"PARITY{side}"), low, high),
                    "line_wkt": line.wkt,
                }
            )
    return rows


def _parity(declared: str | None, low: int, high: int) -> str:
    """TIGER's PARITY is O, E or B; when absent, infer it from the range's ends."""
    code = (declared or "").upper()
    if code in ("O", "E", "B"):
        return {"O": "odd", "E": "even", "B": "both"}[code]
    if low % 2 == high % 2:
        return "odd" if low % 2 else "even"
    return "both"
