"""Every lake table is an asset in the one Definitions, produced by a step of its own
layer: none is written out of sight of the lineage."""

import datetime as dt
import inspect
import typing

import dagster as dg
import pyarrow as pa
import pytest

from assets.raw.quality import QUARANTINE_REASONS, quarantine_reasons
from lake.tables import TABLES
from orchestration.definitions import defs

GRAPH = defs.resolve_asset_graph()


# Written synchronously by `scanlake redact` and the dashboard's admin action, outside any
# run (a takedown must not wait for a daemon): declared as an external asset, by design.
WRITTEN_OUTSIDE_RUNS = {"redactions"}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_is_an_asset_key_some_asset_produces(name: str):
    key = dg.AssetKey(name)
    assert key in GRAPH.get_all_asset_keys(), f"{name} is in lake.tables but no asset declares it"
    node = GRAPH.get(key)
    if name in WRITTEN_OUTSIDE_RUNS:
        assert node.is_external and not node.is_materializable
        return
    assert node.is_materializable, f"{name} is only an external spec: no step produces it"
    assert not node.is_external


def test_only_the_takedown_audit_is_written_outside_runs():
    external = {k.to_user_string() for k in GRAPH.get_all_asset_keys() if GRAPH.get(k).is_external}
    assert external == WRITTEN_OUTSIDE_RUNS


def test_each_quarantine_and_record_table_comes_from_the_step_that_writes_it():
    # (table, the op of the step that writes it, beside the layer's main table)
    for table, op in (
        ("raw_quarantine", "raw_calls"),
        ("audio_quarantine", "normalized_audio"),
        ("entity_extractions", "entities"),
        ("geocode_cache", "locations"),
        ("call_incidents", "incidents"),
        ("tone_scans", "tones_layer"),
    ):
        assets_def = GRAPH.get(dg.AssetKey(table)).assets_def
        assert assets_def.node_def.name == op, table
        assert GRAPH.get(dg.AssetKey(table)).partitions_def is not None, table


def test_the_live_job_materializes_the_quarantines_with_their_layers():
    live = defs.resolve_job_def("live")
    selected = {k.to_user_string() for k in live.asset_layer.selected_asset_keys}
    assert {"raw_quarantine", "audio_quarantine", "entity_extractions", "geocode_cache"} <= selected


def test_a_step_run_for_its_main_table_alone_still_records_its_other_table(lake_resource, tmp_path):
    # A selection of raw_calls alone (the CLI's ingest, a Celery burst) stays valid; the
    # step writes raw_quarantine anyway, and its materialization is logged, not dropped.
    from assets.raw.assets import raw_calls
    from resources.trunk_recorder.resource import TrunkRecorderSource

    capture = tmp_path / "capture"
    capture.mkdir()
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [raw_calls],
            selection=["raw_calls"],
            partition_key="2026-11-02",
            instance=instance,
            resources={"lake": lake_resource, "trunk_recorder": TrunkRecorderSource(capture_dirs=[str(capture)])},
        )
        assert result.success
        quarantine = instance.get_latest_materialization_event(dg.AssetKey("raw_quarantine"))
        assert quarantine is not None
        assert quarantine.asset_materialization.partition == "2026-11-02"


def test_every_malformed_call_reason_is_a_known_quarantine_reason():
    # the check warns on a code outside the set: every typed error's code must be in it
    import resources.broadcastify.poller
    import resources.landing
    import resources.trunk_recorder.folder  # noqa: F401 - imported for their subclasses
    from resources.calls import MalformedCall

    def subclasses(cls: type) -> list[type]:
        return [c for s in cls.__subclasses__() for c in (s, *subclasses(s))]

    samples = {str: "x", float: 1.0, dt.date: dt.date(2026, 1, 1)}
    codes = set()
    for cls in subclasses(MalformedCall):
        if cls.__init__ is MalformedCall.__init__:
            continue  # takes its reason as an argument: no code of its own
        hints = typing.get_type_hints(cls.__init__)
        params = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
        codes.add(cls(*(samples[hints[p]] for p in params)).reason)
    assert len(codes) >= 9
    assert codes <= QUARANTINE_REASONS, codes - QUARANTINE_REASONS


def test_quarantine_reasons_flags_empty_and_unknown_reasons():
    rows = pa.table(
        {
            "source_ref": ["a", "b", "", "d"],
            "reason": ["malformed_json", "", "too_large", "made_up"],
        }
    )
    found = quarantine_reasons(rows)
    assert found.empty == 2
    assert found.unknown == {"made_up": 1}
    assert not found.passed
    assert quarantine_reasons(rows.slice(0, 1)).passed
