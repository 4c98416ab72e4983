"""The app under test reads the small lake through ``SCANLAKE_LAKE_URI``."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import auth
from lake import LakeLocation
from tests.fixtures.small_lake import SmallLake, build_small_lake

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")


@pytest.fixture(scope="session")
def app_lake(tmp_path_factory: pytest.TempPathFactory) -> SmallLake:
    return build_small_lake(LakeLocation(str(tmp_path_factory.mktemp("app") / "lake")))


@pytest.fixture
def app_env(app_lake: SmallLake, monkeypatch: pytest.MonkeyPatch) -> SmallLake:
    monkeypatch.setenv("SCANLAKE_LAKE_URI", app_lake.location.uri)
    # No tile server is reachable from tests (nor should one be asked): the offline basemap.
    monkeypatch.setenv("SCANLAKE_MAP_STYLE", "offline")
    for name in ("SCANLAKE_DASHBOARD_AUTH", "SCANLAKE_DASHBOARD_PASSWORD", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith("SCANLAKE_DASHBOARD_")]:
        monkeypatch.delenv(name)
    auth.reset_throttles()
    return app_lake


def open_app(page: str | None = None, user: dict | None = None, **query: str) -> AppTest:
    # Collected here, in the main thread: a connection an earlier test left to the garbage
    # collector (SQLite refuses to close in another thread) raising while the app's script
    # thread compiles the page trips CPython 3.11's "AST constructor recursion depth
    # mismatch" (python/cpython#106905), and the page never runs.
    gc.collect()
    at = AppTest.from_file(APP, default_timeout=60)
    if user is not None:
        at.user = user
    if page:
        at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def call_page_as(password: str | None, uid: str, day: str) -> AppTest:
    """The Call page of ``uid`` after signing in with ``password`` (None: auth is off)."""
    at = open_app()
    if password is not None:
        at.text_input[0].input(password)
        at.button[0].click().run()
    at.switch_page("views/call.py")
    at.query_params["call"] = uid
    at.query_params["date"] = day
    at.run()
    assert not at.exception and at.title[0].value == "Call detail"
    return at
