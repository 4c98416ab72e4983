"""Asset check results come from a real Dagster instance; map clicks and the start command."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from dashboards import launch
from dashboards.checks import recent_check_results
from dashboards.geo import POINTS_LAYER, selected_call
from tests.dashboards.conftest import open_app


@dg.asset
def demo_calls() -> int:
    return 3


@dg.asset_check(asset=demo_calls)
def demo_calls_have_audio() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=False, severity=dg.AssetCheckSeverity.WARN, description="2 calls lack audio"
    )


@dg.asset_check(asset=demo_calls)
def demo_calls_unique() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


def run_checks(home: Path) -> dg.DagsterInstance:
    instance = dg.DagsterInstance.from_config(str(home))
    result = dg.materialize(
        [demo_calls, demo_calls_have_audio, demo_calls_unique], instance=instance
    )
    assert result.success
    return instance


def test_recent_check_results_from_the_instance(tmp_path: Path):
    with run_checks(tmp_path) as instance:
        results = recent_check_results(instance).set_index("check")
    assert set(results.index) == {"demo_calls_have_audio", "demo_calls_unique"}
    failed = results.loc["demo_calls_have_audio"]
    assert not failed["passed"] and failed["severity"] == "WARN"
    assert failed["description"] == "2 calls lack audio" and failed["asset"] == "demo_calls"
    assert results.loc["demo_calls_unique", "passed"]


def test_health_page_shows_check_results(app_env, monkeypatch, tmp_path: Path):
    run_checks(tmp_path).dispose()
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    at = open_app("views/health.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Passed": "1", "Failed": "1"}
    checks = at.dataframe[-1].value
    assert set(checks["check"]) == {"demo_calls_have_audio", "demo_calls_unique"}


def test_selected_call_from_a_map_click():
    clicked = {
        "indices": {POINTS_LAYER: [0]},
        "objects": {POINTS_LAYER: [{"call_uid": "c-1-2", "call_date": "2026-01-02"}]},
    }
    assert selected_call(clicked) == ("c-1-2", "2026-01-02")
    assert selected_call({"indices": {}, "objects": {}}) is None
    assert selected_call({"objects": {"heat": [{"x": 1}]}}) is None
    assert selected_call(None) is None


def test_start_command():
    cmd = launch.command(port=8600, address="127.0.0.1")
    assert cmd[1:4] == ["-m", "streamlit", "run"] and Path(cmd[4]) == launch.APP
    assert cmd[cmd.index("--server.port") + 1] == "8600"
    assert cmd[cmd.index("--server.headless") + 1] == "true"
