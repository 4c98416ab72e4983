"""Imported aliases on the app's pages: unit and talkgroup names beside their ids on Live,
Call, Search, the Map's tooltips and Alerts, escaped like every other source label."""

from __future__ import annotations

import datetime as dt
import html
import json
import os

import pytest

from assets.aliases.imports import import_files, write
from assets.incidents.partition import group_partition
from dashboards import auth
from dashboards.markdown import md
from lake import LakeLocation
from lake.tables import TALKGROUP_ALIASES, UNIT_ALIASES
from resources.aliases import AliasFile
from tests.dashboards.conftest import open_app
from tests.fixtures.incident_lake import SYSTEM, write_calls
from tests.fixtures.scenarios import MODEL
from tests.fixtures.small_lake import SCENARIOS, SmallLake, build_small_lake

# user text with Markdown and HTML in it: shown as written, never rendered
UNIT = "Dispatch *Alpha* <b>"  # unit 4101, who says every word of scenario 0
TALKGROUP = "Clark [Fire] Main"  # talkgroup 1001
FILES = {
    "units.csv": f"4101,{UNIT}\n/^41(0[0-9])$/,Desk $1\n",
    "tgs.csv": f"Decimal,Hex,Alpha Tag,Mode,Description\n1001,3e9,{TALKGROUP},D,Fire Dispatch\n",
}


@pytest.fixture(scope="module")
def aliased_lake(tmp_path_factory: pytest.TempPathFactory) -> SmallLake:
    small = build_small_lake(LakeLocation(str(tmp_path_factory.mktemp("aliases") / "lake")))
    now = dt.datetime.now(dt.UTC)
    for spec, name in ((UNIT_ALIASES, "units.csv"), (TALKGROUP_ALIASES, "tgs.csv")):
        write(
            small.location,
            import_files(spec, [AliasFile("clarkco", name)], now, read=FILES.__getitem__),
        )
    return small


@pytest.fixture
def env(aliased_lake: SmallLake, monkeypatch: pytest.MonkeyPatch) -> SmallLake:
    monkeypatch.setenv("SCANLAKE_LAKE_URI", aliased_lake.location.uri)
    monkeypatch.setenv("SCANLAKE_MAP_STYLE", "offline")
    for name in [n for n in os.environ if n.startswith("SCANLAKE_DASHBOARD_")] + ["DAGSTER_HOME"]:
        monkeypatch.delenv(name, raising=False)
    auth.reset_throttles()
    return aliased_lake


def test_aliases_on_the_live_page(env):
    at = open_app()
    at.slider[0].set_value(100).run()
    heads = [m.value for m in at.markdown if m.value.startswith("**")]
    assert f"**{md(TALKGROUP + ' (1001)')}** · Fire" in heads
    captions = [c.value for c in at.caption]
    assert "Units: " + md(f"{UNIT} (4101)") in captions


def test_aliases_on_the_call_page_name_each_passages_unit(env):
    uid = env.calls_of(0)[0]
    at = open_app("views/call.py", call=uid, date=env.start_of[uid].date().isoformat())
    at.selectbox(key="call_model").set_value("tiny.en").run()
    shown = [m.value for m in at.markdown]
    assert "**" + md(f"{UNIT} (4101)") + ":** " + md(SCENARIOS[0].text) in shown
    assert at.subheader[0].value.startswith(md(f"{TALKGROUP} (1001)"))


def test_aliases_on_search_map_and_alerts(env):
    at = open_app("views/search.py")
    at.text_input(key="search_text").set_value('"structure fire"').run()
    assert any(m.value.startswith(f"**{md(TALKGROUP + ' (1001)')}**") for m in at.markdown)

    at = open_app("views/map.py")
    points = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][-1]["data"]
    assert html.escape(f"{TALKGROUP} (1001)") in {p["talkgroup_name"] for p in points}
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)["html"]
    assert "{talkgroup_name}" in tooltip

    at = open_app("views/alerts.py")
    assert any(md(f"{TALKGROUP} (1001)") in m.value for m in at.markdown)


def test_aliases_on_the_incidents_page(tmp_path, monkeypatch):
    lake = LakeLocation(str(tmp_path / "lake"))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = now - dt.timedelta(hours=1)
    write_calls(lake, start)
    for day in sorted({start.date(), now.date()}):
        group_partition(lake, day, now, MODEL)
    # the fire's first call was keyed by unit 5000, tagged "Dispatch A" by the recorder
    files = {
        "u.csv": "5000,County Fire Desk\n",
        "t.csv": "Decimal,Alpha Tag,Mode\n1001,Fire Ops 1,D\n",
    }
    for spec, name in ((UNIT_ALIASES, "u.csv"), (TALKGROUP_ALIASES, "t.csv")):
        write(lake, import_files(spec, [AliasFile(SYSTEM, name)], now, read=files.__getitem__))
    monkeypatch.setenv("SCANLAKE_LAKE_URI", lake.uri)
    for name in [n for n in os.environ if n.startswith("SCANLAKE_DASHBOARD_")] + ["DAGSTER_HOME"]:
        monkeypatch.delenv(name, raising=False)
    at = open_app("views/incidents.py")
    heads = [m.value for m in at.markdown if m.value.startswith("**+")]
    assert heads[0] == f"**+00:00** · {md('Fire Ops 1 (1001)')}"
    assert "Heard: " + md("County Fire Desk (5000)") in [c.value for c in at.caption]


def test_aliases_in_the_maps_talkgroup_filter(env):
    at = open_app("views/map.py")
    at.selectbox[0].set_value("Last 7 days").run()
    picker = at.multiselect(key="map_tg")
    # the alias as written: a multiselect's options are plain text, never Markdown
    assert f"{TALKGROUP} (1001)" in picker.options
    # a talkgroup without an alias keeps the recorder's tag beside its id
    assert all(o.endswith(")") and not o.startswith("None") for o in picker.options)
    picker.set_value(["1001"]).run()
    points = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][-1]["data"]
    assert points and {p["talkgroup_name"] for p in points} == {html.escape(f"{TALKGROUP} (1001)")}
