"""The geocoder as a Dagster resource: which backends, in which order, and where the
county is. Defaults are offline: only the local gazetteer is asked."""

from __future__ import annotations

from typing import ClassVar

import pyarrow as pa
from dagster import ConfigurableResource
from pydantic import Field

from lake import delta
from lake.location import LakeLocation
from lake.tables import GAZETTEER
from resources.geocoding.area import ServiceArea
from resources.geocoding.cache import GeocodeCache
from resources.geocoding.census import CensusBatchGeocoder
from resources.geocoding.chain import Geocoder
from resources.geocoding.gazetteer import MIN_ADDRESS_SCORE, LocalGazetteer
from resources.geocoding.nominatim import NominatimGeocoder
from resources.settings import GAZETTEER_CSV_ENV

BACKENDS = ("gazetteer", "census", "nominatim")


class GeocoderResource(ConfigurableResource):
    """Geocoding for the ``locations`` layer (resource key ``geocoder``)."""

    ENV: ClassVar[dict[str, str]] = {
        "gazetteer_path": GAZETTEER_CSV_ENV,
        "county_path": "SCANLAKE_COUNTY_GEOJSON",
        "jurisdictions_path": "SCANLAKE_JURISDICTIONS_GEOJSON",
        "jurisdiction_field": "SCANLAKE_JURISDICTION_FIELD",
        "region": "SCANLAKE_REGION",
        "default_city": "SCANLAKE_DEFAULT_CITY",
        "census_url": "SCANLAKE_CENSUS_URL",
        "nominatim_url": "SCANLAKE_NOMINATIM_URL",
        "nominatim_user_agent": "SCANLAKE_NOMINATIM_USER_AGENT",
        "backends": "SCANLAKE_GEOCODER_BACKENDS",  # ':'-separated
    }

    gazetteer_path: str | None = Field(
        default=None,
        description="OpenAddresses CSV or TIGER ranges file loaded into the gazetteer table "
        "(the demo uses the simulator's gazetteer CSV)",
    )
    backends: list[str] = Field(
        default=["gazetteer"],
        description=f"Backends to ask, in order; any of {', '.join(BACKENDS)}",
    )
    region: str = Field(default="", description="State (e.g. AL) added to queries sent to services")
    default_city: str = Field(default="", description="City added to queries that name none")
    county_path: str | None = Field(default=None, description="County polygon file (GeoJSON)")
    county_bbox: list[float] | None = Field(
        default=None, description="County box min_lon, min_lat, max_lon, max_lat (when no polygon)"
    )
    county_margin_m: float = Field(
        default=2000.0, description="How far outside the county a match may fall before rejection"
    )
    jurisdictions_path: str | None = Field(
        default=None, description="Polygons (GeoJSON) naming each point's jurisdiction"
    )
    jurisdiction_field: str = Field(default="name", description="Property holding a polygon's name")
    min_street_score: float = Field(
        default=0.75, description="Least fuzzy street similarity accepted"
    )
    min_address_score: float = Field(
        default=MIN_ADDRESS_SCORE,
        description="Least score of a placed address (street similarity times how well the "
        "number places); a doubtful address is left unplaced",
    )
    census_url: str = Field(default="https://geocoding.geo.census.gov/geocoder")
    census_benchmark: str = Field(default="Public_AR_Current")
    census_batch_size: int = Field(
        default=1000, description="Addresses per batch (Census caps at 10,000)"
    )
    nominatim_url: str = Field(default="https://nominatim.openstreetmap.org")
    nominatim_user_agent: str = Field(
        default="scanlake-geocoder/0.1", description="Identifying User-Agent (Nominatim policy)"
    )
    nominatim_min_delay_s: float = Field(
        default=1.0, description="Seconds between Nominatim requests"
    )
    timeout_s: float = Field(default=30.0, description="HTTP timeout per request")
    max_retries: int = Field(default=3, description="Retries of a failed HTTP request")
    retry_backoff_s: float = Field(default=1.0, description="First wait before a retry (doubles)")

    def gazetteer(self, location: LakeLocation) -> LocalGazetteer:
        """The local backend over the lake's ``gazetteer`` table."""
        return self.gazetteer_from_rows(delta.read(location, GAZETTEER))

    def gazetteer_from_rows(self, rows: pa.Table) -> LocalGazetteer:
        return LocalGazetteer(
            rows, min_score=self.min_street_score, min_address_score=self.min_address_score
        )

    def area(self, location: LakeLocation) -> ServiceArea | None:
        """The county, reading the gazetteer table only when no polygon or box is set."""
        configured = self.county_path or self.county_bbox
        return self.service_area(None if configured else self.gazetteer(location))

    def service_area(self, gazetteer: LocalGazetteer | None = None) -> ServiceArea | None:
        """The county from its polygon, else its box, else the gazetteer's own extent."""
        if self.county_path:
            return ServiceArea.from_file(self.county_path, self.county_margin_m)
        if self.county_bbox:
            if len(self.county_bbox) != 4:
                raise ValueError(f"county_bbox needs 4 numbers, got {self.county_bbox}")
            return ServiceArea.from_bbox(tuple(self.county_bbox), self.county_margin_m)  # type: ignore[arg-type]
        extent = gazetteer.extent() if gazetteer is not None else None
        return ServiceArea.from_bbox(extent, self.county_margin_m) if extent else None

    def geocoder(
        self, location: LakeLocation | None, gazetteer: LocalGazetteer | None = None
    ) -> Geocoder:
        """The configured chain, caching in ``location``'s ``geocode_cache`` (in memory when
        ``location`` is None)."""
        unknown = [b for b in self.backends if b not in BACKENDS]
        if unknown:
            raise ValueError(f"unknown geocoder backends {unknown}; choose from {BACKENDS}")
        if gazetteer is None and location is not None:
            gazetteer = self.gazetteer(location)
        area = self.service_area(gazetteer)
        chain = []
        for name in self.backends:
            if name == "gazetteer" and gazetteer is not None:
                chain.append(gazetteer)
            elif name == "census":
                chain.append(
                    CensusBatchGeocoder(
                        self.census_url,
                        self.census_benchmark,
                        state=self.region,
                        default_city=self.default_city,
                        batch_size=self.census_batch_size,
                        timeout_s=self.timeout_s,
                        max_retries=self.max_retries,
                        backoff_s=self.retry_backoff_s,
                    )
                )
            elif name == "nominatim":
                chain.append(
                    NominatimGeocoder(
                        self.nominatim_url,
                        self.nominatim_user_agent,
                        viewbox=area.bbox if area else None,
                        region=self.region,
                        default_city=self.default_city,
                        min_delay_s=self.nominatim_min_delay_s,
                        timeout_s=self.timeout_s,
                        max_retries=self.max_retries,
                        retry_wait_s=self.retry_backoff_s,
                    )
                )
        return Geocoder(chain, GeocodeCache(location), area)
