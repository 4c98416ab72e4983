"""What was seen 1: a call dated outside the partitions stopped its sensor for good. Now
its day is checked before any run is requested, and it is quarantined as
date_out_of_range while the good calls beside it reach raw_calls."""

from __future__ import annotations

import dataclasses
import datetime as dt

import dagster as dg
from dagster._core.definitions.partitions.context import partition_loading_context

from assets.partitions import call_date_partitions
from assets.raw.assets import raw_calls
from assets.raw.sensors import landing_sensor, trunk_recorder_sensor
from assets.raw.validate import split_days
from lake import delta
from lake.tables import RAW_CALLS, RAW_QUARANTINE
from resources.bounds import LIMITS, check_call_date
from resources.landing import LandingZone
from resources.trunk_recorder.format import write_call
from resources.trunk_recorder.resource import TrunkRecorderSource
from tests.assets.raw.test_raw_calls_asset import meta, wav_bytes

BAD_STARTS = [
    dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
    dt.datetime(1970, 1, 1, 0, 0, 5, tzinfo=dt.UTC),
    dt.datetime.combine(LIMITS.first_call_date, dt.time(), dt.UTC) - dt.timedelta(seconds=1),
]


def _at(tg: int, start: dt.datetime):
    return dataclasses.replace(meta(tg), start_time=start, stop_time=start + dt.timedelta(seconds=3))


def _run_requests(requests, lake_resource, source, instance) -> None:
    for request in requests:
        assert call_date_partitions.has_partition_key(request.partition_key), request.partition_key
        result = dg.materialize(
            [raw_calls],
            partition_key=request.partition_key,
            run_config=request.run_config,
            tags=request.tags,
            instance=instance,
            resources={"lake": lake_resource, "trunk_recorder": source},
        )
        assert result.success


def _outcome(lake_resource) -> tuple[list[int], dict[str, int]]:
    rows = delta.read(lake_resource.location, RAW_CALLS)
    problems = delta.read(lake_resource.location, RAW_QUARANTINE).to_pylist()
    reasons: dict[str, int] = {}
    for p in problems:
        reasons[p["reason"]] = reasons.get(p["reason"], 0) + 1
    return sorted(rows["talkgroup"].to_pylist()), reasons


def test_capture_folder_calls_outside_the_partitions_are_quarantined(lake_resource, tmp_path):
    capture = tmp_path / "capture"
    write_call(capture, meta(100), wav_bytes(), "wav", tz=dt.UTC)
    for i, start in enumerate(BAD_STARTS):
        write_call(capture, _at(200 + i, start), wav_bytes(), "wav", tz=dt.UTC)
    source = TrunkRecorderSource(capture_dirs=[str(capture)], settle_s=0)
    with dg.instance_for_test() as instance:
        with dg.build_sensor_context(instance=instance, resources={"trunk_recorder": source}) as ctx:
            result = trunk_recorder_sensor(ctx)
        _run_requests(result.run_requests, lake_resource, source, instance)
    assert _outcome(lake_resource) == ([100], {"date_out_of_range": 3})


def test_landing_calls_outside_the_partitions_are_quarantined(lake_resource):
    landing = LandingZone(lake_resource.objects)
    landing.put("upload", meta(100), wav_bytes(), "wav")
    for i, start in enumerate(BAD_STARTS):
        landing.put("upload", _at(200 + i, start), wav_bytes(), "wav")
    source = TrunkRecorderSource()
    with dg.instance_for_test() as instance:
        with dg.build_sensor_context(instance=instance, resources={"lake": lake_resource}) as ctx:
            result = landing_sensor(ctx)
        _run_requests(result.run_requests, lake_resource, source, instance)
    assert _outcome(lake_resource) == ([100], {"date_out_of_range": 3})
    assert landing.pending() == []  # none left to be requested again on every tick


def test_an_archive_import_quarantines_days_without_a_partition(lake_resource, tmp_path):
    from orchestration import runner
    from orchestration.resources import build_resources

    capture = tmp_path / "capture"
    write_call(capture, meta(100), wav_bytes(), "wav", tz=dt.UTC)
    for i, start in enumerate(BAD_STARTS):
        write_call(capture, _at(200 + i, start), wav_bytes(), "wav", tz=dt.UTC)
    source = TrunkRecorderSource(capture_dirs=[str(capture)], settle_s=0)
    with dg.instance_for_test() as instance:
        results = runner.ingest_days(
            source.scan_dates(), {**build_resources(), "lake": lake_resource, "trunk_recorder": source}, instance
        )
    assert results and all(r.success for r in results)
    assert _outcome(lake_resource) == ([100], {"date_out_of_range": 3})


def test_a_recorder_clock_a_little_fast_at_midnight_has_its_partition():
    # 23:59:58 here, 00:00:03 tomorrow on the recorder: its partition must exist now
    now = dt.datetime(2026, 3, 9, 23, 59, 58, tzinfo=dt.UTC)
    start = dt.datetime(2026, 3, 10, 0, 0, 3, tzinfo=dt.UTC)
    check_call_date(start, now)  # within the skew: kept
    assert split_days([start.date()], now) == ([start.date()], [])
    with partition_loading_context(effective_dt=now):
        assert call_date_partitions.has_partition_key("2026-03-10")
        assert call_date_partitions.has_partition_key(LIMITS.first_call_date.isoformat())
    far = now + dt.timedelta(seconds=LIMITS.max_clock_skew_s + 60)
    assert split_days([far.date() + dt.timedelta(days=1)], now) == ([], [far.date() + dt.timedelta(days=1)])
