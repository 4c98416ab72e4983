"""A call record the Broadcastify sensor cannot use is quarantined by the sensor itself
(no run is requested for it), and the write shows in the lineage: the sensor reports a
materialization of raw_quarantine for today's partition."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from assets.raw.sensors import broadcastify_sensor
from lake import delta
from lake.tables import RAW_QUARANTINE
from tests.resources.broadcastify.conftest import mp3_bytes as mp3_fixture
from tests.resources.broadcastify.server import LocalBroadcastify
from tests.resources.broadcastify.test_resource import NOW, _resource

mp3_bytes = mp3_fixture


def test_a_broken_poll_record_is_quarantined_and_reported(lake_resource, mp3_bytes):
    api = LocalBroadcastify().start()
    try:
        api.server_time = NOW
        api.user = ("dispatchfan", "pw", 4412, "utk-abc")
        api.add_call("9099-2021", NOW - 60, mp3_bytes)
        api.add_call("9099-radio", NOW - 30, mp3_bytes)  # no numeric talkgroup
        with dg.instance_for_test() as instance:
            with dg.build_sensor_context(
                instance=instance, resources={"broadcastify": _resource(api), "lake": lake_resource}
            ) as ctx:
                broadcastify_sensor(ctx)
            event = instance.get_latest_materialization_event(dg.AssetKey("raw_quarantine"))
    finally:
        api.stop()
    [row] = delta.read(lake_resource.location, RAW_QUARANTINE).to_pylist()
    assert (row["source"], row["reason"]) == ("broadcastify", "malformed_json")
    assert event is not None and event.run_id == ""  # runless: reported by the sensor
    materialization = event.asset_materialization
    assert materialization.partition == dt.datetime.now(dt.UTC).date().isoformat()
    assert materialization.metadata["quarantined"].value == 1
    assert materialization.metadata["writer"].value == "broadcastify_sensor"
