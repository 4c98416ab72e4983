"""Hypothesis strategies for what call sources deliver: trunk-recorder JSON (right and
wrong types, missing fields, unicode, extreme and huge numbers, cut anywhere), file names
and day folders, audio of every accepted type (whole, truncated, corrupted) and rdio
upload form fields. Shared by the property tests and ``bench/faults``-style soak runs."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import struct
import wave
from dataclasses import dataclass

from hypothesis import strategies as st

from resources.calls import CallMeta, Unit
from resources.trunk_recorder.format import call_json

EXAMPLES_SCALE = 1  # multiplied by SCANLAKE_PROPERTY_EXAMPLES in the tests


def wav(seconds: float = 0.2, rate: int = 8000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(3000 * math.sin(i / 9))) for i in range(int(seconds * rate))))
    return buf.getvalue()


# The first bytes of every accepted type; a body after them is enough for the raw layer
# (the audio layer decodes and judges the rest).
HEADERS = {
    "wav": wav(),
    "m4a": b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00M4A isommp42" + b"\x00" * 64,
    "mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400,
    "flac": b"fLaC\x00\x00\x00\x22" + b"\x00" * 64,
    "ogg": b"OggS\x00\x02" + b"\x00" * 64,
}

huge_ints = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64, 10**29, 0, -1]),
)
floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([1e300, -1e300, 5e-324])
texts = st.text(max_size=40) | st.sampled_from(["", "-", "x" * 300, "\u202e", "é", "🚒", "a/b", "../../etc"])
scalars = st.none() | st.booleans() | huge_ints | floats | texts
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3), max_leaves=8)

FIELDS = ["short_name", "talkgroup", "start_time", "start_time_ms", "stop_time", "call_length", "call_length_ms",
          "freq", "emergency", "encrypted", "talkgroup_tag", "audio_type", "srcList", "freqList"]

starts = st.one_of(
    st.datetimes(min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=st.just(dt.UTC)),
    st.sampled_from([dt.datetime(2026, 11, 2, 14, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)]),
)


@st.composite
def call_metas(draw: st.DrawFn) -> CallMeta:
    start = draw(starts)
    return CallMeta(
        system=draw(st.sampled_from(["county", "metro", "a/b", "a_b", "é-sys"])),
        talkgroup=draw(st.integers(min_value=-10, max_value=99999)),
        start_time=start,
        duration_s=draw(st.sampled_from([0.0, 1.5, 3.0, 20000.0])),
        stop_time=start + dt.timedelta(seconds=3),
        freq_hz=851_012_500,
        talkgroup_tag=draw(st.none() | texts),
        units=(Unit(unit_id=draw(st.integers(min_value=1, max_value=10**6)), tag="E12", pos_s=0.0),),
    )


@st.composite
def call_json_bytes(draw: st.DrawFn) -> bytes:
    """A trunk-recorder call JSON, often changed: fields dropped or given any JSON value,
    numbers written with hundreds of digits, the file cut short or filled with noise."""
    data: dict[str, object] = call_json(draw(call_metas()))
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=3, unique=True)):
        if draw(st.booleans()):
            data.pop(name, None)
        else:
            data[name] = draw(json_values)
    text = json.dumps(data, default=str)
    if draw(st.integers(0, 4)) == 0:  # a number literal no json.dumps would write
        text = text.replace('"freq_error": 0', '"freq_error": ' + "9" * draw(st.sampled_from([30, 400, 5000])), 1)
    raw = text.encode("utf-8", "surrogatepass")
    cut = draw(st.integers(0, 6))
    if cut == 0:
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif cut == 1:
        raw = draw(st.binary(max_size=200))
    return raw


@st.composite
def audio_bytes(draw: st.DrawFn) -> bytes:
    """Audio of every accepted type, whole or cut, or not audio at all."""
    kind = draw(st.sampled_from([*HEADERS, "empty", "noise"]))
    if kind == "empty":
        return b""
    if kind == "noise":
        return draw(st.binary(min_size=1, max_size=300))
    data = HEADERS[kind]
    how = draw(st.integers(0, 3))
    if how == 1:
        return data[: draw(st.integers(1, len(data)))]
    if how == 2:
        i = draw(st.integers(0, len(data) - 1))
        return data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1 :]
    return data


_name_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00")
stems = st.one_of(
    st.builds(lambda tg, s, n: f"{tg}-{s}_851012500-call_{n}", st.integers(-5, 99999), st.integers(0, 10**16), st.integers(0, 99)),
    st.text(_name_chars, min_size=1, max_size=40).filter(lambda s: not s.startswith(".") and len(s.encode()) < 200),
)
folder_days = st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2200, 12, 31)) | st.sampled_from(
    [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2026, 11, 2)]
)


@dataclass(frozen=True)
class PlantedCall:
    system: str
    day: dt.date
    stem: str
    json: bytes | None
    audio: bytes | None
    audio_ext: str


@st.composite
def planted_calls(draw: st.DrawFn) -> PlantedCall:
    has_json = draw(st.integers(0, 5)) > 0
    has_audio = draw(st.integers(0, 5)) > 0 or not has_json
    return PlantedCall(
        system=draw(st.sampled_from(["county", "metro"])),
        day=draw(folder_days),
        stem=draw(stems),
        json=draw(call_json_bytes()) if has_json else None,
        audio=draw(audio_bytes()) if has_audio else None,
        audio_ext=draw(st.sampled_from(["wav", "m4a", "mp3", "WAV"])),
    )


form_values = st.one_of(
    texts,
    huge_ints.map(str),
    floats.map(repr),
    st.sampled_from(["1e300", "9" * 5000, "-", "0", "4102444800", "2026-11-02T14:05:00Z", "[" * 1000]),
    json_values.map(lambda v: json.dumps(v, default=str)),
)
FORM_FIELDS = ["system", "systemLabel", "talkgroup", "talkgroupLabel", "talkgroupName", "talkgroupGroup",
               "talkgroupTag", "frequency", "source", "sources", "frequencies", "patches", "dateTime"]
