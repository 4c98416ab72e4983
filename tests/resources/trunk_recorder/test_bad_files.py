"""What real recorders and copies leave in capture folders that is not a clean call: each
becomes a typed problem (a quarantine row later), never an exception and never nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from resources.bounds import LIMITS
from resources.calls import CallDelivery, MalformedCall
from resources.trunk_recorder import folder
from resources.trunk_recorder.format import call_json, parse_call_json, write_call
from tests.resources.trunk_recorder.files import make_meta, wav_bytes

T0 = dt.datetime(2024, 5, 3, 14, 30, 0, tzinfo=dt.UTC)


def _json_with(**changes: object) -> bytes:
    data = call_json(make_meta(start=T0))
    data.update(changes)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("talkgroup", "detail"),
    [(2**64, "64-bit"), (10**29, "64-bit"), (-(2**63) - 1, "64-bit"), (1e300, "64-bit")],
)
def test_integers_past_int64_are_out_of_range_not_overflow(talkgroup: object, detail: str) -> None:
    # What was seen 2: a talkgroup of 2^64 or 30 digits raised OverflowError in the writer
    with pytest.raises(MalformedCall) as caught:
        parse_call_json(_json_with(talkgroup=talkgroup), "x.json")
    assert caught.value.reason == "value_out_of_range" and detail in caught.value.detail


@pytest.mark.parametrize("digits", [20, 400, 4301, 100_000])
def test_huge_json_numbers_are_refused_before_they_are_converted(digits: int) -> None:
    # What was seen 3: a few hundred digits raised OverflowError in math.isfinite, over
    # 4,300 a plain ValueError in json.loads; neither was caught
    raw = _json_with(freq="@").replace(b'"@"', b"9" * digits)
    with pytest.raises(MalformedCall) as caught:
        parse_call_json(raw, "x.json")
    assert caught.value.reason == "value_out_of_range"


def test_deep_nesting_and_long_labels_are_typed_errors() -> None:
    with pytest.raises(MalformedCall, match="nested too deeply"):
        parse_call_json(b"[" * 200_000, "x.json")
    with pytest.raises(MalformedCall) as caught:
        parse_call_json(_json_with(talkgroup_tag="x" * (LIMITS.max_label_chars + 1)), "x.json")
    assert caught.value.reason == "value_out_of_range"


def test_a_symlinked_call_file_is_refused_never_followed(capture_dir: Path, tmp_path: Path) -> None:
    # What was seen 6: a .wav symlink to /etc/passwd was stored as a call's audio
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"root:x:0:0")
    audio, meta_json = write_call(capture_dir, make_meta(start=T0), wav_bytes(), "wav", tz=dt.UTC)
    audio.unlink()
    audio.symlink_to(secret)
    [delivery] = folder.scan(capture_dir, 0, settle_s=0).deliveries
    with pytest.raises(MalformedCall) as caught:
        delivery.read_audio()
    assert caught.value.reason == "symlink_refused"
    link_json = meta_json.with_name("1201-1714746700.000_851012500-call_7.json")
    link_json.symlink_to(meta_json)
    refs = {p.source_ref: p.reason for p in folder.scan(capture_dir, 0, settle_s=0).problems}
    assert refs == {str(link_json): "symlink_refused"}


def test_files_are_read_with_a_size_cap(capture_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What was seen 6: files were read whole, whatever their size
    audio, meta_json = write_call(capture_dir, make_meta(start=T0), wav_bytes(), "wav", tz=dt.UTC)
    with open(audio, "ab") as fh:
        fh.truncate(LIMITS.max_audio_bytes + 1)  # sparse: no disk, but a size over the cap
    [delivery] = folder.scan(capture_dir, 0, settle_s=0).deliveries
    with pytest.raises(MalformedCall) as caught:
        delivery.read_audio()
    assert caught.value.reason == "too_large"
    with open(meta_json, "ab") as fh:
        fh.write(b" " * LIMITS.max_json_bytes)
    [problem] = folder.scan(capture_dir, 0, settle_s=0).problems
    assert problem.reason == "too_large"


def test_a_call_named_oddly_and_filed_far_from_its_day_is_not_lost(capture_dir: Path) -> None:
    # What was seen 5: a name that does not parse, and a JSON start on another UTC day
    # than its folder: in neither raw_calls nor raw_quarantine after an archive import
    day_dir = capture_dir / "metro" / "2024" / "1" / "10"
    day_dir.mkdir(parents=True)
    (day_dir / "call-0001.json").write_bytes(_json_with())  # the JSON says 2024-05-03
    (day_dir / "call-0001.wav").write_bytes(wav_bytes())
    near_dir = capture_dir / "metro" / "2024" / "5" / "2"  # local date, a day before UTC
    near_dir.mkdir(parents=True)
    (near_dir / "other.json").write_bytes(_json_with(talkgroup=77))
    (near_dir / "other.wav").write_bytes(wav_bytes())
    now = 10**20
    placed = {}
    for day in folder.scan_dates(capture_dir):
        found = folder.scan_day(capture_dir, day, settle_s=0, now_ns=now)
        for item in [*found.deliveries, *found.problems]:
            assert item.source_ref not in placed, "a file was placed on two days"
            placed[item.source_ref] = (day, item.reason if isinstance(item, MalformedCall) else "call")
    assert placed == {
        str(day_dir / "call-0001.json"): (dt.date(2024, 1, 10), "misplaced_call"),
        str(near_dir / "other.json"): (dt.date(2024, 5, 3), "call"),
    }


@pytest.mark.parametrize("content", [b"", os.urandom(3000)])
def test_audio_alone_under_any_name_is_reported(capture_dir: Path, content: bytes) -> None:
    # What was seen 5: audio with no JSON (a zero-byte file, random bytes named .wav)
    # vanished when its name did not parse
    day_dir = capture_dir / "metro" / "2024" / "5" / "3"
    day_dir.mkdir(parents=True)
    (day_dir / "planted.wav").write_bytes(content)
    live = folder.scan(capture_dir, 0, settle_s=0)
    assert [(p.reason, Path(p.source_ref).name) for p in live.problems] == [("missing_json", "planted.wav")]
    assert folder.scan_dates(capture_dir) == [dt.date(2024, 5, 3)]
    backfill = folder.scan_day(capture_dir, dt.date(2024, 5, 3), settle_s=0, now_ns=10**20)
    assert [p.reason for p in backfill.problems] == ["missing_json"]
    assert not any(isinstance(i, CallDelivery) for i in backfill.deliveries)
