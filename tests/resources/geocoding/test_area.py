"""The county: a polygon or a box, with a margin."""

from __future__ import annotations

from pathlib import Path

import pytest

from resources.geocoding.area import ServiceArea
from resources.geocoding.backend import GazetteerError
from tests.resources.geocoding import towns


def test_polygon_with_margin(town_files: dict[str, Path]) -> None:
    area = ServiceArea.from_file(town_files["county"], margin_m=1000)
    assert area.accepts(*towns.at(0, 0))
    assert area.accepts(*towns.at(0, 3500))  # 500 m outside: within the margin
    assert not area.accepts(*towns.at(0, 6000))  # 3 km outside
    assert area.distance_m(*towns.at(0, 6000)) == pytest.approx(3000, abs=5)
    assert not area.accepts(float("nan"), 0.0)


def test_bbox(town_files: dict[str, Path]) -> None:
    box = ServiceArea.from_bbox((-86.5, 32.4, -86.3, 32.5), margin_m=0)
    assert box.accepts(32.45, -86.4) and not box.accepts(32.51, -86.4)
    assert box.bbox == (-86.5, 32.4, -86.3, 32.5)
    with pytest.raises(ValueError, match="bounding box"):
        ServiceArea.from_bbox((-86.3, 32.4, -86.5, 32.5))


def test_unreadable_polygon(tmp_path: Path) -> None:
    bad = tmp_path / "county.geojson"
    bad.write_text("{not json")
    with pytest.raises(GazetteerError):
        ServiceArea.from_file(bad)
