"""The Nominatim backend (geopy) against a local server speaking /search jsonv2."""

from __future__ import annotations

import pytest

from resources.geocoding.backend import (
    ADDRESS,
    CITY,
    INTERSECTION,
    STREET,
    GeocodeQuery,
    GeocoderUnavailable,
)
from resources.geocoding.nominatim import NominatimGeocoder
from tests.resources.geocoding import towns
from tests.resources.geocoding.servers import LocalNominatim

VIEWBOX = (*towns.at(-2000, -2000)[::-1], *towns.at(10_000, 3000)[::-1])


def backend(server: LocalNominatim, **kw: object) -> NominatimGeocoder:
    options = {
        "viewbox": VIEWBOX,
        "region": "AL",
        "default_city": "Testville",
        "min_delay_s": 0.0,
        "retry_wait_s": 0.01,
        "max_retries": 2,
    }
    return NominatimGeocoder(
        server.base_url, "scanlake-tests/1.0 (ops@example.org)", **{**options, **kw}
    )  # type: ignore[arg-type]


def test_search_request_and_jsonv2_answer(nominatim: LocalNominatim) -> None:
    query = GeocodeQuery(ADDRESS, "PINE ST", "1500")
    match = backend(nominatim).geocode([query])[query.key]
    seen = nominatim.seen[0]
    assert (
        seen.path == "/search" and seen.query["format"] == "jsonv2" and seen.query["bounded"] == "1"
    )
    assert seen.query["q"] == "1500 Pine Street, Testville, AL"
    assert seen.query["viewbox"] == ",".join(str(v) for v in VIEWBOX)
    assert seen.query["countrycodes"] == "us" and seen.query["limit"] == "1"
    assert seen.headers["user-agent"] == "scanlake-tests/1.0 (ops@example.org)"
    assert match is not None and match.precision == "rooftop"
    assert towns.distance_m((match.lat, match.lon), towns.address("Pine Street", 1500)) < 0.5


def test_place_rank_sets_precision(nominatim: LocalNominatim) -> None:
    query = GeocodeQuery(STREET, "DEPOT RD")
    match = backend(nominatim).geocode([query])[query.key]
    assert match is not None and match.precision == "street"


def test_bounded_viewbox_keeps_far_places_out(nominatim: LocalNominatim) -> None:
    query = GeocodeQuery(CITY, city="Far Away")
    assert backend(nominatim).geocode([query]) == {query.key: None}
    assert backend(nominatim, viewbox=None).geocode([query])[query.key] is not None


def test_intersections_are_not_asked(nominatim: LocalNominatim) -> None:
    assert (
        backend(nominatim).geocode([GeocodeQuery(INTERSECTION, "A ST", cross_street="B ST")]) == {}
    )
    assert nominatim.hits == 0


def test_one_request_per_second(nominatim: LocalNominatim) -> None:
    queries = [GeocodeQuery(ADDRESS, "PINE ST", str(n)) for n in (1500, 1502, 1504)]
    backend(nominatim, min_delay_s=1.0).geocode(queries)
    gaps = [b.at - a.at for a, b in zip(nominatim.seen, nominatim.seen[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 0.95


def test_retries_then_answers(nominatim: LocalNominatim) -> None:
    nominatim.fail_next(2, 503)
    query = GeocodeQuery(ADDRESS, "PINE ST", "1500")
    assert backend(nominatim).geocode([query])[query.key] is not None
    assert nominatim.hits == 3


def test_gives_up_with_a_typed_error(nominatim: LocalNominatim) -> None:
    nominatim.fail_next(3, 500)
    with pytest.raises(GeocoderUnavailable, match="nominatim"):
        backend(nominatim).geocode([GeocodeQuery(ADDRESS, "PINE ST", "1500")])


def test_a_stock_user_agent_is_refused(nominatim: LocalNominatim) -> None:
    with pytest.raises(GeocoderUnavailable):
        NominatimGeocoder(
            nominatim.base_url, "python-requests/2.32", VIEWBOX, max_retries=0
        ).geocode([GeocodeQuery(CITY, city="Testville")])
    with pytest.raises(ValueError, match="User-Agent"):
        NominatimGeocoder(nominatim.base_url, " ", VIEWBOX)
