"""The geo layer: ``gazetteer`` and ``locations`` and their checks, wired for Dagster.

A thin shell: geocoding is the ``geocoder`` resource (``resources.geocoding``); queries,
rows and the writes are ``queries``, ``rows`` and ``partition``.
"""

import datetime as dt

import dagster as dg

from assets.geo.partition import geocode_partition, load_gazetteer
from assets.geo.rows import JurisdictionPolygons
from assets.raw.partitions import call_date_partitions
from lake import delta
from lake.tables import GAZETTEER, LOCATIONS
from resources.geocoding.resource import GeocoderResource
from resources.lake import LakeResource


@dg.asset(key="gazetteer", group_name="geo", kinds={"deltalake", "csv"}, tags={"layer": "geo"})
def gazetteer(
    context: dg.AssetExecutionContext, lake: LakeResource, geocoder: GeocoderResource
) -> dg.MaterializeResult:
    """The local geocoder's reference data: the file at the geocoder's ``gazetteer_path``
    (OpenAddresses points, or TIGER-style address ranges) loaded as one source of the
    ``gazetteer`` table. Its street and town names are also the entity layer's vocabulary.
    An unchanged file is not loaded twice."""
    if not geocoder.gazetteer_path:
        context.log.warning("no gazetteer_path configured: the local geocoder has no data")
        return dg.MaterializeResult(metadata={"rows": 0, "configured": False})
    loaded = load_gazetteer(lake.location, geocoder.gazetteer_path)
    total = delta.read(lake.location, GAZETTEER, columns=["street_key"])
    return dg.MaterializeResult(
        metadata={
            "source": loaded.source,
            "rows": loaded.rows,
            "unchanged": loaded.skipped,
            "rows_removed": loaded.removed,
            "streets": len(set(total["street_key"].to_pylist())),
        }
    )


@dg.asset(
    key="locations",
    group_name="geo",
    partitions_def=call_date_partitions,
    deps=["entities", "gazetteer"],
    kinds={"deltalake", "python"},
    tags={"layer": "geo"},
)
def locations(
    context: dg.AssetExecutionContext, lake: LakeResource, geocoder: GeocoderResource
) -> dg.MaterializeResult:
    """Address and intersection entities placed on the map by the geocoder chain (local
    gazetteer first; the Census batch geocoder and Nominatim when enabled), each with its
    query, lat/lon, precision (rooftop, interpolated, intersection, street, city), backend,
    score and jurisdiction. Answers are cached in ``geocode_cache``; a match far outside
    the county is rejected, not stored."""
    day = dt.date.fromisoformat(context.partition_key)
    polygons = (
        JurisdictionPolygons(geocoder.jurisdictions_path, geocoder.jurisdiction_field)
        if geocoder.jurisdictions_path
        else None
    )
    summary = geocode_partition(lake.location, day, geocoder.geocoder(lake.location), polygons)
    for backend, why in summary.unavailable.items():
        context.log.warning(f"geocoder backend {backend} unavailable: {why}")
    return dg.MaterializeResult(
        metadata={
            "entities": summary.entities,
            "outdated_locations_removed": summary.outdated_removed,
            "placed": summary.placed,
            "unplaced": summary.unplaced,
            "rejected_outside_county": summary.rejected_outside_county,
            "cache_hits": summary.cache_hits,
            "asked": dg.MetadataValue.json(summary.asked),
            "per_precision": dg.MetadataValue.json(dict(summary.per_precision)),
            "per_backend": dg.MetadataValue.json(dict(summary.per_backend)),
            "unavailable": dg.MetadataValue.json(summary.unavailable),
        }
    )


@dg.asset_check(asset="locations", partitions_def=call_date_partitions)
def locations_inside_county(
    context: dg.AssetCheckExecutionContext, lake: LakeResource, geocoder: GeocoderResource
) -> dg.AssetCheckResult:
    """Every stored location lies inside the county (within its margin); reports the
    counts per precision and backend."""
    day = dt.date.fromisoformat(context.partition_key)
    rows = delta.read(lake.location, LOCATIONS, partitions={"call_date": [day]})
    area = geocoder.area(lake.location)
    outside = (
        0
        if area is None
        else sum(
            not area.accepts(la, lo)
            for la, lo in zip(rows["lat"].to_pylist(), rows["lon"].to_pylist(), strict=True)
        )
    )
    precision = rows["precision"].to_pylist()
    backend = rows["backend"].to_pylist()
    return dg.AssetCheckResult(
        passed=outside == 0,
        metadata={
            "locations": rows.num_rows,
            "outside_county": outside,
            "per_precision": dg.MetadataValue.json({p: precision.count(p) for p in set(precision)}),
            "per_backend": dg.MetadataValue.json({b: backend.count(b) for b in set(backend)}),
        },
    )


defs = dg.Definitions(assets=[gazetteer, locations], asset_checks=[locations_inside_county])
