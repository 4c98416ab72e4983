"""The offline basemap: county outlines and the gazetteer's streets under the Map's points
when tiles are switched off or cannot be reached; tiles when a style answers."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pyarrow as pa
import pytest

from dashboards import basemap
from lake import LakeLocation, delta
from lake.tables import GAZETTEER, conform
from tests.dashboards.conftest import open_app
from tests.dashboards.test_pages import deck_specs
from tests.fixtures.small_lake import build_small_lake
from tests.support.seaweed import free_port

LAT0, LON0 = 40.015, -105.27  # the small lake's county (Boulder)


def _streets() -> pd.DataFrame:
    rows = []
    # Oak St: 6 points along a line, handed over out of order, with a 2 km gap (two stretches)
    for i in (3, 0, 5, 1, 4, 2):
        lon = LON0 + 0.001 * i + (0.02 if i >= 3 else 0.0)
        rows.append(dict(street_key="OAK ST", street="Oak Street", kind="point", lon=lon, lat=LAT0, line_wkt=None))
    rows.append(dict(street_key="PINE AVE", street="Pine Avenue", kind="range", lon=None, lat=None,
                     line_wkt=f"LINESTRING ({LON0} {LAT0}, {LON0} {LAT0 + 0.01})"))
    rows.append(dict(street_key="BAD RD", street="Bad Road", kind="range", lon=None, lat=None, line_wkt="LINESTRING (oops"))
    return pd.DataFrame(rows)


def test_street_points_become_ordered_stretches_split_at_gaps():
    paths = basemap.street_paths(_streets())
    oak = paths[paths.street == "Oak Street"]["path"].tolist()
    assert len(oak) == 2  # the 2 km gap splits the street
    for stretch in oak:
        lons = [p[0] for p in stretch]
        assert lons == sorted(lons) or lons == sorted(lons, reverse=True)
        assert len(stretch) == 3
    (pine,) = paths[paths.street == "Pine Avenue"]["path"].tolist()
    assert pine == [[LON0, LAT0], [LON0, LAT0 + 0.01]]
    assert "Bad Road" not in set(paths.street)  # an unreadable line is skipped, not fatal
    labels = basemap.street_labels(paths)
    assert set(labels.street) == {"Oak Street", "Pine Avenue"}


def test_outlines_skip_missing_files(tmp_path):
    county = tmp_path / "county.geojson"
    county.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"NAMELSAD": "Test County"},
         "geometry": {"type": "Polygon", "coordinates": [[[LON0 - .1, LAT0 - .1], [LON0 + .1, LAT0 - .1],
                                                           [LON0 + .1, LAT0 + .1], [LON0 - .1, LAT0 - .1]]]}}]}))
    assert len(basemap.read_outlines([county, tmp_path / "missing.geojson"])) == 1
    assert basemap.read_outlines([]) == []


@pytest.fixture(scope="module")
def basemap_lake(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("basemap")
    lake = build_small_lake(LakeLocation(str(root / "lake")))
    frame = _streets().assign(
        source="test", row_id=range(len(_streets())), file_sha256="0" * 64,
        loaded_at=pd.Timestamp.now(tz="UTC"),
    )
    delta.merge(lake.location, GAZETTEER, conform(pa.Table.from_pandas(frame, preserve_index=False), GAZETTEER))
    county = root / "county.geojson"
    county.write_text(json.dumps({"type": "Feature", "properties": {},
                                  "geometry": {"type": "Point", "coordinates": [LON0, LAT0]}}))
    return lake, county


def _map_layers(monkeypatch, basemap_lake, style: str) -> tuple[list[str], dict]:
    lake, county = basemap_lake
    monkeypatch.setenv("SCANLAKE_LAKE_URI", lake.location.uri)
    monkeypatch.setenv("SCANLAKE_COUNTY_GEOJSON", str(county))
    monkeypatch.setenv("SCANLAKE_MAP_STYLE", style)
    for name in ("SCANLAKE_DASHBOARD_AUTH", "SCANLAKE_DASHBOARD_PASSWORD", "SCANLAKE_JURISDICTIONS_GEOJSON"):
        monkeypatch.delenv(name, raising=False)
    at = open_app("views/map.py")
    at.selectbox[0].set_value("Last 7 days").run()
    (spec,) = deck_specs(at)
    return [layer["id"] for layer in spec["layers"]], spec


BASEMAP_IDS = ["basemap-outlines", "basemap-streets", "basemap-labels"]


def test_map_draws_the_offline_basemap_when_tiles_are_off(monkeypatch, basemap_lake):
    ids, spec = _map_layers(monkeypatch, basemap_lake, "offline")
    assert ids[:3] == BASEMAP_IDS and ids[-1] == "calls"
    assert not spec.get("mapStyle")
    streets = next(layer for layer in spec["layers"] if layer["id"] == "basemap-streets")
    assert {row["street"] for row in streets["data"]} == {"Oak Street", "Pine Avenue"}


def test_map_draws_the_offline_basemap_when_the_style_url_does_not_answer(monkeypatch, basemap_lake):
    ids, spec = _map_layers(monkeypatch, basemap_lake, f"http://127.0.0.1:{free_port()}/style.json")
    assert ids[:3] == BASEMAP_IDS and not spec.get("mapStyle")


def test_map_uses_tiles_when_the_style_url_answers(monkeypatch, basemap_lake):
    class Style(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"version": 8, "sources": {}, "layers": []}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Style)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/style.json"
        ids, spec = _map_layers(monkeypatch, basemap_lake, url)
    finally:
        server.shutdown()
        server.server_close()
    assert not set(ids) & set(BASEMAP_IDS)
    assert spec.get("mapStyle") == url
