"""The Incidents page and the Map coloured by incident: AppTest on a lake whose incidents
were grouped by the real layer, and the page in Debian's Chromium through Playwright (a
screenshot is kept in tests/artifacts/incidents.png)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from streamlit.testing.v1 import AppTest

from assets.incidents.partition import group_partition
from dashboards import geo
from dashboards.markdown import md
from lake import LakeLocation
from tests.dashboards.conftest import APP
from tests.dashboards.server import running_app
from tests.fixtures.incident_lake import write_calls
from tests.fixtures.scenarios import MODEL

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def incident_lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[LakeLocation, dict[str, str]]:
    lake = LakeLocation(str(tmp_path_factory.mktemp("incidents") / "lake"))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = now - dt.timedelta(hours=1)
    uids = write_calls(lake, start)
    for day in sorted({start.date(), now.date()}):
        group_partition(lake, day, now, MODEL)
    return lake, uids


@pytest.fixture
def incident_env(incident_lake, monkeypatch: pytest.MonkeyPatch):
    lake, uids = incident_lake
    monkeypatch.setenv("SCANLAKE_LAKE_URI", lake.uri)
    for name in ("SCANLAKE_DASHBOARD_AUTH", "SCANLAKE_DASHBOARD_PASSWORD", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)
    return uids


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_incidents_page_shows_timeline_players_and_map(incident_env) -> None:
    at = open_page("views/incidents.py")
    assert metric(at, "Incidents") == "2" and metric(at, "Calls") == "7"
    # the most recently active incident first: the fire, cleared at +25 min
    assert at.selectbox(key="inc_pick").value == f"inc-{incident_env['f1']}"
    # the heading is Markdown: the incident's type and place are escaped there
    assert any(md("STRUCTURE_FIRE at 1220 OAK STREET") in s.value for s in at.subheader)
    assert any(":green-badge[cleared]" in m.value for m in at.markdown)
    heads = [m.value for m in at.markdown if m.value.startswith("**+")]
    tg = md("FD Dispatch (1001)")  # the talkgroup's name beside its id
    assert heads[0] == f"**+00:00** · {tg}" and heads[-1] == f"**+25:00** · {tg}"
    assert len(heads) == 5 and len(at.get("audio")) == 5
    # shown as text: escaped like every label from a source
    assert md("Medic 4, respond to 1220 Oak Street, stand by for fire") in [
        m.value for m in at.markdown
    ]
    decks = [json.loads(d.proto.json) for d in at.get("deck_gl_json_chart")]
    assert decks and decks[0]["layers"][0]["data"][0]["lat"] == pytest.approx(40.0176)

    at.selectbox(key="inc_pick").set_value(f"inc-{incident_env['m1']}").run()
    assert len(at.get("audio")) == 2
    assert any(":red-badge[on scene]" in m.value for m in at.markdown)

    at.multiselect(key="inc_status").set_value(["cleared"]).run()
    assert metric(at, "Incidents") == "1"


def test_incidents_page_single_call_incidents_when_asked(incident_env) -> None:
    at = open_page("views/incidents.py")
    at.toggle(key="inc_multi").set_value(False).run()
    assert metric(at, "Incidents") == "2"  # the radio check is in no incident


def test_incident_colours_on_the_map(incident_env) -> None:
    at = open_page("views/map.py")
    at.radio(key="map_color").set_value("Incident").run()
    points = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][-1]["data"]
    by_incident = {p["incident_id"]: p["color"] for p in points}
    assert set(by_incident) == {f"inc-{incident_env['f1']}", f"inc-{incident_env['m1']}"}
    assert all(c == geo.incident_rgb(i) for i, c in by_incident.items())
    assert "One colour per incident" in at.caption[-1].value or any(
        "One colour per incident" in c.value for c in at.caption
    )


@pytest.fixture(scope="module")
def app_url(incident_lake, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(
        incident_lake[0].uri, tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    ) as url:
        yield url


def test_incidents_page_in_chromium(app_url: str, incident_lake, chromium_path: str) -> None:
    _, uids = incident_lake
    ARTIFACTS.mkdir(exist_ok=True)
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=args)
        page = browser.new_context(viewport={"width": 1400, "height": 1400}).new_page()
        page.goto(f"{app_url}/incidents", wait_until="domcontentloaded")
        main = page.get_by_test_id("stMain")
        expect(main.get_by_role("heading", name="Incidents")).to_be_visible(timeout=60_000)
        expect(main.get_by_test_id("stMetric").filter(has_text="Incidents")).to_contain_text(
            "2", timeout=30_000
        )
        expect(main.get_by_text("STRUCTURE_FIRE at 1220 OAK STREET").first).to_be_visible(
            timeout=30_000
        )
        expect(main.locator("audio")).to_have_count(5, timeout=30_000)
        expect(main.get_by_text("+25:00").first).to_be_visible()
        chart = main.get_by_test_id("stDeckGlJsonChart")
        expect(chart.locator("canvas").first).to_be_visible(timeout=30_000)
        expect(main.get_by_test_id("stVegaLiteChart").first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1500)  # deck.gl's and vega's first frames
        page.screenshot(path=str(ARTIFACTS / "incidents.png"), full_page=True)
        # the call link opens that call's page
        main.get_by_role("link", name="Open call").first.click()
        expect(page.get_by_role("heading", name="Call detail")).to_be_visible(timeout=60_000)
        assert uids["f1"] in page.url
        browser.close()
