"""The geocoder chain: cache first, backends in order, the county behind."""

from __future__ import annotations

import pyarrow.compute as pc

from lake import LakeLocation, delta
from lake.tables import GEOCODE_CACHE
from resources.geocoding.area import ServiceArea
from resources.geocoding.backend import ADDRESS, INTERSECTION, GeocodeQuery
from resources.geocoding.cache import GeocodeCache
from resources.geocoding.census import CensusBatchGeocoder
from resources.geocoding.chain import Geocoder
from resources.geocoding.gazetteer import LocalGazetteer
from tests.resources.geocoding import towns
from tests.resources.geocoding.servers import LocalCensus

AREA = ServiceArea.from_bbox(
    (*towns.at(-2000, -2000)[::-1], *towns.at(10_000, 3000)[::-1]), margin_m=2000
)


def census_backend(server: LocalCensus) -> CensusBatchGeocoder:
    return CensusBatchGeocoder(
        server.base_url + "/geocoder", state="AL", max_retries=1, backoff_s=0.01, timeout_s=5
    )


def test_cache_hit_path_sends_no_second_request(lake: LakeLocation, census: LocalCensus) -> None:
    queries = [GeocodeQuery(ADDRESS, "MAPLE AVE", "1234"), GeocodeQuery(ADDRESS, "ZEBRA RD", "5")]
    first = Geocoder([census_backend(census)], GeocodeCache(lake), AREA).geocode(queries)
    assert census.hits == 1 and first.asked == {"census": 2} and first.cached_rows == 2
    assert set(first.placed) == {queries[0].key}

    # A new chain (a later run) over the same lake: hits and misses both come from the cache.
    again = Geocoder([census_backend(census)], GeocodeCache(lake), AREA).geocode(queries)
    assert census.hits == 1
    assert again.asked == {} and again.cache_hits == 2 and again.cached_rows == 0
    assert again.placed[queries[0].key].match == first.placed[queries[0].key].match

    rows = delta.read(lake, GEOCODE_CACHE)
    assert rows.num_rows == 2 and sorted(rows["found"].to_pylist()) == [False, True]
    assert set(rows["backend"].to_pylist()) == {"census:Public_AR_Current"}


def test_repeated_queries_in_one_batch_are_asked_once(
    lake: LakeLocation, census: LocalCensus
) -> None:
    query = GeocodeQuery(ADDRESS, "MAPLE AVE", "1234")
    Geocoder([census_backend(census)], GeocodeCache(lake), AREA).geocode([query, query, query])
    assert len(census.rows_received) == 1


def test_precise_local_answers_spare_the_service(
    lake: LakeLocation, census: LocalCensus, town_gazetteer: LocalGazetteer
) -> None:
    queries = [
        GeocodeQuery(ADDRESS, "OAK AVE", "1101"),
        GeocodeQuery(ADDRESS, "ZEBRA RD", "5"),
        GeocodeQuery(INTERSECTION, "5TH ST", cross_street="OAK AVE"),
    ]
    outcome = Geocoder([town_gazetteer, census_backend(census)], GeocodeCache(lake), AREA).geocode(
        queries
    )
    assert outcome.placed[queries[0].key].backend == "gazetteer"
    assert outcome.placed[queries[2].key].match.precision == "intersection"
    assert [r[1] for r in census.rows_received] == [
        "5 Zebra Road"
    ]  # only what the gazetteer missed
    assert queries[1].key not in outcome.placed


def test_far_matches_are_rejected_and_later_backends_tried(
    lake: LakeLocation, census: LocalCensus, town_gazetteer: LocalGazetteer
) -> None:
    far = GeocodeQuery(ADDRESS, "FAR AWAY RD", "77")
    known = GeocodeQuery(ADDRESS, "OAK AVE", "1101")  # the service places it 60 km away
    outcome = Geocoder([census_backend(census), town_gazetteer], GeocodeCache(lake), AREA).geocode(
        [far, known]
    )
    assert far.key not in outcome.placed and outcome.rejected[far.key].backend == "census"
    rejected = outcome.rejected[far.key].match
    assert towns.distance_m((rejected.lat, rejected.lon), towns.at(0, 60_000)) < 1
    assert outcome.placed[known.key].backend == "gazetteer" and known.key not in outcome.rejected


def test_an_unavailable_backend_is_reported_not_cached(
    lake: LakeLocation, census: LocalCensus, town_gazetteer: LocalGazetteer
) -> None:
    census.fail_next(10)
    query = GeocodeQuery(ADDRESS, "MAPLE AVE", "1234")
    outcome = Geocoder([census_backend(census)], GeocodeCache(lake), AREA).geocode([query])
    assert "census" in outcome.unavailable and not outcome.placed
    assert delta.read(lake, GEOCODE_CACHE).num_rows == 0
    census.failures.clear()
    assert (
        query.key
        in Geocoder([census_backend(census)], GeocodeCache(lake), AREA).geocode([query]).placed
    )


def test_gazetteer_answers_are_cached_per_data_version(
    lake: LakeLocation, town_gazetteer: LocalGazetteer
) -> None:
    query = GeocodeQuery(ADDRESS, "OAK AVE", "1101")
    Geocoder([town_gazetteer], GeocodeCache(lake), AREA).geocode([query])
    rows = delta.read(lake, GEOCODE_CACHE)
    mine = rows.filter(pc.equal(rows["backend"], town_gazetteer.cache_id))
    assert mine.num_rows == 1 and mine["precision"][0].as_py() == "rooftop"
    assert Geocoder([town_gazetteer], GeocodeCache(lake), AREA).geocode([query]).cache_hits == 1


def test_memory_cache_without_a_lake(census: LocalCensus) -> None:
    cache = GeocodeCache(None)
    query = GeocodeQuery(ADDRESS, "MAPLE AVE", "1234")
    Geocoder([census_backend(census)], cache, AREA).geocode([query])
    Geocoder([census_backend(census)], cache, AREA).geocode([query])
    assert census.hits == 1
