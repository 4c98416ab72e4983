"""trunk-recorder's call JSON and file layout: reading real files, writing them back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from resources.calls import MalformedCallJson
from resources.trunk_recorder.format import call_json, parse_call_json, write_call
from resources.trunk_recorder.names import call_stem, parse_call_stem
from tests.resources.trunk_recorder.files import make_meta, wav_bytes

# A call as trunk-recorder 4.x writes it (create_call_json: ints for times and flags,
# call_length rounded, no *_ms fields), dumped with two-space indent.
TR4_CALL = b"""{
  "freq": 772156250,
  "start_time": 1700000000,
  "stop_time": 1700000007,
  "emergency": 0,
  "priority": 4,
  "mode": 0,
  "duplex": 0,
  "encrypted": 0,
  "call_length": 6,
  "talkgroup": 9131,
  "talkgroup_tag": "PD Dispatch N",
  "talkgroup_description": "Police Dispatch North",
  "talkgroup_group_tag": "Law Dispatch",
  "talkgroup_group": "City Police",
  "audio_type": "digital",
  "short_name": "cityp25",
  "freqList": [
    {"freq": 772156250, "time": 1700000000, "pos": 0.0, "len": 3.24, "error_count": 4, "spike_count": 1},
    {"freq": 772156250, "time": 1700000004, "pos": 3.24, "len": 2.52, "error_count": 0, "spike_count": 0}
  ],
  "srcList": [
    {"src": 1403127, "time": 1700000000, "pos": 0.0, "emergency": 0, "signal_system": "", "tag": "Car 27"},
    {"src": 1400001, "time": 1700000004, "pos": 3.24, "emergency": 0, "signal_system": "", "tag": ""}
  ]
}"""


def test_reads_a_trunk_recorder_4_call() -> None:
    meta = parse_call_json(TR4_CALL, "x.json")
    assert meta.system == "cityp25"
    assert meta.talkgroup == 9131
    assert meta.start_time == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    assert meta.stop_time == dt.datetime(2023, 11, 14, 22, 13, 27, tzinfo=dt.UTC)
    # call_length is rounded; the transmissions' lengths give the exact figure
    assert meta.duration_s == pytest.approx(5.76)
    assert meta.freq_hz == 772156250
    assert (meta.emergency, meta.encrypted) == (False, False)
    assert meta.talkgroup_tag == "PD Dispatch N"
    assert meta.talkgroup_description == "Police Dispatch North"
    assert meta.talkgroup_group_tag == "Law Dispatch"
    assert meta.talkgroup_group == "City Police"
    assert meta.audio_type == "digital"
    assert [(u.unit_id, u.tag, u.pos_s) for u in meta.units] == [(1403127, "Car 27", 0.0), (1400001, None, 3.24)]
    assert [(f.len_s, f.error_count, f.spike_count) for f in meta.freqs] == [(3.24, 4, 1), (2.52, 0, 0)]
    assert meta.call_uid == "cityp25-9131-1700000000"


def test_reads_5x_millisecond_fields_and_old_string_counts() -> None:
    data = json.loads(TR4_CALL)
    data |= {"start_time_ms": 1700000000420, "stop_time_ms": 1700000006890, "call_length_ms": 5760}
    data["freqList"][0]["error_count"] = "4"  # older versions wrote counts as strings
    data["patched_talkgroups"] = [9131, 9132]  # extras are ignored
    meta = parse_call_json(json.dumps(data).encode(), "x.json")
    assert meta.start_time == dt.datetime(2023, 11, 14, 22, 13, 20, 420000, tzinfo=dt.UTC)
    assert meta.stop_time == dt.datetime(2023, 11, 14, 22, 13, 26, 890000, tzinfo=dt.UTC)
    assert meta.duration_s == 5.76
    assert meta.freqs[0].error_count == 4
    assert meta.call_uid == "cityp25-9131-1700000000"


def test_write_then_parse_gives_the_same_call(tmp_path: Path) -> None:
    meta = make_meta()
    audio = wav_bytes()
    audio_path, json_path = write_call(tmp_path, meta, audio, "wav", call_num=7, tz=dt.UTC)
    assert parse_call_json(json_path.read_bytes(), str(json_path)) == meta
    assert audio_path.read_bytes() == audio
    # the audio is written first, as trunk-recorder's sox step runs before the JSON
    assert audio_path.stat().st_mtime_ns <= json_path.stat().st_mtime_ns


@pytest.mark.parametrize(
    "change",
    [
        {"audio_type": "digital tdma"},
        {"units": (), "freqs": ()},
        {"emergency": True, "encrypted": True},
        {"talkgroup_tag": None, "talkgroup_description": None, "talkgroup_group": None, "talkgroup_group_tag": None},
        {"start_time": dt.datetime(2024, 12, 31, 23, 59, 59, 999000, tzinfo=dt.UTC)},
    ],
)
def test_round_trip_variants(tmp_path: Path, change: dict[str, object]) -> None:
    meta = dataclasses.replace(make_meta(), **change)
    if "start_time" in change:
        meta = dataclasses.replace(meta, stop_time=meta.start_time + dt.timedelta(seconds=meta.duration_s))
    _, json_path = write_call(tmp_path, meta, wav_bytes(), "m4a", tz=dt.UTC)
    assert parse_call_json(json_path.read_bytes(), "x") == meta


def test_layout_matches_trunk_recorder(tmp_path: Path) -> None:
    # 01:30 UTC on 3 March is still 2 March in a recorder at UTC-5: the day folder is the
    # recorder's local date, month and day unpadded.
    start = dt.datetime(2024, 3, 3, 1, 30, 0, 42000, tzinfo=dt.UTC)
    meta = dataclasses.replace(make_meta(start=start), stop_time=None)
    eastern = dt.timezone(dt.timedelta(hours=-5))
    audio_path, json_path = write_call(tmp_path, meta, wav_bytes(), ".WAV", call_num=118, tz=eastern)
    assert audio_path.relative_to(tmp_path).as_posix() == "metro/2024/3/2/1201-1709429400.042_851012500-call_118.wav"
    assert json_path.name == "1201-1709429400.042_851012500-call_118.json"
    assert json_path.read_text().startswith('{\n  "freq": 851012500,\n  "freq_error": 0,')


def test_tdma_slot_goes_into_the_name(tmp_path: Path) -> None:
    meta = dataclasses.replace(make_meta(), audio_type="digital tdma")
    _, json_path = write_call(tmp_path, meta, wav_bytes(), "wav", call_num=3, extra={"tdma_slot": 1}, tz=dt.UTC)
    assert json_path.name == "1201-1714746605.250_851012500.1-call_3.json"
    name = parse_call_stem(json_path.stem)
    assert name is not None and (name.tdma_slot, name.call_num, name.talkgroup) == (1, 3, 1201)


def test_call_json_has_trunk_recorders_fields_in_order() -> None:
    data = call_json(make_meta())
    assert list(data) == [
        "freq", "freq_error", "signal", "noise", "source_num", "recorder_num", "tdma_slot", "phase2_tdma",
        "start_time", "stop_time", "start_time_ms", "stop_time_ms", "emergency", "priority", "mode", "duplex",
        "encrypted", "call_length", "call_length_ms", "talkgroup", "talkgroup_tag", "talkgroup_description",
        "talkgroup_group_tag", "talkgroup_group", "audio_type", "short_name", "freqList", "srcList",
    ]  # fmt: skip
    assert data["emergency"] == 0 and data["call_length"] == 4 and data["call_length_ms"] == 4250
    assert data["srcList"][1] == {  # type: ignore[index]
        "src": 4002, "time": 1714746607, "pos": 2.5, "emergency": 1, "signal_system": "", "tag": ""
    }  # fmt: skip
    assert data["freqList"][0] == {  # type: ignore[index]
        "freq": 851012500, "time": 1714746605, "pos": 0.0, "len": 2.5, "error_count": 1, "spike_count": 0
    }  # fmt: skip


def test_parses_old_and_new_file_names() -> None:
    old = parse_call_stem("9131-1700000000_772156250-call_52")
    assert old is not None and old.start_ms == 1700000000000 and old.tdma_slot is None
    new = parse_call_stem("9131-1700000000.420_772156250.0-call_52")
    assert new is not None and (new.start_ms, new.tdma_slot, new.freq_hz) == (1700000000420, 0, 772156250)
    # transmission files copied by transmissionArchive are not calls
    assert parse_call_stem("9131-1700000000_772156250") is None
    assert call_stem(make_meta(), 9) == "1201-1714746605.250_851012500-call_9"


def test_rejects_audio_trunk_recorder_does_not_write(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not 'flac'"):
        write_call(tmp_path, make_meta(), wav_bytes(), "flac")


def _without(key: str) -> bytes:
    data = json.loads(TR4_CALL)
    del data[key]
    return json.dumps(data).encode()


def _with(**fields: object) -> bytes:
    return json.dumps(json.loads(TR4_CALL) | fields).encode()


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        (b"", "empty file"),
        (b"   \n", "empty file"),
        (TR4_CALL[: len(TR4_CALL) // 2], "truncated JSON"),
        (b'{"freq": 1, ,}', "invalid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2]", "top level is list"),
        (_without("talkgroup"), "missing talkgroup"),
        (_without("start_time"), "missing start_time"),
        (_without("short_name"), "missing short_name"),
        (_without("call_length"), "missing call_length"),
        (_with(short_name=""), "short_name is empty"),
        (_with(talkgroup="9131"), "talkgroup is '9131', not a number"),
        (_with(talkgroup=9131.5), "talkgroup is 9131.5, not an integer"),
        (_with(start_time=True), "start_time is True, not a number"),
        (_with(start_time=1e30), "out of range"),
        (_with(emergency=2), "emergency is 2, not 0/1"),
        (_with(talkgroup_tag=7), "talkgroup_tag is 7, not a string"),
        (_with(srcList={"src": 1}), "srcList is dict, not a list"),
        (_with(srcList=[{"pos": 0}]), "missing srcList[0].src"),
        (_with(srcList=[5]), "srcList[0] is int, not an object"),
        (_with(freqList=[{"freq": 1, "len": "long"}]), "freqList[0].len is 'long', not a number"),
        (b'{"freq": NaN, "talkgroup": 1, "start_time": 1, "call_length": 1, "short_name": "s"}', "freq is nan"),
    ],
)
def test_malformed_json_is_a_typed_error(raw: bytes, detail: str) -> None:
    with pytest.raises(MalformedCallJson) as caught:
        parse_call_json(raw, "metro/2024/5/3/x.json")
    assert caught.value.reason == "malformed_json"
    assert caught.value.source_ref == "metro/2024/5/3/x.json"
    assert detail in caught.value.detail


def test_a_file_cut_anywhere_reads_as_truncated() -> None:
    # what a scan sees of a JSON trunk-recorder is still writing, or a crash cut short
    for n in range(1, len(TR4_CALL.rstrip())):
        with pytest.raises(MalformedCallJson, match="truncated JSON|empty file"):
            parse_call_json(TR4_CALL[:n], "x.json")
