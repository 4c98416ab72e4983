"""The geocoder resource builds the configured chain over the lake."""

from __future__ import annotations

from pathlib import Path

import pytest

from lake import LakeLocation, delta
from lake.tables import GAZETTEER
from resources.geocoding.backend import ADDRESS, GeocodeQuery
from resources.geocoding.census import CensusBatchGeocoder
from resources.geocoding.gazetteer import LocalGazetteer
from resources.geocoding.gazetteer_files import load_gazetteer_file
from resources.geocoding.nominatim import NominatimGeocoder
from resources.geocoding.resource import GeocoderResource
from tests.resources.geocoding import towns


def test_default_is_the_offline_gazetteer_from_the_lake(
    lake: LakeLocation, town_files: dict[str, Path]
) -> None:
    delta.merge(lake, GAZETTEER, load_gazetteer_file(town_files["openaddresses"]))
    geocoder = GeocoderResource().geocoder(lake)
    assert [type(b) for b in geocoder.backends] == [LocalGazetteer]
    # No county configured: the gazetteer's own extent bounds it.
    assert geocoder.area is not None and geocoder.area.accepts(*towns.at(100, 100))
    outcome = geocoder.geocode([GeocodeQuery(ADDRESS, "OAK AVE", "1101")])
    assert outcome.placed and next(iter(outcome.placed.values())).backend == "gazetteer"


def test_backends_in_the_configured_order(lake: LakeLocation, town_files: dict[str, Path]) -> None:
    resource = GeocoderResource(
        backends=["nominatim", "census", "gazetteer"],
        county_path=str(town_files["county"]),
        nominatim_url="http://127.0.0.1:9/",
        census_url="http://127.0.0.1:9/geocoder",
    )
    chain = resource.geocoder(lake)
    assert [type(b) for b in chain.backends] == [
        NominatimGeocoder,
        CensusBatchGeocoder,
        LocalGazetteer,
    ]
    nominatim = chain.backends[0]
    assert isinstance(nominatim, NominatimGeocoder) and nominatim.viewbox == pytest.approx(
        chain.area.bbox
    )


def test_unknown_backend_is_refused(lake: LakeLocation) -> None:
    with pytest.raises(ValueError, match="unknown geocoder backends"):
        GeocoderResource(backends=["gazetteer", "google"]).geocoder(lake)
