"""Jurisdictions by point in polygon."""

from __future__ import annotations

from pathlib import Path

import pytest

from assets.geo.rows import JurisdictionPolygons
from resources.geocoding.backend import GazetteerError
from tests.resources.geocoding import towns


def test_points_get_the_polygon_they_fall_in(tmp_path: Path) -> None:
    polygons = JurisdictionPolygons(str(towns.write_jurisdictions(tmp_path / "j.geojson")))
    points = [towns.at(100, 100), towns.at(towns.OTHERTON_EAST_M, 100), towns.at(4000, 100)]
    assert polygons.names(points) == ["Testville", "Otherton", None]
    assert polygons.names([]) == []


def test_a_missing_name_property_is_a_typed_error(tmp_path: Path) -> None:
    path = str(towns.write_jurisdictions(tmp_path / "j.geojson"))
    with pytest.raises(GazetteerError, match="no 'district' property"):
        JurisdictionPolygons(path, name_field="district")
