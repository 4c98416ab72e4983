"""The geo layer: ``gazetteer`` and ``locations`` and their checks, wired for Dagster.

A thin shell: geocoding is the ``geocoder`` resource (``resources.geocoding``); queries,
rows and the writes are ``queries``, ``rows`` and ``partition``.
"""

import datetime as dt
from collections.abc import Iterator

import dagster as dg

from assets.geo import quality
from assets.geo.partition import geocode_partition, load_gazetteer
from assets.geo.rows import JurisdictionPolygons
from assets.partitions import call_date_partitions
from assets.results import paired_specs, report
from lake import delta
from lake.tables import GAZETTEER, GEOCODE_CACHE, LOCATIONS
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


# geocode_cache is written through the geocoder resource while this step places the
# day's entities.
_SPECS = paired_specs(
    "geo", LOCATIONS, GEOCODE_CACHE, deps=["entities", "gazetteer"],
    kinds={"deltalake", "python"},
)


@dg.multi_asset(specs=_SPECS, name="locations", can_subset=True)
def locations(
    context: dg.AssetExecutionContext, lake: LakeResource, geocoder: GeocoderResource
) -> Iterator[dg.MaterializeResult]:
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
    yield from report(
        context,
        [
            dg.MaterializeResult(
                asset_key=LOCATIONS.name,
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
                },
            ),
            dg.MaterializeResult(
                asset_key=GEOCODE_CACHE.name,
                metadata={"cache_hits": summary.cache_hits, "asked": dg.MetadataValue.json(summary.asked)},
            ),
        ],
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


@dg.asset_check(asset="geocode_cache", partitions_def=call_date_partitions)
def geocode_cache_keys_unique(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """One cached answer per query and backend, and every hit has a position (every miss
    none). The cache has no call date (an answer serves every day), so the whole table is
    read, four narrow columns."""
    rows = delta.read(lake.location, GEOCODE_CACHE, columns=["query_key", "backend", "found", "lat", "lon"])
    found = quality.cache_consistent(rows)
    return dg.AssetCheckResult(
        passed=found.passed,
        metadata={
            "rows": found.rows,
            "duplicate_keys": dg.MetadataValue.json(found.duplicate_keys[:20]),
            "found_without_position_or_miss_with_one": dg.MetadataValue.json(found.inconsistent[:20]),
        },
    )


defs = dg.Definitions(
    assets=[gazetteer, locations], asset_checks=[locations_inside_county, geocode_cache_keys_unique]
)
