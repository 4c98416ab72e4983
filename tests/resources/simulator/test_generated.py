"""The second simulated county: generated streets, its own outline and address file."""

import csv
import json

import pytest
from shapely.geometry import Point, shape

from resources.simulator import gazetteer, generated, traffic
from resources.simulator.script import words_of


def test_wexmoor_shares_no_street_or_town_name_with_autauga():
    autauga, wexmoor = gazetteer.build(), gazetteer.build("wexmoor")
    assert wexmoor.area.name == "Wexmoor County" and wexmoor.area.state == "KS"
    names = {s.short.lower() for s in autauga.streets} | {
        t.name.lower() for t in autauga.area.towns
    }
    assert not names & {s.short.lower() for s in wexmoor.streets}
    assert not names & {t.name.lower() for t in wexmoor.area.towns}
    suffixes = {s.name.rsplit(" ", 1)[1] for s in wexmoor.streets}
    assert len(suffixes) >= 6  # Autauga's grids use Street, Avenue and one Drive
    assert len({s.name for s in wexmoor.streets}) == len(wexmoor.streets)


def test_generated_town_is_deterministic_and_seeds_differ():
    a, b = generated.build("generated-41"), generated.build("generated-41")
    assert [s.name for s in a.streets] == [s.name for s in b.streets]
    assert a.addresses[100] == b.addresses[100]
    other = generated.build("generated-42")
    assert {s.name for s in a.streets} != {s.name for s in other.streets}
    with pytest.raises(KeyError):
        gazetteer.build("nowhere")


@pytest.mark.parametrize("town", ["wexmoor", "generated-9"])
def test_every_place_lies_inside_the_outline_and_numbers_locate(town, tmp_path):
    gaz = gazetteer.build(town)
    csv_path = gazetteer.write_openaddresses_csv(gaz, tmp_path / "g.csv")
    geojson = gazetteer.write_county_geojson(tmp_path / "c.geojson", gaz.area)
    feature = json.loads(geojson.read_text())["features"][0]
    outline = shape(feature["geometry"])
    assert outline.is_valid and feature["properties"]["NAMELSAD"] == gaz.area.name
    with csv_path.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 1000
    assert all(outline.contains(Point(float(r["LON"]), float(r["LAT"]))) for r in rows)
    assert {r["DISTRICT"] for r in rows} == {gaz.area.name}
    assert {r["CITY"] for r in rows} == {t.name for t in gaz.area.towns}
    for road in gaz.highways:
        assert all(
            gaz.area.contains(*road.locate(m)) for m in range(road.first_mile, road.last_mile + 1)
        )
    # numbering ranges Autauga's grids (100 a block from 100) never use
    assert max(s.first_number for s in gaz.streets) >= 1000


def test_plan_for_wexmoor_speaks_its_streets():
    calls = traffic.plan(60, 3, town="wexmoor")
    streets = {s.short for s in gazetteer.build("wexmoor").streets}
    spoken = " ".join(" ".join(" ".join(words_of(u.text)) for u in c.utterances) for c in calls)
    assert sum(name in spoken for name in streets) >= 5
    assert "Prattville" not in spoken
    assert {c.talkgroup.description for c in calls if c.talkgroup.tgid == 1001} == {
        "Wexmoor County Fire Dispatch"
    }
