"""Scanning real capture folders: live by watermark, and by day for backfills."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest

from resources.calls import MalformedCallJson, MissingAudio, MissingJson
from resources.trunk_recorder import folder
from resources.trunk_recorder.format import write_call
from tests.resources.trunk_recorder.files import age, make_meta, wav_bytes

T0 = dt.datetime(2024, 5, 3, 14, 30, 0, tzinfo=dt.UTC)


def _call(capture_dir: Path, minutes: int, old_s: float = 60.0, talkgroup: int = 1201, **kw: object) -> tuple[Path, Path]:
    """A call written like trunk-recorder, made to look ``old_s`` seconds old."""
    meta = make_meta(talkgroup=talkgroup, start=T0 + dt.timedelta(minutes=minutes))
    audio, meta_json = write_call(capture_dir, meta, wav_bytes(), "wav", call_num=abs(minutes), tz=dt.UTC, **kw)  # type: ignore[arg-type]
    age(audio, old_s + 0.5)
    age(meta_json, old_s)
    return audio, meta_json


def test_live_scan_returns_new_calls_in_position_order(capture_dir: Path) -> None:
    _, second = _call(capture_dir, 2, old_s=50)
    _, first = _call(capture_dir, 1, old_s=70)
    found = folder.scan(capture_dir, 0, settle_s=5)
    assert [d.source_ref for d in found.deliveries] == [str(first), str(second)]
    assert [d.position for d in found.deliveries] == [first.stat().st_mtime_ns, second.stat().st_mtime_ns]
    assert found.position == second.stat().st_mtime_ns
    assert found.problems == []
    d = found.deliveries[0]
    assert (d.source, d.audio_ext, d.meta.call_uid) == ("trunk-recorder", "wav", "metro-1201-1714746660")
    assert d.read_audio() == wav_bytes()

    # the watermark excludes what was returned; a new call comes alone
    assert folder.scan(capture_dir, found.position, settle_s=5).deliveries == []
    _, third = _call(capture_dir, 3, old_s=30)
    later = folder.scan(capture_dir, found.position, settle_s=5)
    assert [d.source_ref for d in later.deliveries] == [str(third)]


def test_a_young_call_that_is_complete_is_read_at_once(capture_dir: Path) -> None:
    _, meta_json = _call(capture_dir, 1, old_s=0.2)
    found = folder.scan(capture_dir, 0, settle_s=5)
    assert [d.source_ref for d in found.deliveries] == [str(meta_json)]
    assert found.position == meta_json.stat().st_mtime_ns


def test_a_young_half_written_json_holds_back_itself_and_every_later_file(capture_dir: Path) -> None:
    _, done_before = _call(capture_dir, 1, old_s=3)
    _, half = _call(capture_dir, 2, old_s=2)
    _, done_after = _call(capture_dir, 3, old_s=1)
    whole = half.read_bytes()
    half.write_bytes(whole[: len(whole) // 2])  # trunk-recorder still writing it
    age(half, 2)
    found = folder.scan(capture_dir, 0, settle_s=5)
    assert [d.source_ref for d in found.deliveries] == [str(done_before)] and found.problems == []
    assert found.position == done_before.stat().st_mtime_ns  # the watermark stops before it

    half.write_bytes(whole)  # the write completes: a new mtime, after the later call's
    later = folder.scan(capture_dir, found.position, settle_s=5)
    assert [d.source_ref for d in later.deliveries] == [str(done_after), str(half)]


def test_a_young_call_whose_audio_is_newer_than_its_json_waits_to_settle(capture_dir: Path) -> None:
    audio, meta_json = _call(capture_dir, 1, old_s=1)
    age(audio, 0.5)  # audio rewritten after the JSON (a conversion still running)
    assert folder.scan(capture_dir, 0, settle_s=5).deliveries == []
    found = folder.scan(capture_dir, 0, settle_s=5, now_ns=time.time_ns() + 10 * 10**9)
    assert [d.source_ref for d in found.deliveries] == [str(meta_json)]


def test_a_window_reads_back_exactly_what_was_found(capture_dir: Path) -> None:
    _call(capture_dir, 1, old_s=90)
    _, mid = _call(capture_dir, 2, old_s=60)
    _call(capture_dir, 3, old_s=30)
    first = folder.scan(capture_dir, 0, settle_s=5, upto_position=mid.stat().st_mtime_ns)
    assert len(first.deliveries) == 2 and first.position == mid.stat().st_mtime_ns
    window = folder.scan(capture_dir, first.deliveries[0].position, settle_s=5, upto_position=first.position)
    assert [d.source_ref for d in window.deliveries] == [str(mid)]


def test_json_without_audio_is_reported_once_settled(capture_dir: Path) -> None:
    audio, meta_json = _call(capture_dir, 1, old_s=1)
    audio.unlink()
    assert folder.scan(capture_dir, 0, settle_s=5).problems == []  # the recorder may still be busy
    age(meta_json, 60)
    found = folder.scan(capture_dir, 0, settle_s=5)
    assert found.deliveries == []
    [problem] = found.problems
    assert isinstance(problem, MissingAudio)
    assert (problem.source_ref, problem.reason) == (str(meta_json), "missing_audio")
    assert found.position == meta_json.stat().st_mtime_ns
    assert folder.scan(capture_dir, found.position, settle_s=5).problems == []


def test_audio_without_json_is_reported_once_settled(capture_dir: Path) -> None:
    audio, meta_json = _call(capture_dir, 1, old_s=60)
    meta_json.unlink()
    age(audio, 1)
    assert folder.scan(capture_dir, 0, settle_s=5).problems == []  # its JSON is normally next
    age(audio, 60)
    found = folder.scan(capture_dir, 0, settle_s=5)
    [problem] = found.problems
    assert isinstance(problem, MissingJson)
    assert (problem.source_ref, problem.reason) == (str(audio), "missing_json")


def test_malformed_json_is_a_problem_and_neighbours_still_arrive(capture_dir: Path) -> None:
    _, good = _call(capture_dir, 1, old_s=80)
    _, bad = _call(capture_dir, 2, old_s=70)
    bad.write_bytes(bad.read_bytes()[:100])
    age(bad, 70)
    found = folder.scan(capture_dir, 0, settle_s=5)
    assert [d.source_ref for d in found.deliveries] == [str(good)]
    [problem] = found.problems
    assert isinstance(problem, MalformedCallJson)
    assert problem.source_ref == str(bad) and "truncated JSON" in problem.detail
    assert found.position == bad.stat().st_mtime_ns


def test_duplicate_files_of_one_call_arrive_as_two_deliveries_of_one_call_uid(capture_dir: Path) -> None:
    audio, meta_json = _call(capture_dir, 1, old_s=60)
    copy_json = meta_json.with_name(meta_json.name.replace("call_1", "call_99"))
    shutil.copy2(audio, audio.with_name(audio.name.replace("call_1", "call_99")))
    shutil.copy2(meta_json, copy_json)
    found = folder.scan(capture_dir, 0, settle_s=5)
    # two deliveries of one call: raw_calls keeps one row and records the other
    assert sorted(d.source_ref for d in found.deliveries) == sorted([str(meta_json), str(copy_json)])
    assert {d.meta.call_uid for d in found.deliveries} == {"metro-1201-1714746660"}


def test_wav_is_preferred_m4a_used_alone_and_transmission_files_ignored(capture_dir: Path) -> None:
    wav, meta_json = _call(capture_dir, 1, old_s=60)
    m4a = wav.with_suffix(".m4a")
    m4a.write_bytes(b"m4a bytes")
    age(m4a, 59)
    # transmissionArchive copies per-transmission wavs without -call_N: not calls
    (wav.parent / "1201-1714746660_851012500.wav").write_bytes(wav_bytes())
    age(wav.parent / "1201-1714746660_851012500.wav", 60)
    found = folder.scan(capture_dir, 0, settle_s=5)
    assert [(d.audio_ext, d.read_audio()) for d in found.deliveries] == [("wav", wav_bytes())]
    assert found.problems == []
    wav.unlink()
    [only_m4a] = folder.scan(capture_dir, 0, settle_s=5).deliveries
    assert (only_m4a.audio_ext, only_m4a.read_audio()) == ("m4a", b"m4a bytes")


def test_audio_removed_after_the_scan_is_a_typed_error(capture_dir: Path) -> None:
    audio, _ = _call(capture_dir, 1, old_s=60)
    [delivery] = folder.scan(capture_dir, 0, settle_s=5).deliveries
    audio.unlink()
    with pytest.raises(MissingAudio, match="disappeared"):
        delivery.read_audio()


def test_live_scan_skips_folders_untouched_since_the_watermark(capture_dir: Path) -> None:
    _, recent = _call(capture_dir, 0, old_s=60)
    watermark = recent.stat().st_mtime_ns
    # a folder nothing was created in since long before the watermark is not listed, even
    # if a file in it was modified (what an in-place edit of an old archive looks like)
    old_meta = make_meta(start=T0 - dt.timedelta(days=10))
    _, old_json = write_call(capture_dir, old_meta, wav_bytes(), "wav", tz=dt.UTC)
    stamp = watermark - 20 * 60 * 10**9
    os.utime(old_json.parent, ns=(stamp, stamp))
    age(old_json, 30)
    assert [d.source_ref for d in folder.scan(capture_dir, watermark - 1, settle_s=5).deliveries] == [str(recent)]
    backfill = folder.scan_day(capture_dir, old_meta.call_date, settle_s=5)
    assert [d.source_ref for d in backfill.deliveries] == [str(old_json)]


def test_live_scan_sees_new_files_in_old_day_folders(capture_dir: Path) -> None:
    # the simulator (or a copy) writes last month's calls today: their folders are old
    # days, but the files are new
    _, recent = _call(capture_dir, 0, old_s=60)
    watermark = recent.stat().st_mtime_ns
    _, old_day_json = _call(capture_dir, -40 * 24 * 60, old_s=30)
    found = folder.scan(capture_dir, watermark, settle_s=5)
    assert [d.source_ref for d in found.deliveries] == [str(old_day_json)]


def test_backfill_places_calls_by_utc_day_across_local_folders(capture_dir: Path) -> None:
    pacific = dt.timezone(dt.timedelta(hours=-7))
    late = make_meta(start=dt.datetime(2024, 5, 4, 2, 0, tzinfo=dt.UTC))  # 3 May, 19:00 local
    early = make_meta(start=dt.datetime(2024, 5, 3, 8, 0, tzinfo=dt.UTC))  # 3 May, 01:00 local
    other = make_meta(start=dt.datetime(2024, 5, 2, 23, 0, tzinfo=dt.UTC))  # 2 May, 16:00 local
    paths = {}
    for name, meta in [("late", late), ("early", early), ("other", other)]:
        audio, meta_json = write_call(capture_dir, meta, wav_bytes(), "wav", tz=pacific)
        age(audio, 60)
        age(meta_json, 60)
        paths[name] = meta_json
    assert paths["late"].parent == paths["early"].parent  # both in the local 2024/5/3 folder
    assert folder.scan_dates(capture_dir) == [dt.date(2024, 5, 2), dt.date(2024, 5, 3), dt.date(2024, 5, 4)]
    assert [d.source_ref for d in folder.scan_day(capture_dir, dt.date(2024, 5, 3), settle_s=5).deliveries] == [
        str(paths["early"])
    ]
    assert [d.source_ref for d in folder.scan_day(capture_dir, dt.date(2024, 5, 4), settle_s=5).deliveries] == [
        str(paths["late"])
    ]


def test_backfill_files_problems_on_their_day(capture_dir: Path) -> None:
    audio, meta_json = _call(capture_dir, 1, old_s=60)
    audio.unlink()
    orphan_audio, orphan_json = _call(capture_dir, 2, old_s=60)
    orphan_json.unlink()
    day = T0.date()
    found = folder.scan_day(capture_dir, day, settle_s=5)
    assert sorted((p.reason, p.source_ref) for p in found.problems) == [
        ("missing_audio", str(meta_json)),
        ("missing_json", str(orphan_audio)),
    ]
    assert folder.scan_day(capture_dir, day + dt.timedelta(days=1), settle_s=5).problems == []


def test_odd_folders_and_files_are_ignored(capture_dir: Path) -> None:
    _, meta_json = _call(capture_dir, 1, old_s=60)
    (capture_dir / "metro" / "2024" / "13" / "40").mkdir(parents=True)  # not a date
    (capture_dir / "metro" / "notes").mkdir()
    (meta_json.parent / ".1201-x.json").write_text("{")  # hidden
    (meta_json.parent / "readme.txt").write_text("hi")
    found = folder.scan(capture_dir, 0, settle_s=5)
    assert [d.source_ref for d in found.deliveries] == [str(meta_json)] and found.problems == []
    assert folder.scan(capture_dir / "missing", 0).deliveries == []


def test_tdma_calls_from_both_slots_are_separate_files(capture_dir: Path) -> None:
    meta = dataclasses.replace(make_meta(), audio_type="digital tdma")
    other = dataclasses.replace(meta, talkgroup=1202)
    for m, slot in [(meta, 0), (other, 1)]:
        audio, meta_json = write_call(capture_dir, m, wav_bytes(), "wav", extra={"tdma_slot": slot}, tz=dt.UTC)
        age(audio, 60)
        age(meta_json, 60)
    found = folder.scan(capture_dir, 0, settle_s=5)
    assert sorted(d.meta.talkgroup for d in found.deliveries) == [1201, 1202]
