"""``gazetteer`` and ``locations`` end to end on a small lake, with the invented towns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pytest

from assets.entities.extract import entity_id
from assets.geo.assets import gazetteer, locations, locations_inside_county
from lake import LakeLocation, delta
from lake.tables import ENTITIES, GAZETTEER, GEOCODE_CACHE, LOCATIONS
from resources.geocoding.resource import GeocoderResource
from resources.lake import LakeResource
from tests.resources.geocoding import towns
from tests.resources.geocoding.servers import CensusAddress, LocalCensus

DAY = dt.date(2024, 5, 1)


def write_entities(lake: LakeLocation, places: list[tuple[str, str, str | None]]) -> dict[str, str]:
    """(label, normalized, town) rows in the entities table; returns id -> normalized."""
    rows = []
    for i, (label, normalized, town) in enumerate(places):
        uid = f"county-1001-{i}"
        rows.append(
            {"entity_id": entity_id(uid, "tiny.en", label, 0, 10), "call_uid": uid, "call_date": DAY, "model_id": "tiny.en",
             "label": label, "text": normalized, "normalized": normalized, "detail": town, "start_char": 0, "end_char": 10,
             "confidence": 0.9}
        )  # fmt: skip
    rows.append({**rows[0], "entity_id": "unit-1", "label": "UNIT", "normalized": "Engine 12"})
    delta.merge(lake, ENTITIES, pa.Table.from_pylist(rows))
    return {r["entity_id"]: r["normalized"] for r in rows if r["label"] != "UNIT"}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    gaz = towns.write_openaddresses(tmp_path / "addresses.csv")
    far_lat, far_lon = towns.at(0, 60_000)  # a street 60 km north, in another county
    with gaz.open("a") as handle:
        handle.write(f"{far_lon},{far_lat},500,Distant Road,,Elsewhere,,AL,36000\n")
    return {
        "gazetteer": gaz,
        "county": towns.write_county(tmp_path / "county.geojson"),
        "jurisdictions": towns.write_jurisdictions(tmp_path / "jurisdictions.geojson"),
    }


def run(
    lake_resource: LakeResource, geocoder: GeocoderResource, *assets: object
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        list(assets) or [gazetteer, locations, locations_inside_county],
        partition_key=DAY.isoformat(),
        resources={"lake": lake_resource, "geocoder": geocoder},
        selection=None,
    )


def test_places_are_located_in_their_jurisdiction_and_far_ones_rejected(
    lake: LakeLocation, lake_resource: LakeResource, files: dict[str, Path]
) -> None:
    ids = write_entities(
        lake,
        [
            ("ADDRESS", "1101 OAK AVE", None),
            ("ADDRESS", "1101 OAK AVE", "OTHERTON"),
            ("ADDRESS", "1234 MAYPOLE AVE", None),  # misheard Maple
            ("INTERSECTION", "5TH ST & WASHINGTON AVE", None),
            ("ADDRESS", "500 DISTANT RD", None),
            ("ADDRESS", "12 NOWHERE LN", None),
        ],
    )
    geocoder = GeocoderResource(
        gazetteer_path=str(files["gazetteer"]),
        county_path=str(files["county"]),
        jurisdictions_path=str(files["jurisdictions"]),
    )
    result = run(lake_resource, geocoder)
    assert result.success
    assert delta.read(lake, GAZETTEER).num_rows > 1000

    rows = {r["entity_id"]: r for r in delta.read(lake, LOCATIONS).to_pylist()}
    by_text = {ids[k]: r for k, r in rows.items()}
    assert len(rows) == 4 and "500 DISTANT RD" not in by_text and "12 NOWHERE LN" not in by_text
    oak = [r for r in rows.values() if r["query"].startswith("1101 Oak Avenue")]
    assert sorted((r["jurisdiction"], r["precision"]) for r in oak) == [
        ("Otherton", "rooftop"),
        ("Testville", "rooftop"),
    ]
    otherton = next(r for r in oak if r["jurisdiction"] == "Otherton")
    assert otherton["query"] == "1101 Oak Avenue, Otherton"
    assert (
        towns.distance_m(
            (otherton["lat"], otherton["lon"]), towns.address("Oak Avenue", 1101, "Otherton")
        )
        < 1
    )
    maple = by_text["1234 MAYPOLE AVE"]
    assert (
        maple["precision"] == "interpolated"
        and maple["backend"] == "gazetteer"
        and "MAPLE AVE" in maple["matched"]
    )
    assert towns.distance_m((maple["lat"], maple["lon"]), towns.address("Maple Avenue", 1234)) < 2
    corner = by_text["5TH ST & WASHINGTON AVE"]
    assert corner["precision"] == "intersection"
    assert (
        towns.distance_m(
            (corner["lat"], corner["lon"]), towns.corner("Washington Avenue", "5th Street")
        )
        < 25
    )

    meta = result.asset_materializations_for_node("locations")[0].metadata
    assert (meta["entities"].value, meta["placed"].value, meta["unplaced"].value) == (6, 4, 2)
    assert meta["rejected_outside_county"].value == 1
    [check] = result.get_asset_check_evaluations()
    assert (
        check.passed
        and check.metadata["locations"].value == 4
        and check.metadata["outside_county"].value == 0
    )

    again = run(lake_resource, geocoder)
    assert again.asset_materializations_for_node("gazetteer")[0].metadata["unchanged"].value is True
    meta = again.asset_materializations_for_node("locations")[0].metadata
    assert (meta["entities"].value, meta["placed"].value, meta["cache_hits"].value) == (2, 0, 2)
    assert delta.read(lake, LOCATIONS).num_rows == 4


def test_census_backend_is_asked_once_across_runs(
    lake: LakeLocation, lake_resource: LakeResource, files: dict[str, Path]
) -> None:
    lat, lon = towns.address("Maple Avenue", 1234)
    server = LocalCensus([CensusAddress("1234 MAPLE AVE", lon, lat)]).start()
    try:
        write_entities(
            lake, [("ADDRESS", "1234 MAPLE AVE", None), ("ADDRESS", "99 ZEBRA RD", None)]
        )
        geocoder = GeocoderResource(
            backends=["census"],
            census_url=server.base_url + "/geocoder",
            county_path=str(files["county"]),
            region="AL",
            retry_backoff_s=0.01,
        )
        first = run(lake_resource, geocoder, locations)
        second = run(lake_resource, geocoder, locations)
    finally:
        server.stop()
    assert first.success and second.success
    assert server.hits == 1
    [row] = delta.read(lake, LOCATIONS).to_pylist()
    assert (row["backend"], row["precision"]) == ("census", "interpolated")
    assert second.asset_materializations_for_node("locations")[0].metadata["cache_hits"].value == 1
    assert delta.read(lake, GEOCODE_CACHE).num_rows == 2


def test_a_census_outage_is_reported_and_retried_later(
    lake: LakeLocation, lake_resource: LakeResource, files: dict[str, Path]
) -> None:
    lat, lon = towns.address("Maple Avenue", 1234)
    server = LocalCensus([CensusAddress("1234 MAPLE AVE", lon, lat)]).start()
    try:
        write_entities(lake, [("ADDRESS", "1234 MAPLE AVE", None)])
        geocoder = GeocoderResource(
            backends=["census"],
            census_url=server.base_url + "/geocoder",
            county_path=str(files["county"]),
            max_retries=1,
            retry_backoff_s=0.01,
        )
        server.fail_next(2)
        down = run(lake_resource, geocoder, locations)
        up = run(lake_resource, geocoder, locations)
    finally:
        server.stop()
    assert (
        down.success
        and "census"
        in down.asset_materializations_for_node("locations")[0].metadata["unavailable"].value
    )
    assert up.asset_materializations_for_node("locations")[0].metadata["placed"].value == 1
