"""The geo layer's work: loading a gazetteer file into the lake, and geocoding one
partition of place entities into ``locations``.

``locations`` is incremental: an entity already placed is not asked again, and an entity
that was not placed is asked again (a cheap cache hit unless a backend was down, or the
gazetteer changed).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from assets.geo.queries import PLACE_LABELS, query_for
from assets.geo.rows import JurisdictionPolygons, location_rows, query_label
from lake import delta
from lake.location import LakeLocation
from lake.tables import ENTITIES, GAZETTEER, LOCATIONS
from resources.geocoding.backend import GeocodeQuery
from resources.geocoding.chain import Geocoder
from resources.geocoding.gazetteer_files import load_gazetteer_file


@dataclass(frozen=True)
class GazetteerLoad:
    source: str
    rows: int
    skipped: bool  # the same file was already loaded
    removed: int = 0


def load_gazetteer(location: LakeLocation, path: str) -> GazetteerLoad:
    """Load one gazetteer file as its own source (its file name) in the ``gazetteer``
    table; unchanged files are skipped, and rows a shorter new file no longer has go."""
    table = load_gazetteer_file(path)
    source = table["source"][0].as_py()
    existing = delta.read(location, GAZETTEER, columns=["source", "row_id", "file_sha256"])
    mine = existing.filter(pc.equal(existing["source"], source))
    sha = table["file_sha256"][0].as_py()
    if mine.num_rows == table.num_rows and set(mine["file_sha256"].to_pylist()) == {sha}:
        return GazetteerLoad(source, table.num_rows, skipped=True)
    delta.merge(location, GAZETTEER, table)
    stale = mine.filter(pc.greater_equal(mine["row_id"], table.num_rows)).select(
        ["source", "row_id"]
    )
    removed = delta.delete_where_keys(location, GAZETTEER, stale) if stale.num_rows else 0
    return GazetteerLoad(source, table.num_rows, skipped=False, removed=removed)


@dataclass
class GeocodeSummary:
    outdated_removed: int = 0
    entities: int = 0
    placed: int = 0
    unplaced: int = 0
    rejected_outside_county: int = 0
    cache_hits: int = 0
    asked: dict[str, int] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    per_precision: Counter[str] = field(default_factory=Counter)
    per_backend: Counter[str] = field(default_factory=Counter)


def pending_places(location: LakeLocation, day: dt.date) -> list[dict[str, object]]:
    """Place entities of the day that have no location yet."""
    found = delta.read(
        location,
        ENTITIES,
        columns=["entity_id", "call_uid", "call_date", "label", "normalized", "detail"],
        partitions={"call_date": [day]},
    )
    found = found.filter(pc.is_in(found["label"], value_set=pa.array(PLACE_LABELS, pa.string())))
    placed = set(
        delta.read(location, LOCATIONS, columns=["entity_id"], partitions={"call_date": [day]})[
            "entity_id"
        ].to_pylist()
    )
    return [r for r in found.to_pylist() if r["entity_id"] not in placed]


def outdated_locations(location: LakeLocation, day: dt.date) -> list[str]:
    """Locations of the day that no longer say where their entity is: the entity is gone
    (its transcript was corrected or re-extracted without it), or it now asks another
    query (a corrected house number keeps the entity's id and span)."""
    placed = delta.read(
        location, LOCATIONS, columns=["entity_id", "query"], partitions={"call_date": [day]}
    )
    if placed.num_rows == 0:
        return []
    found = delta.read(
        location,
        ENTITIES,
        columns=["entity_id", "label", "normalized", "detail"],
        partitions={"call_date": [day]},
    )
    asks = {}
    for e in found.to_pylist():
        query = query_for(str(e["label"]), e["normalized"], e["detail"])
        asks[e["entity_id"]] = query_label(query) if query else None
    return [
        r["entity_id"]
        for r in placed.to_pylist()
        if r["entity_id"] not in asks or asks[r["entity_id"]] != r["query"]
    ]


def geocode_partition(
    location: LakeLocation, day: dt.date, geocoder: Geocoder, polygons: JurisdictionPolygons | None
) -> GeocodeSummary:
    outdated = outdated_locations(location, day)
    if outdated:
        # removed before geocoding: a run that fails after this finds them pending again
        delta.delete_where_keys(
            location, LOCATIONS, pa.table({"entity_id": pa.array(outdated, pa.string())})
        )
    entities = pending_places(location, day)
    queries: dict[str, GeocodeQuery] = {}
    for e in entities:
        query = query_for(str(e["label"]), e["normalized"], e["detail"])  # type: ignore[arg-type]
        if query is not None:
            queries[str(e["entity_id"])] = query
    outcome = geocoder.geocode(queries.values())
    rows = location_rows(entities, queries, outcome.placed, polygons)
    delta.merge(location, LOCATIONS, rows)
    return GeocodeSummary(
        outdated_removed=len(outdated),
        entities=len(entities),
        placed=rows.num_rows,
        unplaced=len(entities) - rows.num_rows,
        rejected_outside_county=sum(1 for q in queries.values() if q.key in outcome.rejected),
        cache_hits=outcome.cache_hits,
        asked=dict(outcome.asked),
        unavailable=dict(outcome.unavailable),
        per_precision=Counter(rows["precision"].to_pylist()),
        per_backend=Counter(rows["backend"].to_pylist()),
    )
