"""The geo layer's tables: geocoded places, every geocoder answer, and the local
geocoder's reference data."""

from __future__ import annotations

import pyarrow as pa

from lake.tables.spec import UTC_TS, _f, _spec

LOCATIONS = _spec(
    "locations",
    [
        _f("entity_id", pa.string(), False),
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("query", pa.string(), False),
        _f("lat", pa.float64(), False),
        _f("lon", pa.float64(), False),
        _f("precision", pa.string(), False),
        _f("backend", pa.string(), False),
        _f("score", pa.float64()),
        _f("jurisdiction", pa.string()),
        _f("matched", pa.string()),
        _f("geocoded_at", UTC_TS, False),
    ],
    key=("entity_id",),
    partition_by=("call_date",),
    description="Geocoded address and intersection entities.",
)

GEOCODE_CACHE = _spec(
    "geocode_cache",
    [
        _f("query_key", pa.string(), False),
        _f("backend", pa.string(), False),
        _f("found", pa.bool_(), False),
        _f("lat", pa.float64()),
        _f("lon", pa.float64()),
        _f("precision", pa.string()),
        _f("score", pa.float64()),
        _f("matched", pa.string()),
        _f("cached_at", UTC_TS, False),
    ],
    key=("query_key", "backend"),
    description="Every geocoder answer, hits and misses, so no query is sent twice.",
)

GAZETTEER = _spec(
    "gazetteer",
    [
        _f("source", pa.string(), False),
        _f("row_id", pa.int64(), False),
        _f("kind", pa.string(), False),
        _f("number", pa.string()),
        _f("street", pa.string(), False),
        _f("street_key", pa.string(), False),
        _f("unit", pa.string()),
        _f("city", pa.string()),
        _f("district", pa.string()),
        _f("region", pa.string()),
        _f("postcode", pa.string()),
        _f("lon", pa.float64()),
        _f("lat", pa.float64()),
        _f("from_number", pa.int64()),
        _f("to_number", pa.int64()),
        _f("parity", pa.string()),
        _f("line_wkt", pa.string()),
        _f("file_sha256", pa.string(), False),
        _f("loaded_at", UTC_TS, False),
    ],
    key=("source", "row_id"),
    description="The local geocoder's reference data: OpenAddresses points (kind 'point') and "
    "TIGER-style address ranges along street lines (kind 'range'), one source per file.",
)
