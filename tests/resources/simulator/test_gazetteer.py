import csv
import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from resources.simulator import county, gazetteer


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("gaz")
    gaz = gazetteer.build()
    return gazetteer.write_openaddresses_csv(gaz, folder / "g.csv"), gazetteer.write_county_geojson(
        folder / "c.geojson"
    )


def test_csv_has_the_openaddresses_columns_and_points_inside_the_county(written):
    csv_path, geojson = written
    outline = shape(json.loads(geojson.read_text())["features"][0]["geometry"])
    with csv_path.open() as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == (
            "LON",
            "LAT",
            "NUMBER",
            "STREET",
            "UNIT",
            "CITY",
            "DISTRICT",
            "REGION",
            "POSTCODE",
        )
        rows = list(reader)
    assert len(rows) > 2000
    assert all(outline.contains(Point(float(r["LON"]), float(r["LAT"]))) for r in rows)
    assert {r["REGION"] for r in rows} == {"AL"}
    assert {r["DISTRICT"] for r in rows} == {"Autauga County"}
    assert {r["CITY"] for r in rows} == {
        "Prattville",
        "Autaugaville",
        "Marbury",
        "Billingsley",
        "Booth",
    }
    assert all(r["POSTCODE"].isdigit() and len(r["POSTCODE"]) == 5 for r in rows)
    # real-world coordinates: central Alabama
    assert all(32.3 < float(r["LAT"]) < 32.75 and -86.95 < float(r["LON"]) < -86.4 for r in rows)


def test_county_outline_is_the_real_one():
    outline = county.boundary_polygon()
    assert outline.is_valid
    assert county.contains(-86.4597, 32.4640)  # Prattville
    assert not county.contains(-86.30, 32.38)  # Montgomery, next county over
    # 594 square miles of land, per the Census: the 20m outline is within a few percent
    lon, lat = outline.centroid.x, outline.centroid.y
    km2 = outline.area * (111.32**2) * __import__("math").cos(__import__("math").radians(lat))
    assert 1450 < km2 < 1650, (lon, lat, km2)


def test_house_numbers_interpolate_along_their_street():
    gaz = gazetteer.build()
    oak = gaz.street("Oak Street")
    points = sorted(
        (p for p in gaz.addresses if p.street is oak and p.number % 2 == 0), key=lambda p: p.number
    )
    # any listed point lies where interpolation between its listed neighbours puts it
    for before, mid, after in zip(points, points[1:], points[2:], strict=False):
        if before.number // 100 != after.number // 100:
            continue  # a block boundary: the line bends at the crossing
        frac = (mid.number - before.number) / (after.number - before.number)
        lat = before.lat + frac * (after.lat - before.lat)
        lon = before.lon + frac * (after.lon - before.lon)
        assert county.distance_m((lon, lat), (mid.lon, mid.lat)) < 0.5
    # numbers rise northward on a north-south street, odd and even on opposite sides
    south, north = oak.locate(102), oak.locate(1098)
    assert north[1] > south[1]
    assert county.distance_m(oak.locate(501), oak.locate(500)) == pytest.approx(24.0, abs=0.5)


def test_intersections_lie_on_both_streets():
    gaz = gazetteer.build()
    for x in gaz.intersections[:40]:
        assert (x.lon, x.lat) in x.a.vertices and (x.lon, x.lat) in x.b.vertices
    assert len({s.name for s in gaz.streets}) == len(gaz.streets)


def test_highway_mile_markers_are_a_mile_apart_inside_the_county():
    for road in gazetteer.build().highways:
        a, b = road.locate(road.first_mile + 1), road.locate(road.first_mile + 2)
        assert county.distance_m(a, b) == pytest.approx(1609.3, rel=0.02)
        assert all(
            county.contains(*road.locate(m)) for m in range(road.first_mile, road.last_mile + 1)
        )
        with pytest.raises(ValueError):
            road.locate(road.last_mile + 5)
