"""Hostile labels in real Chromium: the app started with its real command over a lake whose
newest call's labels and transcript are Markdown/HTML payloads; the rendered pages hold no
image or link made from them and the browser never asks for the planted pixel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from lake import LakeLocation
from tests.dashboards.hostile import build_hostile_lake
from tests.dashboards.server import running_app
from tests.dashboards.test_browser import CHROMIUM_ARGS


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    root = tmp_path_factory.mktemp("hostile_app")
    lake, uid = build_hostile_lake(LakeLocation(str(root / "lake")))
    with running_app(lake.location.uri, root / "streamlit.log") as url:
        yield url, uid, lake.start_of[uid].date().isoformat()


@pytest.fixture(scope="module")
def browser_page(chromium_path: str) -> Iterator[tuple[Page, list[str]]]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        yield page, requested
        browser.close()


def assert_inert(page: Page, requested: list[str]) -> None:
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("onerror", exact=False).first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)
    assert main.locator("img[src*='127.0.0.1:1'], img[src='x']").count() == 0
    assert main.locator("a[href^='javascript'], a[href*='127.0.0.1:1']").count() == 0
    assert not [u for u in requested if "127.0.0.1:1/" in u]


@pytest.mark.parametrize("path", ["call", "live", "alerts", "incidents"])
def test_hostile_labels_render_inert(hostile_app, browser_page, path):
    url, uid, day = hostile_app
    page, requested = browser_page
    query = f"?call={uid}&date={day}" if path == "call" else ""
    page.goto(f"{url}/{path}{query}", wait_until="domcontentloaded")
    heading = {
        "call": "Call detail",
        "live": "Live calls",
        "alerts": "Alerts",
        "incidents": "Incidents",
    }[path]
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=heading)).to_be_visible(
        timeout=60_000
    )
    assert_inert(page, requested)
