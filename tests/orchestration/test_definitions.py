"""The one Definitions loads, as ``dagster dev`` would load it through workspace.yaml."""

import subprocess
import sys

import dagster as dg

from orchestration.definitions import defs


def test_definitions_load_and_resolve():
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    assert dg.AssetKey("raw_calls") in graph.get_all_asset_keys()
    assert {s.name for s in defs.sensors} >= {"trunk_recorder_sensor", "landing_sensor", "broadcastify_sensor"}


def test_every_partitioned_asset_shares_the_call_date_partitions():
    from assets.partitions import call_date_partitions

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if node.partitions_def is not None:
            assert node.partitions_def == call_date_partitions, key


def test_workspace_loads_with_the_dagster_cli(tmp_path):
    env_home = tmp_path / "home"
    env_home.mkdir()
    (env_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    result = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "DAGSTER_HOME": str(env_home)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Validation successful" in result.stderr + result.stdout


BLOCKING = {
    "raw_calls:unique_call_uid",
    "normalized_audio:every_call_in_exactly_one_table",
    "transcripts:unique_transcript_per_model",
    "transcript_words:unique_word_index",
    # incident alerts rely on each call being in one incident
    "incidents:incident_links_one_to_one",
}


def _names(keys: object) -> set[str]:
    return {k.to_user_string() for k in keys}  # type: ignore[attr-defined]


def test_the_live_job_runs_every_layer_in_process_with_only_the_blocking_checks():
    live = defs.resolve_job_def("live")
    assert live.executor_def.name == "in_process"
    assert live.tags == {"scanlake/lane": "live"}
    graph = defs.resolve_asset_graph()
    every_layer = dg.AssetSelection.assets("raw_calls").downstream().without_checks().resolve(graph)
    assert set(live.asset_layer.selected_asset_keys) == every_layer
    assert _names(live.asset_layer.asset_graph.asset_check_keys) == BLOCKING
    for sensor in ("trunk_recorder_sensor", "landing_sensor"):
        assert defs.resolve_sensor_def(sensor).job_name == "live"


def test_the_checks_the_live_job_skips_run_on_todays_partition_every_15_minutes():
    import datetime as dt

    quality = defs.resolve_job_def("quality_checks")
    graph = defs.resolve_asset_graph()
    every_check = _names(dg.AssetSelection.assets("raw_calls").downstream().resolve_checks(graph))
    assert len(every_check) > len(BLOCKING)
    assert _names(quality.asset_layer.asset_graph.asset_check_keys) == every_check - BLOCKING
    assert not quality.asset_layer.selected_asset_keys
    schedule = defs.resolve_schedule_def("live_quality_checks")
    assert schedule.cron_schedule == "*/15 * * * *"
    at = dt.datetime(2026, 3, 4, 23, 45, tzinfo=dt.UTC)
    [request] = schedule.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=at, repository_def=defs.get_repository_def())).run_requests
    assert request.tags["dagster/partition"] == "2026-03-04"


def test_alias_tables_are_assets_imported_when_their_files_change():
    from lake.tables import TALKGROUP_ALIASES, UNIT_ALIASES

    keys = defs.resolve_asset_graph().get_all_asset_keys()
    assert {dg.AssetKey(UNIT_ALIASES.name), dg.AssetKey(TALKGROUP_ALIASES.name)} <= keys
    assert "alias_files_changed" in {s.name for s in defs.sensors}
