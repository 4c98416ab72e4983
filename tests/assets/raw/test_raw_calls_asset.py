"""raw_calls end to end: real trunk-recorder folders and landing-zone calls, materialized
in process on a small lake."""

import datetime as dt
import json
import os

import dagster as dg

from assets.raw.assets import raw_calls
from assets.raw.checks import raw_calls_checks
from lake import delta
from lake.objects import ObjectStore
from lake.tables import RAW_CALLS, RAW_QUARANTINE
from resources.calls import CallMeta, Unit
from resources.landing import LandingZone
from resources.trunk_recorder.format import call_json, call_stem, write_call
from resources.trunk_recorder.resource import TrunkRecorderSource
from tests.support.audio import wav_bytes

DAY = dt.date(2026, 11, 2)
START = dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.UTC)


def meta(tg: int, offset_s: int = 0) -> CallMeta:
    return CallMeta(
        system="county",
        talkgroup=tg,
        start_time=START + dt.timedelta(seconds=offset_s),
        stop_time=START + dt.timedelta(seconds=offset_s + 3),
        duration_s=3.0,
        freq_hz=851_012_500,
        talkgroup_tag="FD Dispatch",
        units=(Unit(unit_id=1201, tag="Engine 12", pos_s=0.0),),
    )


def run(lake, capture, config=None):
    return dg.materialize(
        [raw_calls, *raw_calls_checks],
        partition_key=DAY.isoformat(),
        resources={
            "lake": lake,
            "trunk_recorder": TrunkRecorderSource(capture_dirs=[str(capture)], settle_s=0),
        },
        run_config=config or {},
    )


def test_backfill_ingests_folder_and_landing_calls_once(lake_resource, tmp_path):
    capture = tmp_path / "capture"
    write_call(capture, meta(101), wav_bytes(), "wav")
    write_call(capture, meta(102, 10), wav_bytes(), "wav")
    LandingZone(lake_resource.objects).put("upload", meta(103, 20), wav_bytes(), "wav")
    # bad inputs beside good calls
    day_dir = next(p.parent for p in capture.rglob("*.json"))
    truncated = json.dumps(call_json(meta(104, 40)))[:60]
    (day_dir / f"{call_stem(meta(104, 40))}.json").write_text(truncated)
    (day_dir / f"{call_stem(meta(105, 50))}.json").write_text(json.dumps(call_json(meta(105, 50))))

    result = run(lake_resource, capture)
    assert result.success
    rows = delta.read(lake_resource.location, RAW_CALLS)
    assert sorted(rows["talkgroup"].to_pylist()) == [101, 102, 103]
    store = ObjectStore(lake_resource.location)
    assert all(store.exists(k) for k in rows["audio_key"].to_pylist())
    reasons = sorted(delta.read(lake_resource.location, RAW_QUARANTINE)["reason"].to_pylist())
    assert reasons == ["malformed_json", "missing_audio"]
    assert LandingZone(lake_resource.objects).pending() == []  # acknowledged after commit
    checks = result.get_asset_check_evaluations()
    assert checks and all(c.passed for c in checks)

    again = run(lake_resource, capture)
    assert again.success
    assert delta.read(lake_resource.location, RAW_CALLS).num_rows == 3
    assert delta.read(lake_resource.location, RAW_QUARANTINE).num_rows == 2


def test_sensor_window_ingests_only_that_window(lake_resource, tmp_path):
    capture = tmp_path / "capture"
    _, json_path = write_call(capture, meta(201), wav_bytes(), "wav")
    position = json_path.stat().st_mtime_ns
    config = {
        "ops": {
            "raw_calls": {
                "config": {
                    "capture_windows": [{"capture_dir": str(capture), "after": 0, "upto": position}]
                }
            }
        }
    }
    _, later_json = write_call(capture, meta(202, 30), wav_bytes(), "wav")
    os.utime(later_json, ns=(position + 10**9, position + 10**9))  # written a second later
    assert run(lake_resource, capture, config).success
    assert delta.read(lake_resource.location, RAW_CALLS)["talkgroup"].to_pylist() == [201]
