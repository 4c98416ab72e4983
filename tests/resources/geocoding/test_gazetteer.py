"""The local gazetteer backend: OpenAddresses points and TIGER ranges, placed by number,
by interpolation, at corners, along streets and in towns, with misheard names."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from lake.tables import GAZETTEER
from resources.geocoding.backend import (
    ADDRESS,
    CITY,
    INTERSECTION,
    STREET,
    GazetteerError,
    GeocodeQuery,
)
from resources.geocoding.gazetteer import LocalGazetteer
from resources.geocoding.gazetteer_files import load_gazetteer_file
from tests.resources.geocoding import towns


def test_files_load_as_gazetteer_rows(town_files: dict[str, Path], town_rows: pa.Table) -> None:
    points = load_gazetteer_file(town_files["openaddresses"])
    assert points.schema == GAZETTEER.schema
    assert set(points["kind"].to_pylist()) == {"point"}
    assert "5TH ST" in points["street_key"].to_pylist()
    ranges = load_gazetteer_file(town_files["tiger"])
    assert ranges.num_rows == 4  # two segments, both sides
    assert set(ranges["parity"].to_pylist()) == {"odd", "even"}
    assert set(ranges["street_key"].to_pylist()) == {"RAILROAD AVE"}


def test_unreadable_files_are_typed_errors(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="no such file"):
        load_gazetteer_file(tmp_path / "missing.csv")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("A,B\n1,2\n")
    with pytest.raises(GazetteerError, match="neither OpenAddresses"):
        load_gazetteer_file(wrong)
    empty = tmp_path / "empty.csv"
    empty.write_text("LON,LAT,NUMBER,STREET\nx,y,1,\n")
    with pytest.raises(GazetteerError, match="no usable rows"):
        load_gazetteer_file(empty)


def place(g: LocalGazetteer, query: GeocodeQuery, truth: tuple[float, float]) -> tuple[str, float]:
    match = g.locate(query)
    assert match is not None, query
    return match.precision, towns.distance_m((match.lat, match.lon), truth)


def test_listed_address_is_rooftop(town_gazetteer: LocalGazetteer) -> None:
    precision, error = place(
        town_gazetteer, GeocodeQuery(ADDRESS, "OAK AVE", "1101"), towns.address("Oak Avenue", 1101)
    )
    assert precision == "rooftop" and error < 0.5


def test_unlisted_number_is_interpolated_between_neighbours(town_gazetteer: LocalGazetteer) -> None:
    precision, error = place(
        town_gazetteer,
        GeocodeQuery(ADDRESS, "MAPLE AVE", "1234"),
        towns.address("Maple Avenue", 1234),
    )
    assert precision == "interpolated" and error < 2


def test_tiger_ranges_interpolate_along_the_line(town_gazetteer: LocalGazetteer) -> None:
    precision, error = place(
        town_gazetteer, GeocodeQuery(ADDRESS, "RAILROAD AVE", "250"), towns.railroad(250)
    )
    assert precision == "interpolated" and error < 3


def test_number_just_past_the_street_falls_back_to_its_end(
    town_gazetteer: LocalGazetteer,
) -> None:
    match = town_gazetteer.locate(GeocodeQuery(ADDRESS, "2ND ST", "620"))
    assert match is not None and match.precision == "street"
    assert towns.distance_m((match.lat, match.lon), towns.address("2nd Street", 592)) < 1


@pytest.mark.parametrize("number", ["9000", "1501"])
def test_number_far_off_the_street_is_left_unplaced(
    town_gazetteer: LocalGazetteer, town_rows: pa.Table, number: str
) -> None:
    # a misheard number ("661" heard as "1501") must not land at the street's end
    assert town_gazetteer.locate(GeocodeQuery(ADDRESS, "2ND ST", number)) is None
    lenient = LocalGazetteer(town_rows, min_address_score=0.5)
    assert lenient.locate(GeocodeQuery(ADDRESS, "2ND ST", number)) is not None


@pytest.mark.parametrize("heard", ["OKE AVE", "OAK", "OAK AV", "OAKE AVENUE"])
def test_misheard_street_names_still_place(town_gazetteer: LocalGazetteer, heard: str) -> None:
    precision, error = place(
        town_gazetteer, GeocodeQuery(ADDRESS, heard, "1101"), towns.address("Oak Avenue", 1101)
    )
    assert precision == "rooftop" and error < 0.5


def test_town_decides_between_same_named_streets(town_gazetteer: LocalGazetteer) -> None:
    _, error = place(
        town_gazetteer,
        GeocodeQuery(ADDRESS, "OAK AVE", "1101", city="Otherton"),
        towns.address("Oak Avenue", 1101, "Otherton"),
    )
    assert error < 0.5


@pytest.mark.parametrize(
    ("a", "b", "ns", "ew"),
    [
        ("5TH ST", "WASHINGTON", "Washington Avenue", "5th Street"),
        ("MAYPOLE AVE", "3RD", "Maple Avenue", "3rd Street"),
        ("CEDAR LN", "1ST ST", "Cedar Lane", "1st Street"),
    ],
)
def test_intersections(town_gazetteer: LocalGazetteer, a: str, b: str, ns: str, ew: str) -> None:
    precision, error = place(
        town_gazetteer, GeocodeQuery(INTERSECTION, a, cross_street=b), towns.corner(ns, ew)
    )
    assert precision == "intersection" and error < 25  # addresses stand 12 m off the centre lines


def test_streets_that_never_meet_are_no_corner(town_gazetteer: LocalGazetteer) -> None:
    assert (
        town_gazetteer.locate(GeocodeQuery(INTERSECTION, "1ST ST", cross_street="5TH ST")) is None
    )


def test_street_and_city_precision(town_gazetteer: LocalGazetteer) -> None:
    street = town_gazetteer.locate(GeocodeQuery(STREET, "ELM ST"))
    assert street is not None and street.precision == "street" and "ELM ST" in street.matched
    city = town_gazetteer.locate(GeocodeQuery(CITY, city="Otherton"))
    assert city is not None and city.precision == "city"
    assert towns.distance_m((city.lat, city.lon), towns.at(towns.OTHERTON_EAST_M, 200)) < 300


def test_unknown_places_find_nothing(town_gazetteer: LocalGazetteer) -> None:
    assert town_gazetteer.locate(GeocodeQuery(ADDRESS, "ZEBRA RD", "100")) is None
    assert town_gazetteer.locate(GeocodeQuery(CITY, city="Nowhere")) is None
    assert (
        LocalGazetteer(GAZETTEER.empty()).locate(GeocodeQuery(ADDRESS, "OAK AVE", "1101")) is None
    )


def test_cache_id_follows_the_data(town_rows: pa.Table, town_gazetteer: LocalGazetteer) -> None:
    other = LocalGazetteer(town_rows.filter(pa.compute.equal(town_rows["kind"], "range")))
    assert (
        town_gazetteer.cache_id.startswith("gazetteer@")
        and other.cache_id != town_gazetteer.cache_id
    )
    assert "OAK AVE" in town_gazetteer.street_names()
