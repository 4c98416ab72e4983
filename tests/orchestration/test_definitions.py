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
    from assets.raw.partitions import call_date_partitions

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
