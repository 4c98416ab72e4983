"""End to end: the app started with its real command, the Map and Search pages loaded in
headless Chromium (Debian's ``chromium`` package) through Playwright. Screenshots are kept
in tests/artifacts/ for CI to publish."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from lake import queries as q
from tests.dashboards.server import running_app
from tests.fixtures.small_lake import SmallLake

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pixel(point, lat0: float, lon0: float, canvas: dict, zoom: float = 11.5) -> tuple[float, float]:
    """Where deck.gl draws ``point`` for a view centred on (lat0, lon0): Web Mercator."""
    world = 512 * 2**zoom

    def project(lat: float, lon: float) -> tuple[float, float]:
        y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
        return (lon + 180) / 360 * world, (1 - y / math.pi) / 2 * world

    (px, py), (cx, cy) = project(point["lat"], point["lon"]), project(lat0, lon0)
    return canvas["x"] + canvas["width"] / 2 + px - cx, canvas["y"] + canvas["height"] / 2 + py - cy


@pytest.fixture(scope="module")
def app_url(app_lake: SmallLake, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(app_lake.location.uri, tmp_path_factory.mktemp("streamlit") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def page(chromium_path: str) -> Iterator[Page]:
    """Debian's Chromium, installed by the suite when missing (tests/support/services.py)."""
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        browser.close()


def test_map_page_renders_points(app_url: str, app_lake: SmallLake, page: Page):
    page.goto(f"{app_url}/map", wait_until="domcontentloaded")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Map")).to_be_visible(timeout=60_000)
    places = main.get_by_test_id("stMetric").filter(has_text="Places")
    expect(places).to_contain_text("11", timeout=30_000)  # geocoded calls of the last 24 hours
    chart = main.get_by_test_id("stDeckGlJsonChart")
    expect(chart.locator("canvas").first).to_be_visible(timeout=30_000)
    box = chart.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 400
    page.wait_for_timeout(1500)  # let deck.gl draw its first frame
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)

    # Hover the newest call's point (placed by Web Mercator from the chart's view state),
    # read its tooltip, and click it open.
    points = q.map_points(q.open_lake(app_lake.location), q.Window.last(24))
    canvas = chart.locator("canvas").first.bounding_box()
    assert canvas
    x, y = pixel(points.iloc[0], points["lat"].mean(), points["lon"].mean(), canvas)
    tooltip = page.locator(".deck-tooltip")
    for _ in range(20):  # deck.gl picks on pointer moves once its first frame is drawn
        page.mouse.move(x - 3, y)
        page.mouse.move(x, y)
        if points.iloc[0]["snippet"][:20] in (tooltip.text_content() or ""):
            break
        page.wait_for_timeout(500)
    expect(tooltip).to_contain_text(points.iloc[0]["snippet"][:20])
    page.mouse.click(x, y)
    expect(main.get_by_role("heading", name="Call detail")).to_be_visible(timeout=30_000)
    assert f"call={points.iloc[0]['call_uid']}" in page.url
    expect(main.locator("audio")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "call.png"), full_page=True)


def test_search_page_renders_highlighted_hits(app_url: str, app_lake: SmallLake, page: Page):
    page.goto(f"{app_url}/search", wait_until="domcontentloaded")
    main = page.get_by_test_id("stMain")
    box = main.get_by_label("Search", exact=True)
    expect(box).to_be_visible(timeout=60_000)
    box.fill('"structure fire" oak')
    box.press("Enter")
    marks = main.locator("mark")
    expect(marks.first).to_have_text("structure fire", timeout=30_000)
    expect(main.get_by_text("3 calls match, best first")).to_be_visible()
    expect(main.locator("audio")).to_have_count(3)
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
