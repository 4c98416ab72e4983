"""Nothing is retried forever: calls whose runs keep failing are quarantined as
retries_exhausted with the last error, and their source moves on."""

from __future__ import annotations

import dagster as dg

from assets.raw.assets import raw_calls
from assets.raw.sensors import MAX_INGEST_ATTEMPTS, landing_sensor, trunk_recorder_sensor
from lake import delta
from lake.tables import RAW_CALLS, RAW_QUARANTINE
from resources.landing import LandingZone
from resources.trunk_recorder.format import write_call
from resources.trunk_recorder.resource import TrunkRecorderSource
from tests.assets.raw.test_raw_calls_asset import meta, wav_bytes
from tests.assets.raw.test_sensors import _make_run


def _fail_until_given_up(sensor, instance, **resources) -> dg.SensorResult:
    cursor = None
    for attempt in range(MAX_INGEST_ATTEMPTS + 1):
        with dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources) as ctx:
            result = sensor(ctx)
        configs = [r.run_config["ops"]["raw_calls"]["config"] for r in result.run_requests]
        assert result.run_requests, f"attempt {attempt}: nothing requested"
        if any("retries_exhausted" in c for c in configs):
            assert attempt == MAX_INGEST_ATTEMPTS
            return result
        for request in result.run_requests:
            _make_run(instance, request, dg.DagsterRunStatus.FAILURE)
        cursor = result.cursor
    raise AssertionError(f"still retried after {MAX_INGEST_ATTEMPTS + 1} failed runs")


def _materialize(result, instance, lake_resource, source) -> None:
    for request in result.run_requests:
        assert dg.materialize(
            [raw_calls],
            partition_key=request.partition_key,
            run_config=request.run_config,
            tags=request.tags,
            instance=instance,
            resources={"lake": lake_resource, "trunk_recorder": source},
        ).success


def test_a_landing_call_that_keeps_failing_is_quarantined(lake_resource):
    landing = LandingZone(lake_resource.objects)
    key = landing.put("upload", meta(501), wav_bytes(), "wav")
    with dg.instance_for_test() as instance:
        result = _fail_until_given_up(landing_sensor, instance, lake=lake_resource)
        _materialize(result, instance, lake_resource, TrunkRecorderSource())
    [row] = delta.read(lake_resource.location, RAW_QUARANTINE).to_pylist()
    assert (row["source_ref"], row["reason"]) == (key, "retries_exhausted")
    assert "run" in row["detail"]
    assert delta.read(lake_resource.location, RAW_CALLS).num_rows == 0
    assert landing.pending() == []  # set aside under rejected/, not requested again


def test_a_capture_window_that_keeps_failing_is_quarantined_and_passed(lake_resource, tmp_path):
    capture = tmp_path / "capture"
    _, json_path = write_call(capture, meta(601), wav_bytes(), "wav")
    source = TrunkRecorderSource(capture_dirs=[str(capture)], settle_s=0)
    with dg.instance_for_test() as instance:
        result = _fail_until_given_up(trunk_recorder_sensor, instance, trunk_recorder=source)
        _materialize(result, instance, lake_resource, source)
        with dg.build_sensor_context(instance=instance, cursor=result.cursor, resources={"trunk_recorder": source}) as ctx:
            after = trunk_recorder_sensor(ctx)
        assert after.run_requests == []  # the watermark moved past the given-up window
    [row] = delta.read(lake_resource.location, RAW_QUARANTINE).to_pylist()
    assert (row["source_ref"], row["reason"]) == (str(json_path), "retries_exhausted")
