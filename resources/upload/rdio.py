"""rdio-scanner's call-upload form, read into scanlake's call metadata.

The fields and their readings follow rdio-scanner's server (``ParseMultipartContent`` in
its Go sources) and what trunk-recorder's rdioscanner_uploader plugin and SDRTrunk send:

- ``dateTime``: Unix seconds, or RFC 3339;
- ``system``: rdio-scanner's numeric system id; ``systemLabel``: trunk-recorder's
  ``shortName``. scanlake stores a call under ``systemLabel`` when it is sent, so an
  uploaded call gets the same call_uid as the same call read from a capture folder;
  else under the system id;
- ``talkgroupLabel`` / ``talkgroupName`` / ``talkgroupGroup`` / ``talkgroupTag``: the
  talkgroup's alpha tag, description, group and tag; ``-`` means none;
- ``frequencies`` / ``sources`` / ``patches``: JSON arrays; ``source``: one unit id.

A value of 0 for system, talkgroup, frequency or source means "not sent", as in
rdio-scanner. Replies keep rdio-scanner's wording (SDRTrunk reads "Incomplete call data:
no talkgroup" as a successful connection test).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from resources.bounds import (
    INT64_MAX,
    LIMITS,
    OutOfBounds,
    check_call_date,
    check_int64,
    check_label,
    load_json,
)
from resources.calls import CallMeta, FreqHop, Unit
from resources.upload.multipart import Part

IMPORTED = "Call imported successfully."
T = TypeVar("T")


class IncompleteCall(ValueError):
    """A required field is missing; ``missing`` is rdio-scanner's phrase (``no talkgroup``)."""

    def __init__(self, missing: str) -> None:
        super().__init__(f"Incomplete call data: {missing}")
        self.missing = missing


class InvalidField(ValueError):
    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"Invalid call data: {name}: {detail}")
        self.name = name
        self.detail = detail


def check_meta(meta: CallMeta, now: dt.datetime | None = None) -> None:
    """Refuse, with ``InvalidField``, a call the lake will not keep: its day has no
    partition, or a label is over its cap. A recorder answered 4xx stops retrying."""
    try:
        check_call_date(meta.start_time, now or dt.datetime.now(dt.UTC))
    except OutOfBounds as exc:
        raise InvalidField("dateTime", str(exc)) from None
    for name in ("system", "talkgroup_tag", "talkgroup_description", "talkgroup_group", "talkgroup_group_tag"):
        value = getattr(meta, name)
        if isinstance(value, str):
            _bounded(check_label, value, name)


def _bounded(check: Callable[[T, str], T], value: T, name: str) -> T:
    try:
        return check(value, name)
    except OutOfBounds as exc:
        raise InvalidField(name, str(exc)) from None


def invalid_key_reply(parts: Mapping[str, Part]) -> str:
    system = _text(parts, "systemLabel") or _text(parts, "system") or "0"
    return f"Invalid API key for system {system} talkgroup {_text(parts, 'talkgroup') or '0'}."


@dataclass(frozen=True)
class CallUpload:
    """One call-upload form, read but not yet checked for completeness."""

    key: str
    system: str | None
    talkgroup: int | None
    start_time: dt.datetime | None
    audio: bytes
    declared_type: str | None
    details: dict[str, object] = field(default_factory=dict)

    def check_complete(self) -> None:
        # rdio-scanner reports the last of these that fails, so the talkgroup wins.
        if self.talkgroup is None:
            raise IncompleteCall("no talkgroup")
        if self.system is None:
            raise IncompleteCall("no system")
        if self.start_time is None:
            raise IncompleteCall("no datetime")
        if len(self.audio) <= 44:  # a bare WAV header
            raise IncompleteCall("no audio")

    def meta(self, duration_s: float) -> CallMeta:
        self.check_complete()
        assert self.system is not None and self.talkgroup is not None and self.start_time is not None
        return _checked(CallMeta(
            system=self.system,
            talkgroup=self.talkgroup,
            start_time=self.start_time,
            duration_s=duration_s,
            stop_time=self.start_time + dt.timedelta(seconds=duration_s),
            **self.details,  # type: ignore[arg-type]
        ))


def _checked(meta: CallMeta) -> CallMeta:
    check_meta(meta)
    return meta


def parse_call_upload(parts: Mapping[str, Part]) -> CallUpload:
    """Read a call-upload form; raises ``InvalidField`` for a value that is present but
    unreadable. Missing fields are left for ``check_complete``."""
    freq_hz = _positive_int(parts, "frequency")
    units = _units(parts)
    if not units and (source := _positive_int(parts, "source")):
        units = (Unit(unit_id=source),)
    _patches(parts)  # checked, not stored: raw_calls has no column for patched talkgroups
    audio = parts.get("audio")
    return CallUpload(
        key=_text(parts, "key") or "",
        system=_label(parts, "systemLabel") or _str_or_none(_positive_int(parts, "system")),
        talkgroup=_positive_int(parts, "talkgroup"),
        start_time=_date_time(parts),
        audio=audio.data if audio else b"",
        declared_type=_text(parts, "audioType") or _text(parts, "audioName") or (audio.filename if audio else None),
        details=dict(
            freq_hz=freq_hz,
            talkgroup_tag=_label(parts, "talkgroupLabel"),
            talkgroup_description=_label(parts, "talkgroupName"),
            talkgroup_group=_label(parts, "talkgroupGroup"),
            talkgroup_group_tag=_label(parts, "talkgroupTag"),
            units=units,
            freqs=_freqs(parts, freq_hz),
        ),
    )


def _text(parts: Mapping[str, Part], name: str) -> str | None:
    part = parts.get(name)
    return part.text() if part is not None else None


def _label(parts: Mapping[str, Part], name: str) -> str | None:
    value = _text(parts, name)
    return _bounded(check_label, value, name) if value and value != "-" else None


def _str_or_none(value: int | None) -> str | None:
    return str(value) if value is not None else None


def _positive_int(parts: Mapping[str, Part], name: str) -> int | None:
    value = _text(parts, name)
    if not value:
        return None
    if len(value) > LIMITS.max_number_chars:
        raise InvalidField(name, f"a number of {len(value)} characters, over the {LIMITS.max_number_chars} cap")
    try:
        number = int(value)
    except ValueError:
        try:
            as_float = float(value)  # "851012500.0" from a recorder that prints floats
        except ValueError:
            raise InvalidField(name, f"{value[:40]!r} is not a number") from None
        if not as_float.is_integer():
            raise InvalidField(name, f"{value[:40]!r} is not a whole number") from None
        number = int(as_float)
    if number < 0:
        raise InvalidField(name, f"{number} is negative")
    return _bounded(check_int64, number, name) or None


def _date_time(parts: Mapping[str, Part]) -> dt.datetime | None:
    value = _text(parts, "dateTime")
    if not value:
        return None
    if len(value) > LIMITS.max_number_chars:
        raise InvalidField("dateTime", f"{value[:40]!r}… is too long for a time")
    try:
        seconds = float(value) if value.isascii() else None
    except ValueError:
        seconds = None
    if seconds is not None:
        if seconds == 0:
            return None
        if seconds < 0:
            raise InvalidField("dateTime", f"{value[:40]!r} is before 1970")
        try:
            return dt.datetime.fromtimestamp(seconds, dt.UTC)
        except (OverflowError, ValueError, OSError):
            raise InvalidField("dateTime", f"{value[:40]!r} is out of range") from None
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidField("dateTime", f"{value[:40]!r} is neither Unix seconds nor RFC 3339") from None
    if stamp.tzinfo is None:
        raise InvalidField("dateTime", f"{value[:40]!r} has no timezone")
    return stamp.astimezone(dt.UTC)


def _json_list(parts: Mapping[str, Part], name: str) -> list[object]:
    value = _text(parts, name)
    if not value:
        return []
    try:
        data = load_json(value)
    except OutOfBounds as exc:
        raise InvalidField(name, str(exc)) from None
    except ValueError:
        raise InvalidField(name, "not JSON") from None
    if not isinstance(data, list):
        raise InvalidField(name, "not a JSON array")
    return data


def _number(item: Mapping[str, object], key: str, name: str) -> float | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidField(name, f"{key} {value!r} is not a number")
    if abs(value) > INT64_MAX:  # every number here is stored as an int64 or a float64
        raise InvalidField(name, f"{key} {value!r} does not fit a 64-bit integer")
    return float(value)


def _entries(parts: Mapping[str, Part], name: str) -> list[Mapping[str, object]]:
    entries = _json_list(parts, name)
    for entry in entries:
        if not isinstance(entry, dict):
            raise InvalidField(name, "entries must be JSON objects")
    return entries  # type: ignore[return-value]


def _units(parts: Mapping[str, Part]) -> tuple[Unit, ...]:
    units = []
    for entry in _entries(parts, "sources"):
        src = _number(entry, "src", "sources")
        if not src or src < 0:  # rdio-scanner keeps only positive unit ids
            continue
        tag = entry.get("tag")
        units.append(
            Unit(
                unit_id=int(src),
                tag=tag if isinstance(tag, str) and tag else None,
                pos_s=_number(entry, "pos", "sources"),
                emergency=bool(entry.get("emergency", False)),
            )
        )
    return tuple(units)


def _freqs(parts: Mapping[str, Part], call_freq_hz: int | None) -> tuple[FreqHop, ...]:
    hops = []
    for entry in _entries(parts, "frequencies"):
        freq = _number(entry, "freq", "frequencies") or call_freq_hz
        if not freq:
            continue
        errors = _number(entry, "errorCount", "frequencies")
        spikes = _number(entry, "spikeCount", "frequencies")
        hops.append(
            FreqHop(
                freq_hz=int(freq),
                pos_s=_number(entry, "pos", "frequencies"),
                len_s=_number(entry, "len", "frequencies"),
                error_count=int(errors) if errors is not None else None,
                spike_count=int(spikes) if spikes is not None else None,
            )
        )
    return tuple(hops)


def _patches(parts: Mapping[str, Part]) -> list[int]:
    patches = []
    for value in _json_list(parts, "patches"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidField("patches", f"{value!r} is not a talkgroup number")
        patches.append(int(value))
    return patches
