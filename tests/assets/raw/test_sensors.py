"""The micro-batch sensors against a real (ephemeral) Dagster instance: what they request,
and that the cursor never moves past calls whose run did not succeed."""

import json
import os

import dagster as dg
from dagster._core.events import DagsterEvent, DagsterEventType

from assets.raw.sensors import BATCH_TAG, landing_sensor, trunk_recorder_sensor
from resources.landing import LandingZone
from resources.trunk_recorder.format import write_call
from resources.trunk_recorder.resource import TrunkRecorderSource
from tests.assets.raw.test_raw_calls_asset import meta, wav_bytes


def _tick(sensor, instance, cursor, **resources):
    with dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources) as ctx:
        return sensor(ctx)


def test_trunk_recorder_sensor_requests_one_run_per_day_and_waits_for_success(tmp_path):
    capture = tmp_path / "capture"
    _, first = write_call(capture, meta(301), wav_bytes(), "wav")
    old = first.stat().st_mtime_ns - 60 * 10**9
    os.utime(first, ns=(old, old))
    source = TrunkRecorderSource(capture_dirs=[str(capture)], settle_s=0)
    with dg.instance_for_test() as instance:
        result = _tick(trunk_recorder_sensor, instance, None, trunk_recorder=source)
        assert len(result.run_requests) == 1
        request = result.run_requests[0]
        assert request.partition_key == "2026-11-02"
        window = request.run_config["ops"]["raw_calls"]["config"]["capture_windows"][0]
        assert window == {"capture_dir": str(capture), "after": 0, "upto": old}

        # The run has not happened: the next tick asks for nothing new and keeps the cursor.
        again = _tick(trunk_recorder_sensor, instance, result.cursor, trunk_recorder=source)
        assert again.run_requests == []
        stored = json.loads(json.loads(again.cursor)[str(capture)])["stored"]
        assert stored == 0

        # The run fails: the same calls are requested again under a new batch.
        _make_run(instance, request, dg.DagsterRunStatus.FAILURE)
        retry = _tick(trunk_recorder_sensor, instance, again.cursor, trunk_recorder=source)
        windows = [r.run_config["ops"]["raw_calls"]["config"]["capture_windows"] for r in retry.run_requests]
        assert windows == [request.run_config["ops"]["raw_calls"]["config"]["capture_windows"]]
        assert retry.run_requests[0].tags[BATCH_TAG] != request.tags[BATCH_TAG]
        assert retry.run_requests[0].run_key != request.run_key  # a reused run key would be skipped

        # The retry succeeds: the cursor moves to the stored position.
        _make_run(instance, retry.run_requests[0], dg.DagsterRunStatus.SUCCESS)
        done = _tick(trunk_recorder_sensor, instance, retry.cursor, trunk_recorder=source)
        assert json.loads(json.loads(done.cursor)[str(capture)])["stored"] == old
        assert done.run_requests == []


def test_landing_sensor_batches_pending_calls_and_skips_inflight(lake_resource):
    landing = LandingZone(lake_resource.objects)
    landing.put("upload", meta(401), wav_bytes(), "wav")
    landing.put("upload", meta(402, 5), wav_bytes(), "wav")
    with dg.instance_for_test() as instance:
        first = _tick(landing_sensor, instance, None, lake=lake_resource)
        assert len(first.run_requests) == 1
        keys = first.run_requests[0].run_config["ops"]["raw_calls"]["config"]["landing_keys"]
        assert sorted(keys) == sorted(landing.pending())
        second = _tick(landing_sensor, instance, first.cursor, lake=lake_resource)
        assert second.run_requests == []  # still in flight
        _make_run(instance, first.run_requests[0], dg.DagsterRunStatus.FAILURE)
        third = _tick(landing_sensor, instance, second.cursor, lake=lake_resource)
        assert len(third.run_requests) == 1  # failed: eligible again


def test_calls_that_land_while_a_batch_is_in_flight_go_in_one_next_batch(lake_resource, tmp_path):
    """A run per tick would queue behind the live lane's one-at-a-time limit with a call or
    two each (bench/capacity); waiting for the batch in flight lets the next one grow."""
    landing = LandingZone(lake_resource.objects)
    landing.put("upload", meta(601), wav_bytes(), "wav")
    capture = tmp_path / "capture"
    source = TrunkRecorderSource(capture_dirs=[str(capture)], settle_s=0)
    _, first_call = write_call(capture, meta(611), wav_bytes(), "wav")
    with dg.instance_for_test() as instance:
        land = _tick(landing_sensor, instance, None, lake=lake_resource)
        tr = _tick(trunk_recorder_sensor, instance, None, trunk_recorder=source)
        assert len(land.run_requests) == len(tr.run_requests) == 1
        later = [landing.put("upload", meta(602 + i, i), wav_bytes(), "wav") for i in range(2)]
        later_calls = [write_call(capture, meta(612 + i, i), wav_bytes(), "wav")[1] for i in range(2)]
        busy_land = _tick(landing_sensor, instance, land.cursor, lake=lake_resource)
        busy_tr = _tick(trunk_recorder_sensor, instance, tr.cursor, trunk_recorder=source)
        assert busy_land.run_requests == [] and busy_tr.run_requests == []  # first batches in flight
        _make_run(instance, land.run_requests[0], dg.DagsterRunStatus.SUCCESS)
        _make_run(instance, tr.run_requests[0], dg.DagsterRunStatus.SUCCESS)
        next_land = _tick(landing_sensor, instance, busy_land.cursor, lake=lake_resource)
        next_tr = _tick(trunk_recorder_sensor, instance, busy_tr.cursor, trunk_recorder=source)
    [request] = next_land.run_requests
    # both later calls in one batch (the first is still in the zone: the fake run stored nothing)
    assert set(later) <= set(request.run_config["ops"]["raw_calls"]["config"]["landing_keys"])
    [request] = next_tr.run_requests
    [window] = request.run_config["ops"]["raw_calls"]["config"]["capture_windows"]
    assert window["upto"] == max(p.stat().st_mtime_ns for p in later_calls)


def _make_run(
    instance: dg.DagsterInstance, request: dg.RunRequest, status: dg.DagsterRunStatus
) -> None:
    """A run carrying the request's tags, recorded in the instance in a final state."""
    job = dg.GraphDefinition(name="noop", node_defs=[]).to_job()
    run = instance.create_run_for_job(job, tags=request.tags)
    if status == dg.DagsterRunStatus.FAILURE:
        instance.report_run_failed(run)
    else:
        instance.report_dagster_event(
            DagsterEvent(DagsterEventType.RUN_SUCCESS.value, job_name=run.job_name),
            run_id=run.run_id,
        )


def test_a_batch_in_flight_too_long_holds_nothing_back(lake_resource, monkeypatch):
    """A run that hangs (or was killed, and is found lost only after ten minutes) must not
    stop the calls behind it: past the hold, the next batch is requested beside it."""
    import assets.raw.sensors as sensors

    landing = LandingZone(lake_resource.objects)
    landing.put("upload", meta(701), wav_bytes(), "wav")
    with dg.instance_for_test() as instance:
        first = _tick(landing_sensor, instance, None, lake=lake_resource)
        assert len(first.run_requests) == 1
        landing.put("upload", meta(702, 1), wav_bytes(), "wav")
        held = _tick(landing_sensor, instance, first.cursor, lake=lake_resource)
        assert held.run_requests == []  # young: it holds the next batch
        monkeypatch.setattr(sensors, "HOLD_NEXT_BATCH_S", 0.0)
        freed = _tick(landing_sensor, instance, held.cursor, lake=lake_resource)
    assert len(freed.run_requests) == 1  # the hung batch no longer holds it
