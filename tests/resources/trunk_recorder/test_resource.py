"""The TrunkRecorderSource resource over several capture folders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from resources.trunk_recorder.format import write_call
from resources.trunk_recorder.resource import TrunkRecorderSource
from tests.resources.trunk_recorder.files import age, make_meta, wav_bytes


def test_resource_scans_each_capture_folder(tmp_path: Path) -> None:
    north, south = tmp_path / "north", tmp_path / "south"
    written = {}
    for capture_dir, system, start in [
        (north, "metro", dt.datetime(2024, 5, 3, 10, tzinfo=dt.UTC)),
        (south, "county", dt.datetime(2024, 5, 4, 11, tzinfo=dt.UTC)),
    ]:
        audio, meta_json = write_call(capture_dir, make_meta(system=system, start=start), wav_bytes(), "wav", tz=dt.UTC)
        age(audio, 30)
        age(meta_json, 30)
        written[system] = meta_json

    source = TrunkRecorderSource(capture_dirs=[str(north), str(south)], settle_s=2.0)
    assert source.scan_dates() == [dt.date(2024, 5, 3), dt.date(2024, 5, 4)]
    found = source.scan(str(south), 0)
    assert [d.meta.system for d in found.deliveries] == ["county"]
    window = source.scan_window(str(north), 0, found.position)
    assert [d.source_ref for d in window.deliveries] == [str(written["metro"])]
    per_dir = source.scan_day(dt.date(2024, 5, 3))
    assert [[d.meta.system for d in r.deliveries] for r in per_dir] == [["metro"], []]


def test_resource_defaults() -> None:
    source = TrunkRecorderSource()
    assert source.capture_dirs == [] and source.settle_s == 5.0
    assert source.scan_dates() == [] and source.scan_day(dt.date(2024, 5, 3)) == []
