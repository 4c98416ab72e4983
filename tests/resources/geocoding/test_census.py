"""The Census batch backend against a local server speaking the batch format."""

from __future__ import annotations

import csv
import io

import pytest

from resources.geocoding.backend import ADDRESS, INTERSECTION, GeocodeQuery, GeocoderUnavailable
from resources.geocoding.census import CensusBatchGeocoder
from tests.resources.geocoding import towns
from tests.resources.geocoding.servers import LocalCensus


def backend(server: LocalCensus, **kw: object) -> CensusBatchGeocoder:
    options = {
        "state": "AL",
        "default_city": "Testville",
        "max_retries": 2,
        "backoff_s": 0.01,
        "timeout_s": 5.0,
    }
    return CensusBatchGeocoder(server.base_url + "/geocoder", **{**options, **kw})  # type: ignore[arg-type]


def test_one_multipart_batch_for_many_addresses(census: LocalCensus) -> None:
    queries = [
        GeocodeQuery(ADDRESS, "MAPLE AVE", "1234"),
        GeocodeQuery(ADDRESS, "ZEBRA RD", "5"),
        GeocodeQuery(ADDRESS, "TWIN ST", "10"),
    ]
    answers = backend(census).geocode(queries)
    assert census.hits == 1
    seen = census.seen[0]
    assert seen.method == "POST" and seen.path == "/geocoder/locations/addressbatch"
    assert seen.form["benchmark"] == "Public_AR_Current"
    rows = list(csv.reader(io.StringIO(seen.files["addressFile"].decode())))
    assert rows == [
        ["0", "1234 Maple Avenue", "Testville", "AL", ""],
        ["1", "5 Zebra Road", "Testville", "AL", ""],
        ["2", "10 Twin Street", "Testville", "AL", ""],
    ]
    hit = answers[queries[0].key]
    assert (
        hit is not None
        and hit.precision == "interpolated"
        and hit.matched.startswith("1234 MAPLE AVE")
    )
    assert towns.distance_m((hit.lat, hit.lon), towns.address("Maple Avenue", 1234)) < 0.5
    assert answers[queries[1].key] is None  # No_Match
    assert answers[queries[2].key] is None  # Tie


def test_batches_are_split(census: LocalCensus) -> None:
    queries = [GeocodeQuery(ADDRESS, "MAPLE AVE", str(n)) for n in range(1, 6)]
    assert len(backend(census, batch_size=2).geocode(queries)) == 5
    assert census.hits == 3


def test_only_addresses_are_sent(census: LocalCensus) -> None:
    assert (
        backend(census).geocode([GeocodeQuery(INTERSECTION, "OAK AVE", cross_street="1ST ST")])
        == {}
    )
    assert census.hits == 0


def test_retries_server_errors(census: LocalCensus) -> None:
    census.fail_next(2, 503)
    answers = backend(census).geocode([GeocodeQuery(ADDRESS, "MAPLE AVE", "1234")])
    assert census.hits == 3 and next(iter(answers.values())) is not None


def test_gives_up_with_a_typed_error(census: LocalCensus) -> None:
    census.fail_next(5, 502)
    with pytest.raises(GeocoderUnavailable, match="gave up after 3 attempts"):
        backend(census).geocode([GeocodeQuery(ADDRESS, "MAPLE AVE", "1234")])
    assert census.hits == 3


def test_client_errors_are_not_retried(census: LocalCensus) -> None:
    with pytest.raises(GeocoderUnavailable, match="HTTP 400"):
        backend(census, benchmark="Nonsense_Benchmark").geocode(
            [GeocodeQuery(ADDRESS, "MAPLE AVE", "1234")]
        )
    assert census.hits == 1


def test_unreachable_service(census: LocalCensus) -> None:
    url = census.base_url
    census.stop()
    with pytest.raises(GeocoderUnavailable, match="ConnectError"):
        CensusBatchGeocoder(
            url + "/geocoder", max_retries=1, backoff_s=0.01, timeout_s=1.0
        ).geocode([GeocodeQuery(ADDRESS, "OAK AVE", "1")])


def test_census_errors_do_not_carry_the_addresses(census: LocalCensus, caplog) -> None:
    import logging

    from resources.geocoding.backend import scrub

    census.quote_rows_in_errors = 400
    queries = [GeocodeQuery(ADDRESS, "MAPLE AVE", "1234"), GeocodeQuery(ADDRESS, "ZEBRA RD", "5")]
    caplog.set_level(logging.DEBUG)
    with pytest.raises(GeocoderUnavailable) as raised:
        backend(census).geocode(queries)
    detail = raised.value.detail
    assert detail.startswith("HTTP 400: Error: cannot parse") and "[address]" in detail
    for text in (detail, str(raised.value), caplog.text):
        assert "1234" not in text and "Maple" not in text and "Zebra" not in text
    assert scrub("no match for 77 Elm Street, Testville") == "no match for [address]"
    assert scrub("HTTP 502 after 4 tries") == "HTTP 502 after 4 tries"  # no street words


def test_malformed_rows_are_reported_without_the_address(census: LocalCensus) -> None:
    from resources.geocoding.census import _parse_response

    with pytest.raises(GeocoderUnavailable) as raised:
        _parse_response('"9","1234 Maple Avenue, Testville","Match"\n', [GeocodeQuery(ADDRESS, "MAPLE AVE", "1234")])
    assert "Maple" not in str(raised.value) and "1234" not in str(raised.value)


def test_only_retryable_answers_are_retried(census: LocalCensus) -> None:
    census.fail_next(5, status=400)
    with pytest.raises(GeocoderUnavailable, match="HTTP 400"):
        backend(census).geocode([GeocodeQuery(ADDRESS, "MAPLE AVE", "1234")])
    assert census.hits == 1  # a 400 is final
    census.failures.clear()
    census.fail_next(5, status=503)
    with pytest.raises(GeocoderUnavailable, match=r"gave up after 3 attempts \(HTTP 503\)"):
        backend(census).geocode([GeocodeQuery(ADDRESS, "MAPLE AVE", "1234")])
    assert census.hits == 4
