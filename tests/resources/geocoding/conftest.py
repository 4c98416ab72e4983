"""Fixtures for the geocoder tests: the invented towns' files and the local services."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from resources.geocoding.gazetteer import LocalGazetteer
from resources.geocoding.gazetteer_files import load_gazetteer_file
from tests.resources.geocoding import towns
from tests.resources.geocoding.servers import (
    CensusAddress,
    LocalCensus,
    LocalNominatim,
    NominatimPlace,
)


@pytest.fixture(scope="session")
def town_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("towns")
    return {
        "openaddresses": towns.write_openaddresses(root / "addresses.csv"),
        "tiger": towns.write_tiger(root / "ranges.csv"),
        "county": towns.write_county(root / "county.geojson"),
        "jurisdictions": towns.write_jurisdictions(root / "jurisdictions.geojson"),
    }


@pytest.fixture(scope="session")
def town_rows(town_files: dict[str, Path]) -> pa.Table:
    return pa.concat_tables(
        [load_gazetteer_file(town_files["openaddresses"]), load_gazetteer_file(town_files["tiger"])]
    )


@pytest.fixture(scope="session")
def town_gazetteer(town_rows: pa.Table) -> LocalGazetteer:
    return LocalGazetteer(town_rows)


@pytest.fixture
def census() -> Iterator[LocalCensus]:
    lat, lon = towns.address("Maple Avenue", 1234)
    far_lat, far_lon = towns.at(0, 60_000)  # 60 km north: another county
    server = LocalCensus(
        [
            CensusAddress("1234 MAPLE AVE", lon, lat, city="Testville"),
            CensusAddress("77 FAR AWAY RD", far_lon, far_lat),
            CensusAddress("1101 OAK AVE", far_lon, far_lat),  # a wrong answer from another county
            CensusAddress("10 TWIN ST", lon, lat, tie=True),
        ]
    ).start()
    yield server
    server.stop()


@pytest.fixture
def nominatim() -> Iterator[LocalNominatim]:
    lat, lon = towns.address("Pine Street", 1500)
    in_lat, in_lon = towns.at(300, 150)
    far_lat, far_lon = towns.at(0, 60_000)
    server = LocalNominatim(
        [
            NominatimPlace(
                "1500 pine street", lat, lon, display_name="1500, Pine Street, Testville"
            ),
            NominatimPlace(
                "depot road",
                in_lat,
                in_lon,
                place_rank=26,
                category="highway",
                type="residential",
                addresstype="road",
            ),
            NominatimPlace("far away", far_lat, far_lon),
        ]
    ).start()
    yield server
    server.stop()
