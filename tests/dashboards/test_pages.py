"""Every page of the app, run by Streamlit's AppTest against the small lake."""

from __future__ import annotations

import datetime as dt
import json
import time

import pyarrow as pa

from dashboards import data
from dashboards.markdown import md
from lake import LakeLocation, delta, objects
from lake.objects import ObjectStore
from lake.tables import RAW_CALLS
from tests.dashboards.conftest import open_app
from tests.fixtures.small_lake import (
    LEAD_S,
    OTHER_MODEL,
    SCENARIOS,
    TALKGROUPS,
    WORD_S,
    build_small_lake,
)


def audio_protos(at):
    return [a.proto for a in at.get("audio")]


def deck_specs(at) -> list[dict]:
    return [json.loads(d.proto.json) for d in at.get("deck_gl_json_chart")]


def in_last(app_env, hours: float) -> list[str]:
    since = app_env.now - dt.timedelta(hours=hours)
    return sorted(
        (u for u, t in app_env.start_of.items() if t >= since),
        key=app_env.start_of.get,
        reverse=True,
    )


def test_live_page_lists_newest_calls_with_players(app_env):
    at = open_app()
    at.slider[0].set_value(5).run()
    newest = in_last(app_env, 24)[:5]
    assert len(audio_protos(at)) == 5
    heads = [m.value for m in at.markdown if m.value.startswith("**")]
    # each talkgroup's name beside its id (no aliases imported: the recorder's tag)
    expected = [md(f"{TALKGROUPS[int(uid.split('-')[1])][0]} ({uid.split('-')[1]})") for uid in newest]
    assert [h.split("**")[1] for h in heads] == expected
    texts = [m.value for m in at.markdown]
    assert any(t.startswith("Engine 12 Medics 4 respond") for t in texts)  # newest model's text
    assert "*(not transcribed yet)*" in texts  # the call whose audio was quarantined
    assert any(c.value.startswith("5 newest calls") for c in at.caption)


def test_live_page_agency_filter(app_env):
    at = open_app()
    at.slider[0].set_value(100).run()
    at.multiselect[0].set_value(["EMS"]).run()
    heads = [m.value for m in at.markdown if m.value.startswith("**")]
    ems = [u for u in in_last(app_env, 24) if u.split("-")[1] == "2001"]
    head = f"**{md('EMS Dispatch (2001)')}** · EMS"
    assert heads and all(h == head for h in heads) and len(heads) == len(ems)


def test_live_page_shows_a_call_within_the_staleness_bound_of_its_commit(tmp_path, monkeypatch):
    """The app's connection reads pinned snapshots; a call committed while the Live page is
    open must appear within ``data.STALENESS_BOUND_S`` (snapshot age + cache TTL)."""
    small = build_small_lake(LakeLocation(str(tmp_path / "lake")))
    monkeypatch.setenv("SCANLAKE_LAKE_URI", small.location.uri)
    for name in ("SCANLAKE_DASHBOARD_AUTH", "SCANLAKE_DASHBOARD_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    at = open_app()
    assert not any("Late Call" in m.value for m in at.markdown)
    store = ObjectStore(small.location)
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    uid = f"late-9999-{int(start.timestamp())}"
    key = objects.audio_key(objects.RAW_AUDIO, "late", start.date(), uid, "wav")
    store.put(key, store.get(delta.read(small.location, RAW_CALLS)["audio_key"][0].as_py()))
    row = dict(
        call_uid=uid,
        call_date=start.date(),
        call_hour=start.hour,
        system="late",
        talkgroup=9999,
        talkgroup_tag="Late Call",
        start_time=start,
        duration_s=2.0,
        audio_key=key,
        units=None,  # a delivery without unit ids (an upload with no sources)
        audio_bytes=1,
        source="test",
        ingested_at=start,
    )
    delta.merge(small.location, RAW_CALLS, pa.Table.from_pylist([row], schema=RAW_CALLS.schema))
    committed = time.monotonic()
    # one rerun may start just before the bound, and a rerun takes a few seconds here
    deadline = committed + data.STALENESS_BOUND_S + 5.0
    while not any(m.value.startswith("**" + md("Late Call (9999)")) for m in at.markdown):
        assert time.monotonic() < deadline, f"not shown {data.STALENESS_BOUND_S} s after its commit"
        time.sleep(0.5)
        at.run()
    assert not at.exception


def test_map_page_layers_filters_and_tooltips(app_env):
    at = open_app("views/map.py")
    at.selectbox[0].set_value("Last 7 days").run()
    assert at.metric[0].label == "Places" and at.metric[0].value == "15"
    (spec,) = deck_specs(at)
    assert [layer["@@type"] for layer in spec["layers"]] == ["HeatmapLayer", "ScatterplotLayer"]
    points = spec["layers"][1]["data"]
    assert {p["call_uid"] for p in points} <= set(app_env.call_uids)
    assert "{snippet}" in json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)["html"]
    assert any(p["snippet"].startswith("Unit 23") for p in points)
    at.multiselect(key="map_inc").set_value(["MVA"]).run()
    assert at.metric[0].value == "3"
    assert all(p["incident_type"] == "MVA" for p in deck_specs(at)[0]["layers"][1]["data"])
    at.multiselect(key="map_layers").set_value(["Hexagons"]).run()
    assert [layer["@@type"] for layer in deck_specs(at)[0]["layers"]] == [
        "HexagonLayer",
        "ScatterplotLayer",
    ]


def test_search_page_highlights_and_starts_audio_at_the_hit(app_env):
    at = open_app("views/search.py")
    at.text_input(key="search_text").set_value('"working fire"').run()
    hits = [h.value for h in at.html]
    assert len(hits) == 3 and all("<mark>working fire</mark>" in h for h in hits)
    starts = [a.start_time for a in audio_protos(at)]
    assert starts == [int(LEAD_S + 4 * WORD_S)] * 3
    at.text_input(key="search_text").set_value('"fire working"').run()
    assert not at.html and any("No transcript" in i.value for i in at.info)


def test_call_page_plays_from_a_picked_word(app_env):
    uid = app_env.calls_of(0)[0]  # a call transcribed by both models
    at = open_app("views/call.py", call=uid, date=app_env.start_of[uid].date().isoformat())
    assert at.subheader[0].value == md("FD Dispatch (1001)") + " · Fire"  # the name beside the id
    assert at.selectbox(key="call_model").value == OTHER_MODEL
    at.selectbox(key="call_model").set_value("tiny.en").run()
    words = at.button_group[0]
    assert [label.split(" · ")[0] for label in words.options] == SCENARIOS[0].text.split()
    assert words.options[7] == f"structure · {LEAD_S + 7 * WORD_S:.1f}s"
    assert audio_protos(at)[0].start_time == 0 and not audio_protos(at)[0].autoplay
    words.set_value(7).run()  # "structure"
    (player,) = audio_protos(at)
    assert player.start_time == int(LEAD_S + 7 * WORD_S) and player.autoplay
    entities = at.dataframe[0].value
    assert list(entities["label"]) == ["UNIT", "UNIT", "INCIDENT_TYPE", "ADDRESS"]
    (places,) = deck_specs(at)
    assert places["layers"][0]["data"][0]["place"] == "1220 OAK ST"


def test_call_page_shows_readable_text_with_the_unit_that_spoke(app_env):
    uid = app_env.calls_of(0)[0]
    at = open_app("views/call.py", call=uid, date=app_env.start_of[uid].date().isoformat())
    at.selectbox(key="call_model").set_value("tiny.en").run()
    shown = [m.value for m in at.markdown]
    assert "**Transcript**" in shown
    # each word's unit_id, named beside its id
    expected = "**" + md("Dispatch A (4101)") + ":** " + md(SCENARIOS[0].text)
    assert expected in shown, shown
    assert at.button_group[0].options  # the word chips stay beside the text


def test_call_page_unknown_call(app_env):
    at = open_app("views/call.py", call="clarkco-1-2")
    assert [e.value for e in at.error] == [r"No call clarkco\-1\-2 in the lake."]
    assert not at.get("audio")


def test_analytics_page(app_env):
    at = open_app("views/analytics.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Calls"] == str(len(app_env.start_of))
    units = at.dataframe[0].value
    assert list(units["unit"][:2]) == ["Car 31", "Medic 7"]
    patterns = at.dataframe[1].value.set_index("incident_type")
    assert patterns.loc["STRUCTURE_FIRE", "calls"] == 6
    quality = at.dataframe[2].value
    assert set(quality["model_id"]) == {"tiny.en", OTHER_MODEL}


def test_health_page(app_env):
    at = open_app("views/health.py")
    fresh = at.dataframe[0].value.set_index("table_name")
    assert fresh.loc["raw_calls", "exists"] and fresh.loc["raw_calls", "files"] >= 1
    assert not fresh.loc["gazetteer", "exists"]
    summary = at.dataframe[1].value
    assert dict(zip(summary["reason"], summary["items"], strict=True))["malformed_json"] == 2
    assert any("DAGSTER_HOME" in c.value for c in at.caption)
