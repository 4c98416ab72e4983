"""Checks a call must pass before it becomes a ``raw_calls`` row (pure of Dagster).

Each failure is a ``MalformedCall`` with a stable reason code. The checks hold whatever
source the call came from, so a value that slipped past one source's edge (an integer
past int64, a label of megabytes, a date without a partition) is quarantined here, never
raised by the writer for the whole batch.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from resources.bounds import (
    INT64_MAX,
    INT64_MIN,
    LIMITS,
    Limits,
    OutOfBounds,
    check_call_date,
    check_label,
)
from resources.calls import (
    AUDIO_TYPES,
    CallDelivery,
    CallMeta,
    MalformedCall,
    ValueOutOfRange,
    sniff_audio,
)

# Longer than any real transmission; a larger value means a broken clock or a broken file.
MAX_CALL_DURATION_S = 4 * 3600.0


class InvalidCall(MalformedCall):
    def __init__(self, source_ref: str, detail: str) -> None:
        super().__init__(source_ref, "invalid_call", detail)


class DateOutOfRange(MalformedCall):
    """A call whose UTC day has no partition: before the first call date, or further in
    the future than the allowed clock skew."""

    def __init__(self, source_ref: str, detail: str) -> None:
        super().__init__(source_ref, "date_out_of_range", detail)


class BadAudio(MalformedCall):
    """Bytes delivered as a call's audio that are not audio of an accepted type."""

    def __init__(self, source_ref: str, detail: str) -> None:
        super().__init__(source_ref, "bad_audio", detail)


def check_date(meta: CallMeta, source_ref: str, now: dt.datetime, limits: Limits = LIMITS) -> None:
    """Raise ``DateOutOfRange`` for a call whose day no partition holds."""
    if meta.start_time.tzinfo is None:
        raise InvalidCall(source_ref, "start_time has no timezone")
    try:
        check_call_date(meta.start_time, now, limits)
    except OutOfBounds as exc:
        raise DateOutOfRange(source_ref, str(exc)) from None


def check_call(meta: CallMeta, source_ref: str, now: dt.datetime, limits: Limits = LIMITS) -> None:
    """Every check a call's metadata must pass to be stored."""
    if not meta.system:
        raise InvalidCall(source_ref, "empty system short name")
    check_date(meta, source_ref, now, limits)
    if not 0 < meta.duration_s <= MAX_CALL_DURATION_S:
        raise InvalidCall(
            source_ref, f"duration {meta.duration_s!r} s outside (0, {MAX_CALL_DURATION_S:.0f}]"
        )
    if meta.stop_time is not None and meta.stop_time < meta.start_time:
        raise InvalidCall(source_ref, "stop_time is before start_time")
    for what, value in _integers(meta):
        if isinstance(value, bool) or not isinstance(value, int) or not INT64_MIN <= value <= INT64_MAX:
            raise ValueOutOfRange(source_ref, f"{what} does not fit a 64-bit integer")
    for what, number in _floats(meta):
        if not isinstance(number, int | float) or not math.isfinite(number):
            raise ValueOutOfRange(source_ref, f"{what} is not a finite number")
    for what, text in _labels(meta):
        try:
            check_label(text, what, limits)
        except OutOfBounds as exc:
            raise ValueOutOfRange(source_ref, str(exc)) from None


def check_audio(audio: bytes, declared_ext: str, source_ref: str, limits: Limits = LIMITS) -> str:
    """The extension to store the audio under; raises ``BadAudio`` for bytes that are not
    audio of an accepted type (an empty file, random bytes named ``.wav``)."""
    if len(audio) > limits.max_audio_bytes:
        raise BadAudio(source_ref, f"{len(audio)} bytes of audio, over the {limits.max_audio_bytes} byte cap")
    if not audio:
        raise BadAudio(source_ref, "empty audio file")
    sniffed = sniff_audio(audio)
    if sniffed is None:
        raise BadAudio(source_ref, f"not audio: no {'/'.join(sorted(set(AUDIO_TYPES)))} header in the bytes")
    declared = declared_ext.lstrip(".").lower()
    # keep the recorder's name when the bytes agree with it (opus in an Ogg container)
    return declared if AUDIO_TYPES.get(declared) == AUDIO_TYPES[sniffed] else sniffed


def _integers(meta: CallMeta) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [("talkgroup", meta.talkgroup)]
    if meta.freq_hz is not None:
        out.append(("freq", meta.freq_hz))
    out += [(f"units[{i}].unit_id", u.unit_id) for i, u in enumerate(meta.units)]
    for i, f in enumerate(meta.freqs):
        out += [(f"freqs[{i}].{k}", v) for k, v in vars(f).items() if k.endswith(("_hz", "_count")) and v is not None]
    return out


def _floats(meta: CallMeta) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [("duration", meta.duration_s)]
    out += [(f"units[{i}].pos", u.pos_s) for i, u in enumerate(meta.units) if u.pos_s is not None]
    for i, f in enumerate(meta.freqs):
        out += [(f"freqs[{i}].{k}", v) for k, v in (("pos", f.pos_s), ("len", f.len_s)) if v is not None]
    return out


def _labels(meta: CallMeta) -> list[tuple[str, str]]:
    named = {
        "system": meta.system,
        "talkgroup_tag": meta.talkgroup_tag,
        "talkgroup_description": meta.talkgroup_description,
        "talkgroup_group": meta.talkgroup_group,
        "talkgroup_group_tag": meta.talkgroup_group_tag,
        "audio_type": meta.audio_type,
    }
    out = [(k, v) for k, v in named.items() if isinstance(v, str)]
    out += [(f"units[{i}].tag", u.tag) for i, u in enumerate(meta.units) if isinstance(u.tag, str)]
    return out


def place(item: CallDelivery | MalformedCall, now: dt.datetime) -> CallDelivery | MalformedCall:
    """A delivery whose day no partition holds becomes its ``DateOutOfRange`` problem, so
    nothing downstream ever asks for that day's partition."""
    if isinstance(item, MalformedCall):
        return item
    try:
        check_date(item.meta, item.source_ref, now)
    except MalformedCall as exc:
        return exc
    return item


def split_days(days: Iterable[dt.date], now: dt.datetime, limits: Limits = LIMITS) -> tuple[list[dt.date], list[dt.date]]:
    """Days that have a partition, and days that do not (their calls are quarantined)."""
    last = limits.last_call_date(now)
    inside = sorted(d for d in days if limits.first_call_date <= d <= last)
    outside = sorted(d for d in days if not limits.first_call_date <= d <= last)
    return inside, outside
