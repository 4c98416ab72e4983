"""Entities to geocoder queries."""

from __future__ import annotations

from assets.geo.queries import query_for
from resources.geocoding.backend import ADDRESS, INTERSECTION, GeocodeQuery


def test_address_and_intersection_queries() -> None:
    assert query_for("ADDRESS", "1220 OAK ST", "PRATTVILLE") == GeocodeQuery(
        ADDRESS, "OAK ST", "1220", city="PRATTVILLE"
    )
    assert query_for("INTERSECTION", "5TH ST & WASHINGTON AVE", None) == GeocodeQuery(
        INTERSECTION, "5TH ST", cross_street="WASHINGTON AVE"
    )
    assert query_for("ADDRESS", "1220 OAK ST").text == "1220 Oak Street"
    assert query_for("INTERSECTION", "5TH & WASHINGTON").text == "5th & Washington"


def test_not_places() -> None:
    assert query_for("ADDRESS", "OAK ST") is None
    assert query_for("INTERSECTION", "OAK ST") is None
    assert query_for("INTERSECTION", "OAK ST & ") is None
    assert query_for("UNIT", "Engine 12") is None
    assert query_for("ADDRESS", None) is None
