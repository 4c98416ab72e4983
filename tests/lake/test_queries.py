"""The query layer against a small lake with every layer filled (tests/fixtures/small_lake)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from lake import LakeLocation
from lake import queries as q
from lake.queries.search_query import EmptySearch, highlight_spans, parse_query
from tests.fixtures.small_lake import (
    N_CALLS,
    OTHER_MODEL,
    SCENARIOS,
    WORD_S,
    SmallLake,
    build_small_lake,
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> SmallLake:
    return build_small_lake(LakeLocation(str(tmp_path_factory.mktemp("q") / "lake")))


@pytest.fixture(scope="module", params=["open_lake", "open_sandbox"])
def con(data: SmallLake, request: pytest.FixtureRequest) -> duckdb.DuckDBPyConnection:
    """Every named query runs on the app's connection and on ad-hoc SQL's sandbox alike."""
    return getattr(q, request.param)(data.location)


@pytest.fixture(scope="module")
def window(data: SmallLake) -> q.Window:
    return q.Window(data.now - dt.timedelta(days=3), data.now + dt.timedelta(minutes=1))


def scenario_of(data: SmallLake, frame: pd.DataFrame) -> list[int]:
    return [data.scenario_of[uid] for uid in frame["call_uid"]]


def test_latest_calls_are_newest_first_with_transcript_incident_units_and_audio(data, con, window):
    calls = q.latest_calls(con, window, limit=10)
    newest = sorted(data.start_of, key=data.start_of.__getitem__, reverse=True)
    assert list(calls["call_uid"]) == newest[:10]
    first = calls.iloc[0]
    # call 0 has two transcripts; the newer (base.en) one is shown
    assert first["model_id"] == OTHER_MODEL
    assert first["transcript"].startswith("Engine 12 Medics 4")
    assert first["incident_type"] == "STRUCTURE_FIRE"
    assert list(first["units"]) == ["Dispatch A"]
    assert first["audio_key"].startswith("audio/normalized/") and first["audio_key"].endswith(
        ".flac"
    )
    # the quarantined call has no transcript and plays its raw audio
    bad = calls.set_index("call_uid").loc[data.quarantined_uid]
    assert pd.isna(bad["transcript"]) and bad["audio_key"].startswith("audio/raw/")


def test_latest_calls_filters_and_window(data, con, window):
    police = q.latest_calls(con, window, limit=100, agencies=["Police"])
    assert set(police["agency"]) == {"Police"}
    assert len(police) == sum(SCENARIOS[s].talkgroup >= 3000 for s in data.scenario_of.values()) + 1
    tg = q.latest_calls(con, window, limit=100, talkgroups=[2001])
    assert set(tg["talkgroup"]) == {2001} and len(tg) == N_CALLS // len(SCENARIOS) * 2
    recent = q.latest_calls(con, q.Window(data.now - dt.timedelta(hours=3), data.now), limit=100)
    expected = {u for u, t in data.start_of.items() if t >= data.now - dt.timedelta(hours=3)}
    assert set(recent["call_uid"]) == expected and len(expected) == 3


def test_map_points_have_coordinates_snippets_and_filters(data, con, window):
    points = q.map_points(con, window)
    assert len(points) == 15  # five places per round of scenarios, three rounds
    assert points["lat"].between(39.9, 40.1).all() and points["lon"].between(-105.4, -105.1).all()
    assert (points["snippet"].str.len() <= 160).all() and points["snippet"].notna().all()
    mva = q.map_points(con, window, incident_types=["MVA"])
    assert set(mva["precision"]) == {"intersection"} and len(mva) == 3
    fire = q.map_points(con, window, agencies=["Fire"], incident_types=["STRUCTURE_FIRE"])
    assert set(fire["place"]) == {"1220 OAK ST"}
    assert q.map_points(con, window, talkgroups=[3002]).empty  # traffic stops have no address


def test_filter_options_count_calls(data, con, window):
    options = q.filter_options(con, window)
    agencies = options[options.kind == "agency"].set_index("value")["calls"].to_dict()
    assert agencies == {"Police": 13, "Fire": 9, "EMS": 6}
    incidents = options[options.kind == "incident_type"].set_index("value")["calls"]
    assert incidents["STRUCTURE_FIRE"] == 6 and incidents["MVA"] == 3


def test_call_detail_words_entities_and_locations(data, con):
    uid = data.calls_of(0)[-1]
    day = data.start_of[uid].date()
    detail = q.call_detail(con, uid, day)
    assert detail is not None and detail["talkgroup"] == 1001 and detail["agency"] == "Fire"
    assert q.call_detail(con, uid) == detail  # the date is looked up when not given
    assert q.call_detail(con, "nope-1-2") is None
    words = q.call_words(con, uid, "tiny.en", day)
    assert list(words["word"]) == SCENARIOS[0].text.split()
    assert words["start_s"].is_monotonic_increasing
    assert words.loc[words.word == "structure", "start_s"].item() == pytest.approx(0.5 + 7 * WORD_S)
    entities = q.call_entities(con, uid, day)
    assert list(entities["label"]) == ["UNIT", "UNIT", "INCIDENT_TYPE", "ADDRESS"]
    locations = q.call_locations(con, uid, day)
    assert list(locations["place"]) == ["1220 OAK ST"]
    assert len(q.call_transcripts(con, uid, day)) == 1  # calls past the 12th have one model


def test_search_phrases_rank_highlight_and_time(data, con, window):
    hits = q.search_calls(con, '"working fire"', window)
    assert sorted(hits["call_uid"]) == sorted(data.calls_of(6))
    text = hits.iloc[0]["text"]
    ((start, end),) = hits.iloc[0]["spans"]
    assert text[start:end] == "working fire"
    assert hits.iloc[0]["hit_start_s"] == pytest.approx(0.5 + 4 * WORD_S)
    assert all(key.startswith("audio/normalized/") for key in hits["audio_key"])
    # word order matters inside quotes, not outside
    assert q.search_calls(con, '"fire working"', window).empty
    assert len(q.search_calls(con, "fire working", window)) == 3
    # shorter transcripts rank first for the same term frequency
    fire = q.search_calls(con, "fire", window)
    assert fire["score"].is_monotonic_decreasing
    assert scenario_of(data, fire) == [6, 6, 6, 0, 0, 0]


def test_search_requires_every_phrase_and_window(data, con):
    both = q.search_calls(con, '"structure fire" oak', q.Window.last(72, data.now))
    assert set(scenario_of(data, both)) == {0}
    assert q.search_calls(con, '"structure fire" maple', q.Window.last(72, data.now)).empty
    newest = q.search_calls(con, "engine", q.Window(data.now - dt.timedelta(minutes=10), data.now))
    assert list(newest["call_uid"]) == [data.call_uids[0]]


def test_search_treats_user_text_as_data(data, con, window):
    assert q.search_calls(con, "'; DROP VIEW raw_calls; --", window).empty
    assert q.search_calls(con, "fire.* (", window)["call_uid"].nunique() == 6
    assert len(q.latest_calls(con, window)) > 0
    with pytest.raises(EmptySearch):
        q.search_calls(con, '  "" ...', window)


def test_search_ranking_is_exact_whatever_the_pool(data, con, window, monkeypatch):
    """The ranking first reduces only a pool of the best-scoring transcripts; a pool too
    small for the window, the limit or superseded transcripts must fall back, not differ."""
    from lake.queries import search

    cases = [
        (text, w, limit)
        for text in ("fire", "engine respond", "medic", "oak")
        for w in (window, q.Window(data.now - dt.timedelta(hours=20), data.now))
        for limit in (1, 2, 4)
    ]
    monkeypatch.setattr(search, "POOL_PER_HIT", 10**9)
    whole = [q.search_calls(con, text, w, limit=limit) for text, w, limit in cases]
    verdicts: list[bool] = []
    checked = search._pool_was_enough
    monkeypatch.setattr(
        search, "_pool_was_enough", lambda r, n: verdicts.append(checked(r, n)) or verdicts[-1]
    )
    monkeypatch.setattr(search, "POOL_PER_HIT", 1)
    for (text, w, limit), expected in zip(cases, whole, strict=True):
        got = q.search_calls(con, text, w, limit=limit)
        assert list(got["call_uid"]) == list(expected["call_uid"]), (text, limit)
        assert list(got["score"]) == list(expected["score"])
    assert False in verdicts and True in verdicts  # both paths ran


@pytest.mark.parametrize("text", ['"structure fire" oak', "medic", "10-50", '"adam boy charles"'])
def test_search_strategies_agree(data, con, window, text):
    by_text = q.search_calls(con, text, window)
    by_words = q.search_words(con, text, window)
    assert not by_text.empty
    assert sorted(by_words["call_uid"]) == sorted(by_text["call_uid"])
    assert list(by_words["hit_start_s"]) == list(by_text["hit_start_s"])


def test_fts_index_search_agrees(data, window):
    con = q.open_lake(data.location)
    assert q.build_search_index(con, window) == N_CALLS + 12
    for text in ('"structure fire" oak', "1220", "ladder"):
        assert sorted(q.search_fts(con, text, window)["call_uid"]) == sorted(
            q.search_calls(con, text, window)["call_uid"]
        )


def test_parse_query_and_highlights():
    query = parse_query('Engine "Structure  Fire," 1220 oak\'s fire "10-50" "10 50"')
    assert query.phrases == (("structure", "fire"), ("10-50",), ("engine",), ("1220",), ("oak's",))
    import re

    spans = highlight_spans("a structure fire, structure\nfire", [re.compile(query.patterns[0])])
    assert spans == [(2, 16), (18, 32)]


def test_analytics(data, con, window):
    per_hour = q.calls_per_hour(con, window)
    assert per_hour["calls"].sum() == N_CALLS + 1
    units = q.busiest_units(con, window, limit=3)
    assert list(units["unit"][:2]) == ["Car 31", "Medic 7"] and list(units["calls"][:2]) == [6, 6]
    incidents = q.incident_types_over_time(con, window, "day")
    assert incidents.groupby("incident_type")["calls"].sum().to_dict()["STRUCTURE_FIRE"] == 6
    with pytest.raises(ValueError):
        q.incident_types_over_time(con, window, "fortnight")
    patterns = q.response_patterns(con, window).set_index("incident_type")
    assert patterns.loc["STRUCTURE_FIRE", "calls"] == 6
    assert patterns.loc["STRUCTURE_FIRE", "emergency_share"] == pytest.approx(0.5)
    assert patterns.loc["MEDICAL", "avg_radio_units"] == pytest.approx(2.0)
    activity = q.activity_by_hour(con, window)
    assert activity["calls"].sum() == N_CALLS + 1 and activity["hour_utc"].between(0, 23).all()


def test_transcription_quality_and_models(data, con, window):
    quality = q.transcription_quality(con, window).set_index(["talkgroup", "model_id"])
    # EMS: 3 fall-victim calls and 3 silent calls (flagged, empty) under tiny.en
    ems = quality.loc[(2001, "tiny.en")]
    assert ems["transcripts"] == 6
    assert ems["flagged_share"] == pytest.approx(0.5) and ems["empty_share"] == pytest.approx(0.5)
    flags = q.flag_counts(con, window)
    assert set(flags["flag"]) == {"no_speech", "phantom_phrase"}
    both = q.transcripts_by_model(con, window)
    assert set(both["model_id"]) == {"tiny.en", OTHER_MODEL} and len(both) == N_CALLS + 12
    only = q.transcripts_by_model(con, window, models=[OTHER_MODEL])
    assert len(only) == 12


def test_health(data, con, window):
    fresh = q.freshness(con, data.location, window).set_index("table_name")
    raw = fresh.loc["raw_calls"]
    assert raw["exists"] and raw["version"] >= 0 and raw["files"] >= 1
    newest = max(data.start_of.values()) + dt.timedelta(seconds=10)
    assert abs((raw["newest_row_at"] - newest).total_seconds()) < 5
    assert not fresh.loc["geocode_cache", "exists"]
    summary = q.quarantine_summary(con, window)
    counts = summary.set_index(["stage", "reason"])["items"].to_dict()
    assert counts == {
        ("raw", "malformed_json"): 2,
        ("raw", "missing_audio"): 1,
        ("audio:probe", "silent"): 1,
    }
    recent = q.recent_quarantine(con, window, limit=2)
    assert list(recent["reason"]) == ["malformed_json", "missing_audio"]


def test_run_sql_is_read_only(data, tmp_path: Path):
    con = q.open_sandbox(data.location)
    assert q.run_sql(con, "SELECT count(*) AS n FROM raw_calls")["n"].item() == N_CALLS + 1
    assert (
        q.run_sql(con, "SELECT count(*) AS n FROM raw_calls WHERE talkgroup = ?", [1001])[
            "n"
        ].item()
        == 3
    )
    for sql in (
        "CREATE TABLE x AS SELECT 1",
        "DROP VIEW raw_calls",
        f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'",
        "SELECT 1; DROP VIEW raw_calls",
        "ATTACH ':memory:' AS other",
        "SET threads = 1",
    ):
        with pytest.raises(q.NotReadOnly):
            q.run_sql(con, sql)
    assert not (tmp_path / "out.csv").exists()
    with pytest.raises(duckdb.ParserException):
        q.run_sql(con, "SELEKT 1")
    # a PRAGMA that writes is refused like the statement it stands for
    with pytest.raises(q.NotReadOnly):
        q.run_sql(con, "PRAGMA threads = 1")
    assert len(q.latest_calls(con, q.Window.last(72, data.now))) > 0
    with pytest.raises(q.NotSandboxed):
        q.run_sql(q.open_lake(data.location), "SELECT 1")
