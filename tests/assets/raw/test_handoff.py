"""The trunk-recorder sensor hands its run the window it parsed: each call's JSON is parsed
once per window, not once by the sensor and again by every run, and the run stores the
same rows and quarantine rows as a run that scans the window itself."""

from __future__ import annotations

import datetime as dt
import os

import dagster as dg
import pytest

from assets.raw import sensors
from assets.raw.assets import raw_calls
from lake import delta
from lake.tables import RAW_CALLS, RAW_QUARANTINE
from resources.trunk_recorder import folder
from resources.trunk_recorder.format import write_call
from resources.trunk_recorder.resource import TrunkRecorderSource
from tests.assets.raw.test_raw_calls_asset import meta, wav_bytes

_LATE = 20 * 3600  # seconds after the test calls' start: the next UTC day


def _capture(tmp_path):
    capture = tmp_path / "capture"
    written = [write_call(capture, meta(600 + i, offset_s), wav_bytes(), "wav")[1] for i, offset_s in
               enumerate((0, 60, _LATE, _LATE + 60))]
    broken = capture / written[0].parent.relative_to(capture) / "bad-1.json"
    broken.write_text("{ not json")
    for path in [*written, broken]:
        old = path.stat().st_mtime_ns - 60 * 10**9
        os.utime(path, ns=(old, old))
    return capture


def _one_window(tmp_path, lake_resource, monkeypatch) -> tuple[int, int, list[dict], list[dict]]:
    """Parses by the sensor's tick and by its runs, and what the runs stored."""
    parses = {"n": 0}
    real = folder.parse_call_json

    def counting(*args, **kwargs):
        parses["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(folder, "parse_call_json", counting)
    source = TrunkRecorderSource(capture_dirs=[str(_capture(tmp_path))], settle_s=0)
    with dg.instance_for_test() as instance:
        with dg.build_sensor_context(instance=instance, resources={"trunk_recorder": source}) as ctx:
            result = sensors.trunk_recorder_sensor(ctx)
        by_sensor = parses["n"]
        assert len(result.run_requests) == 2  # two call dates
        for request in result.run_requests:
            assert dg.materialize(
                [raw_calls],
                partition_key=request.partition_key,
                run_config=request.run_config,
                tags=request.tags,
                instance=instance,
                resources={"lake": lake_resource, "trunk_recorder": source},
            ).success
    by_runs = parses["n"] - by_sensor
    location = lake_resource.location
    rows = sorted(delta.read(location, RAW_CALLS).drop_columns(["ingested_at"]).to_pylist(), key=lambda r: r["call_uid"])
    problems = [
        {k: r[k] for k in ("source", "source_ref", "reason", "detail")}
        for r in delta.read(location, RAW_QUARANTINE).to_pylist()
    ]
    return by_sensor, by_runs, rows, problems


def test_the_run_parses_nothing_the_sensor_parsed(tmp_path, lake_resource, monkeypatch):
    by_sensor, by_runs, rows, problems = _one_window(tmp_path, lake_resource, monkeypatch)
    assert by_sensor == 5  # four calls and the broken JSON
    assert by_runs == 0
    assert len(rows) == 4 and {r["call_date"] for r in rows} == {dt.date(2026, 11, 2), dt.date(2026, 11, 3)}
    assert [p["reason"] for p in problems] == ["malformed_json"]


@pytest.fixture
def scanning(monkeypatch):
    """The behaviour before the hand-off (and still for a window too large to hand on)."""
    monkeypatch.setattr(sensors, "MAX_HANDED_CALLS", 0)


def test_a_run_handed_the_window_stores_what_a_scanning_run_stores(tmp_path, lake_resource, monkeypatch, request):
    handed = _one_window(tmp_path / "handed", lake_resource, monkeypatch)
    from lake.location import LakeLocation
    from resources.lake import LakeResource

    other = LakeResource(uri=LakeLocation(str(tmp_path / "scanned-lake")).uri)
    request.getfixturevalue("scanning")
    scanned = _one_window(tmp_path / "scanned", other, monkeypatch)
    # before: every run scanned and parsed the whole window again (two runs, two days)
    assert (scanned[0], scanned[1]) == (5, 10)
    assert (handed[0], handed[1]) == (5, 0)
    strip = [{k: v for k, v in r.items() if k not in ("source_ref", "audio_key")} for r in handed[2]]
    assert strip == [{k: v for k, v in r.items() if k not in ("source_ref", "audio_key")} for r in scanned[2]]
    assert [p["reason"] for p in handed[3]] == [p["reason"] for p in scanned[3]]
