"""Hostile labels in real Chromium: the app started with its real command over a lake whose
newest call's labels and transcript are Markdown/HTML payloads; the rendered pages hold no
image or link made from them and the browser never asks for the planted pixel."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from dashboards import launch
from lake import LakeLocation
from tests.dashboards.hostile import build_hostile_lake
from tests.dashboards.test_browser import CHROMIUM_ARGS, free_port


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    root = tmp_path_factory.mktemp("hostile_app")
    lake, uid = build_hostile_lake(LakeLocation(str(root / "lake")))
    port = free_port()
    env = dict(os.environ, SCANLAKE_LAKE_URI=lake.location.uri)
    for name in [n for n in env if n.startswith("SCANLAKE_DASHBOARD_")] + ["DAGSTER_HOME"]:
        env.pop(name, None)
    log = (root / "streamlit.log").open("w")
    proc = subprocess.Popen(launch.command(port=port), env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, f"streamlit exited early; see {log.name}"
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).text.strip() == "ok":
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"streamlit did not start; see {log.name}"
            time.sleep(0.5)
        yield url, uid, lake.start_of[uid].date().isoformat()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


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


@pytest.mark.parametrize("path", ["call", "live", "alerts"])
def test_hostile_labels_render_inert(hostile_app, browser_page, path):
    url, uid, day = hostile_app
    page, requested = browser_page
    query = f"?call={uid}&date={day}" if path == "call" else ""
    page.goto(f"{url}/{path}{query}", wait_until="domcontentloaded")
    heading = {"call": "Call detail", "live": "Live calls", "alerts": "Alerts"}[path]
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=heading)).to_be_visible(timeout=60_000)
    assert_inert(page, requested)
