"""trunk-recorder's call files: the JSON it writes beside each call's audio, and where.

Checked against trunk-recorder's own source (``call_concluder.cc``: ``create_call_json``
and ``create_base_filename``). Per call it writes, under
``CAPTURE_DIR/SHORTNAME/YYYY/M/D/`` (the recorder's *local* date, month and day not
zero-padded):

- ``TG-START_FREQ[.SLOT]-call_N.wav``: the audio, combined by sox first;
- ``TG-START_FREQ[.SLOT]-call_N.json``: the metadata, written after the audio;
- ``TG-START_FREQ[.SLOT]-call_N.m4a``: with ``compressWav``, converted after the JSON.

START is the epoch second (up to 4.x) or ``SECONDS.MMM`` (5.x); SLOT only for TDMA and
DMR slots. Flags are 0/1 integers, ``call_length`` is rounded to whole seconds, and 5.x
adds ``start_time_ms``, ``stop_time_ms`` and ``call_length_ms``. Old files carry
``error_count`` as a string, some third-party writers booleans for flags: both are read.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path

from resources.bounds import OutOfBounds, load_json
from resources.calls import CallMeta, FreqHop, MalformedCallJson, Unit, ValueOutOfRange
from resources.trunk_recorder import fields
from resources.trunk_recorder.names import (
    AUDIO_EXTS,
    EPOCH,
    call_stem,
    day_dir,
    epoch_ms,
    local_day,
)

# What trunk-recorder writes for what it measured and CallMeta does not carry.
_RECORDER_DEFAULTS: dict[str, object] = {
    "freq_error": 0,
    "signal": 0,
    "noise": 0,
    "source_num": 0,
    "recorder_num": 0,
    "priority": 0,
    "mode": 0,
    "duplex": 0,
}


# --- reading -----------------------------------------------------------------------------


def parse_call_json(raw: bytes, source_ref: str) -> CallMeta:
    """A call's metadata from the bytes of its trunk-recorder JSON file.

    Raises ``MalformedCallJson`` for bytes that are not JSON (including a file cut short
    mid-write), a top level that is not an object, a missing required field (short_name,
    talkgroup, start_time, and one of call_length_ms / call_length) or a field of the
    wrong type.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedCallJson(source_ref, f"not UTF-8 text: {exc}") from exc
    if not text.strip():
        raise MalformedCallJson(source_ref, "empty file")
    try:
        data = load_json(text)
    except OutOfBounds as exc:
        raise ValueOutOfRange(source_ref, str(exc)) from None
    except json.JSONDecodeError as exc:
        # Running out of text mid-value is what a file read while still being written
        # (or cut off by a crash) looks like.
        tail = len(text.rstrip()) - exc.pos  # a cut number like "0." fails on its last char
        cut = exc.msg.startswith("Unterminated string") or (tail <= 1 and exc.msg != "Extra data")
        kind = "truncated JSON" if cut else "invalid JSON"
        raise MalformedCallJson(source_ref, f"{kind}: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    if not isinstance(data, dict):
        raise MalformedCallJson(source_ref, f"top level is {type(data).__name__}, not an object")
    try:
        return _meta(data)
    except fields.FieldOutOfRange as exc:
        raise ValueOutOfRange(source_ref, str(exc)) from exc
    except fields.FieldError as exc:
        raise MalformedCallJson(source_ref, str(exc)) from exc


def _meta(d: Mapping[str, object]) -> CallMeta:
    system = fields.string(d, "short_name", required=True)
    if not system:
        raise fields.FieldError("short_name is empty")
    start_ms = fields.integer(d, "start_time_ms")
    start_s = fields.req_number(d, "start_time")
    start = _from_ms(start_ms) if start_ms else _from_s(start_s)
    stop_ms = fields.integer(d, "stop_time_ms")
    stop_s = fields.number(d, "stop_time")
    stop = _from_ms(stop_ms) if stop_ms else (_from_s(stop_s) if stop_s is not None else None)

    length_ms = fields.integer(d, "call_length_ms")
    length_s = fields.number(d, "call_length")
    if length_ms is not None:
        duration = length_ms / 1000
    elif length_s is not None:
        duration = float(length_s)
    else:
        raise fields.FieldError("missing call_length (and call_length_ms)")

    freqs = tuple(_freq_hop(f, i) for i, f in enumerate(fields.items(d, "freqList")))
    # Before call_length_ms, the exact length was only the sum of the transmissions.
    if length_ms is None and freqs and all(f.len_s is not None for f in freqs):
        duration = sum(f.len_s or 0.0 for f in freqs)

    return CallMeta(
        system=system,
        talkgroup=fields.req_int(d, "talkgroup"),
        start_time=start,
        duration_s=duration,
        stop_time=stop,
        freq_hz=fields.integer(d, "freq"),
        emergency=fields.flag(d, "emergency"),
        encrypted=fields.flag(d, "encrypted"),
        talkgroup_tag=fields.string(d, "talkgroup_tag") or None,
        talkgroup_description=fields.string(d, "talkgroup_description") or None,
        talkgroup_group=fields.string(d, "talkgroup_group") or None,
        talkgroup_group_tag=fields.string(d, "talkgroup_group_tag") or None,
        audio_type=fields.string(d, "audio_type") or None,
        units=tuple(_unit(u, i) for i, u in enumerate(fields.items(d, "srcList"))),
        freqs=freqs,
    )


def _unit(item: object, i: int) -> Unit:
    if not isinstance(item, dict):
        raise fields.FieldError(f"srcList[{i}] is {type(item).__name__}, not an object")
    where = f"srcList[{i}]."
    return Unit(
        unit_id=fields.req_int(item, "src", where),
        tag=fields.string(item, "tag", where=where) or None,
        pos_s=fields.floating(item, "pos", where=where),
        emergency=fields.flag(item, "emergency", where=where),
    )


def _freq_hop(item: object, i: int) -> FreqHop:
    if not isinstance(item, dict):
        raise fields.FieldError(f"freqList[{i}] is {type(item).__name__}, not an object")
    where = f"freqList[{i}]."
    return FreqHop(
        freq_hz=fields.req_int(item, "freq", where),
        pos_s=fields.floating(item, "pos", where=where),
        len_s=fields.floating(item, "len", where=where),
        error_count=fields.integer(item, "error_count", where=where, numeric_text=True),
        spike_count=fields.integer(item, "spike_count", where=where, numeric_text=True),
    )


def _from_s(seconds: float) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise fields.FieldError(f"timestamp {seconds!r} is out of range") from exc


def _from_ms(ms: int) -> dt.datetime:
    # Integer arithmetic keeps the milliseconds exact (a float division may not).
    try:
        return EPOCH + dt.timedelta(milliseconds=ms)
    except OverflowError as exc:
        raise fields.FieldError(f"timestamp {ms!r} ms is out of range") from exc


# --- writing -----------------------------------------------------------------------------


def call_json(meta: CallMeta, extra: Mapping[str, object] | None = None) -> dict[str, object]:
    """The JSON trunk-recorder 5.x writes for this call, field for field and in its order.

    ``extra`` sets the recorder's own measurements that CallMeta does not carry
    (freq_error, signal, noise, source_num, recorder_num, tdma_slot, priority, mode,
    duplex); absent, they take the values trunk-recorder writes when it has none.
    """
    fields = {**_RECORDER_DEFAULTS, **(extra or {})}
    start_ms = epoch_ms(meta.start_time)
    length_ms = round(meta.duration_s * 1000)
    stop_ms = epoch_ms(meta.stop_time) if meta.stop_time else start_ms + length_ms
    tdma = meta.audio_type == "digital tdma"
    start_s = start_ms // 1000
    out: dict[str, object] = {
        "freq": int(meta.freq_hz or 0),
        "freq_error": fields["freq_error"],
        "signal": fields["signal"],
        "noise": fields["noise"],
        "source_num": fields["source_num"],
        "recorder_num": fields["recorder_num"],
        "tdma_slot": fields.get("tdma_slot", 0 if tdma else -1),
        "phase2_tdma": int(tdma),
        "start_time": start_s,
        "stop_time": stop_ms // 1000,
        "start_time_ms": start_ms,
        "stop_time_ms": stop_ms,
        "emergency": int(meta.emergency),
        "priority": fields["priority"],
        "mode": fields["mode"],
        "duplex": fields["duplex"],
        "encrypted": int(meta.encrypted),
        "call_length": round(meta.duration_s),
        "call_length_ms": length_ms,
        "talkgroup": meta.talkgroup,
        "talkgroup_tag": meta.talkgroup_tag or "",
        "talkgroup_description": meta.talkgroup_description or "",
        "talkgroup_group_tag": meta.talkgroup_group_tag or "",
        "talkgroup_group": meta.talkgroup_group or "",
        # trunk-recorder always knows ("digital", "digital tdma", "analog"); CallMeta may not.
        "audio_type": meta.audio_type or "",
        "short_name": meta.system,
    }
    if meta.freqs:
        out["freqList"] = [
            {
                "freq": f.freq_hz,
                "time": start_s + int(f.pos_s or 0),
                "pos": f.pos_s if f.pos_s is not None else 0,
                "len": f.len_s if f.len_s is not None else 0,
                "error_count": f.error_count or 0,
                "spike_count": f.spike_count or 0,
            }
            for f in meta.freqs
        ]
    if meta.units:
        out["srcList"] = [
            {
                "src": u.unit_id,
                "time": start_s + int(u.pos_s or 0),
                "pos": u.pos_s if u.pos_s is not None else 0,
                "emergency": int(u.emergency),
                "signal_system": "",
                "tag": u.tag or "",
            }
            for u in meta.units
        ]
    return out


def write_call(
    capture_dir: Path,
    meta: CallMeta,
    audio: bytes,
    audio_ext: str,
    *,
    call_num: int = 0,
    tz: dt.tzinfo | None = None,
    extra: Mapping[str, object] | None = None,
) -> tuple[Path, Path]:
    """Write one call the way trunk-recorder does: the audio, then its JSON (indented two
    spaces), under the day folder of the call's start in ``tz`` (None: this machine's
    local zone, as trunk-recorder uses). Returns (audio path, JSON path)."""
    ext = audio_ext.lstrip(".").lower()
    if ext not in AUDIO_EXTS:
        raise ValueError(f"trunk-recorder writes {', '.join(AUDIO_EXTS)} audio, not {audio_ext!r}")
    data = call_json(meta, extra)
    folder = day_dir(Path(capture_dir), meta.system, local_day(meta.start_time, tz))
    folder.mkdir(parents=True, exist_ok=True)
    slot = data["tdma_slot"]
    stem = call_stem(meta, call_num, slot if isinstance(slot, int) else None)
    audio_path = folder / f"{stem}.{ext}"
    json_path = folder / f"{stem}.json"
    audio_path.write_bytes(audio)
    json_path.write_text(json.dumps(data, indent=2))
    return audio_path, json_path
