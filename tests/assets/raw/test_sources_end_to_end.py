"""Every push or poll path ends in raw_calls: a real upload service and a local
Broadcastify API feed the landing zone; the sensors and the raw_calls asset drain it."""

from __future__ import annotations

import dagster as dg
import httpx

from assets.raw.assets import raw_calls
from assets.raw.sensors import broadcastify_sensor, landing_sensor
from lake import delta
from lake.tables import RAW_CALLS
from resources.landing import LandingZone
from resources.trunk_recorder.resource import TrunkRecorderSource
from resources.upload import UploadSettings, key_entry, new_key
from tests.assets.raw.test_raw_calls_asset import wav_bytes
from tests.resources.broadcastify.conftest import mp3_bytes as mp3_fixture
from tests.resources.broadcastify.server import LocalBroadcastify
from tests.resources.broadcastify.test_resource import NOW, _resource
from tests.resources.upload.conftest import running


def _drain(lake_resource, instance: dg.DagsterInstance) -> None:
    """One landing-sensor tick and the runs it asks for, as the daemon would launch them."""
    with dg.build_sensor_context(instance=instance, resources={"lake": lake_resource}) as ctx:
        result = landing_sensor(ctx)
    for request in result.run_requests:
        outcome = dg.materialize(
            [raw_calls],
            partition_key=request.partition_key,
            run_config=request.run_config,
            tags=request.tags,
            instance=instance,
            resources={"lake": lake_resource, "trunk_recorder": TrunkRecorderSource()},
        )
        assert outcome.success


def test_upload_retried_three_times_is_one_row(lake_resource):
    key = new_key()
    settings = UploadSettings(keys=key_entry(key), lake_uri=lake_resource.location.uri)
    form = {
        "key": key,
        "dateTime": "2026-11-02T14:05:00Z",
        "system": "11",
        "systemLabel": "county",
        "talkgroup": "4201",
        "talkgroupLabel": "FD Dispatch",
        "frequency": "851012500",
    }
    with running(settings) as port:
        for _ in range(3):
            reply = httpx.post(
                f"http://127.0.0.1:{port}/api/call-upload",
                data=form,
                files={"audio": ("call.wav", wav_bytes(2.0), "application/octet-stream")},
                timeout=30,
            )
            assert reply.status_code == 200 and reply.text.strip() == "Call imported successfully."
    with dg.instance_for_test() as instance:
        _drain(lake_resource, instance)
    rows = delta.read(lake_resource.location, RAW_CALLS).to_pylist()
    assert [(r["system"], r["talkgroup"], r["source"]) for r in rows] == [("county", 4201, "upload")]
    assert LandingZone(lake_resource.objects).pending() == []


mp3_bytes = mp3_fixture  # the broadcastify tests' fixture: a real MP3 call


def test_broadcastify_poll_lands_calls_that_reach_raw_calls(lake_resource, mp3_bytes):
    api = LocalBroadcastify().start()
    try:
        api.server_time = NOW
        api.user = ("dispatchfan", "pw", 4412, "utk-abc")
        api.add_call("9099-2021", NOW - 60, mp3_bytes)
        resource = _resource(api)
        with dg.instance_for_test() as instance:
            with dg.build_sensor_context(
                instance=instance, resources={"broadcastify": resource, "lake": lake_resource}
            ) as ctx:
                skip = broadcastify_sensor(ctx)
                assert "stored 1 call" in skip.skip_message
                assert ctx.cursor is not None
            _drain(lake_resource, instance)
    finally:
        api.stop()
    rows = delta.read(lake_resource.location, RAW_CALLS).to_pylist()
    assert [(r["system"], r["talkgroup"], r["source"]) for r in rows] == [("metro", 2021, "broadcastify")]
