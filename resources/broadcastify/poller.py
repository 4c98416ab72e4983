"""One poll of the Broadcastify live feed into the landing zone, with a cursor that never
passes a call that was not stored.

The cursor is JSON: ``pos``, the ``pos`` to ask the API with next (every call that started
at or before it is stored, or recorded as a problem), and ``done``, the ids of calls after
``pos`` that are already stored, so that a re-read window does not download them twice.
A call whose audio cannot be fetched holds ``pos`` below its start until it is fetched, or
until it is ``give_up_s`` old, when it becomes a problem. With ``lag_s`` the cursor trails
the server clock, because ``pos`` filters on a call's *start* while a call appears only
after it ends and clears Broadcastify's ingest: a lagging cursor re-reads that window (the
API has no upper bound), and ``done`` makes the re-read cost requests, not downloads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlparse

from resources.bounds import INT64_MAX, INT64_MIN, OutOfBounds, check_label, short_repr
from resources.broadcastify.client import AudioDownloadError, BroadcastifyClient, LiveFeed
from resources.calls import (
    AUDIO_TYPES,
    CallMeta,
    MalformedCall,
    MalformedCallJson,
    Unit,
    ValueOutOfRange,
)
from resources.landing import LandingZone

SOURCE = "broadcastify"
_CONTENT_TYPES = {"audio/mpeg": "mp3", "audio/mp3": "mp3", "audio/mp4": "m4a", "audio/aac": "m4a", "audio/x-m4a": "m4a"}


class AudioUnavailable(MalformedCall):
    """A listed call whose audio never became downloadable within ``give_up_s``."""

    def __init__(self, source_ref: str, detail: str) -> None:
        super().__init__(source_ref, "audio_unavailable", detail)


@dataclass(frozen=True)
class PollSettings:
    feed: LiveFeed
    # Broadcastify system id (the part of groupId before the dash) -> scanlake system name
    system_names: Mapping[str, str] = field(default_factory=dict)
    lag_s: float = 0.0
    give_up_s: float = 3600.0


@dataclass
class PollResult:
    new_cursor: str
    stored: int
    problems: list[MalformedCall] = field(default_factory=list)
    # calls whose audio failed this time; the cursor waits below them
    retrying: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Cursor:
    pos: int | None
    done: frozenset[str]

    @classmethod
    def loads(cls, text: str | None) -> _Cursor:
        if not text:
            return cls(None, frozenset())
        if text.strip().lstrip("-").isdigit():  # a bare position, as lastPos is
            return cls(int(text), frozenset())
        try:
            data = json.loads(text)
            pos = data.get("pos")
            return cls(int(pos) if pos is not None else None, frozenset(str(i) for i in data.get("done", [])))
        except (ValueError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a Broadcastify cursor: {text[:80]!r}") from exc

    def dumps(self) -> str:
        return json.dumps({"pos": self.pos, "done": sorted(self.done)})


def poll_once(
    client: BroadcastifyClient, landing: LandingZone, cursor: str | None, settings: PollSettings
) -> PollResult:
    """Fetch the feed's calls since the cursor, download each one's audio and store it in
    the landing zone; return the cursor covering exactly what was stored or recorded.

    API failures (``BroadcastifyAuthError``, ``BroadcastifyUnavailable``,
    ``BroadcastifyBadResponse``) propagate: nothing was stored, the old cursor stands.
    """
    state = _Cursor.loads(cursor)
    page = client.live_calls(settings.feed, state.pos)
    server_now = page.server_time or int(time.time())

    handled: dict[str, int] = {}  # call id -> start ts, for calls stored or recorded
    blocked: list[int] = []
    result = PollResult(new_cursor="", stored=0)
    for record in sorted(page.calls, key=_order):
        ident = _identity(record)
        ref = f"{SOURCE}:{ident[0]}" if ident else f"{SOURCE}:record-{_digest(record)}"
        if ident and (ident[0] in state.done or ident[0] in handled):
            continue  # stored by an earlier poll (a re-read window), or listed twice
        try:
            meta = call_meta(record, ref, settings.system_names)
        except MalformedCall as exc:
            result.problems.append(exc)
            if ident:
                handled[ident[0]] = ident[1]
            continue
        assert ident is not None  # call_meta rejects records without groupId and ts
        call_id, ts = ident
        try:
            audio, ext = _fetch(client, record)
        except AudioDownloadError as exc:
            if server_now - ts > settings.give_up_s:
                result.problems.append(AudioUnavailable(ref, f"gave up after {settings.give_up_s:.0f} s: {exc.detail}"))
                handled[call_id] = ts
            else:
                blocked.append(ts)
                result.retrying.append(call_id)
            continue
        landing.put(SOURCE, meta, audio, ext)
        result.stored += 1
        handled[call_id] = ts

    new_pos = _advance(state.pos, page.calls, blocked, server_now, settings.lag_s)
    done = {i for i in state.done | handled.keys() if new_pos is None or _ts_of(i) > new_pos}
    result.new_cursor = _Cursor(new_pos, frozenset(done)).dumps()
    return result


def call_meta(record: object, source_ref: str, system_names: Mapping[str, str]) -> CallMeta:
    """A live-feed call record as CallMeta; ``MalformedCallJson`` when it cannot be one."""
    if not isinstance(record, dict):
        raise MalformedCallJson(source_ref, f"call record is {type(record).__name__}, not an object")
    group = record.get("groupId")
    if not isinstance(group, str) or "-" not in group:
        raise MalformedCallJson(source_ref, f"groupId is {group!r}, not 'SYSTEM-TALKGROUP'")
    prefix, _, tg = group.rpartition("-")
    if not tg.isdigit():
        raise MalformedCallJson(source_ref, f"groupId {group[:80]!r} has no numeric talkgroup")
    if len(tg) > 19 or int(tg) > INT64_MAX:
        raise ValueOutOfRange(source_ref, f"talkgroup {tg[:40]} does not fit a 64-bit integer")
    ts = _number(record, "ts", source_ref, required=True)
    start = _time(ts, source_ref)
    end = _number(record, "end_ts", source_ref)
    duration = _number(record, "duration", source_ref)
    if duration is None:
        begin = _number(record, "start_ts", source_ref)
        if end is None or begin is None:
            raise MalformedCallJson(source_ref, "no duration (nor start_ts and end_ts)")
        duration = end - begin
    freq = _number(record, "freq", source_ref)
    src = _number(record, "src", source_ref)
    default_name = "bcfy-conventional" if prefix == "c" else f"bcfy-{prefix}"
    return CallMeta(
        system=system_names.get(prefix, default_name),
        talkgroup=int(tg),
        start_time=start,
        duration_s=float(duration),
        stop_time=_time(end, source_ref) if end is not None else None,
        # the API gives MHz on some feeds and Hz on others
        freq_hz=(round(freq * 1e6) if freq < 1e5 else int(freq)) if freq else None,
        talkgroup_tag=_text(record, "display", source_ref),
        talkgroup_description=_text(record, "descr", source_ref),
        talkgroup_group=_text(record, "grouping", source_ref),
        talkgroup_group_tag=_text(record, "tag", source_ref),
        units=(Unit(int(src)),) if src and src > 0 else (),
    )


def _advance(old: int | None, calls: list[object], blocked: list[int], server_now: int, lag_s: float) -> int | None:
    starts = [i[1] for i in map(_identity, calls) if i]
    if lag_s > 0:
        target: int | None = int(server_now - lag_s)
    else:
        target = max(starts) if starts else old
    if blocked:
        ceiling = min(blocked) - 1
        target = ceiling if target is None else min(target, ceiling)
    if old is not None and (target is None or target < old):
        return old
    return target


def _fetch(client: BroadcastifyClient, record: Mapping[str, object]) -> tuple[bytes, str]:
    url = record.get("url")
    if not isinstance(url, str) or not url:
        # listed before its audio was published: it may have a url on the next poll
        raise AudioDownloadError(str(url), "no audio url yet")
    audio = client.download(url)
    ext = PurePosixPath(urlparse(url).path).suffix.lstrip(".").lower()
    if ext not in AUDIO_TYPES:
        ext = _CONTENT_TYPES.get((audio.content_type or "").split(";")[0].strip().lower(), "mp3")
    return audio.data, ext


def _identity(record: object) -> tuple[str, int] | None:
    """Broadcastify names a call by its groupId and start ts."""
    if not isinstance(record, dict) or not isinstance(record.get("groupId"), str):
        return None
    try:
        ts = _number(record, "ts", "", required=True)
    except MalformedCall:
        return None
    assert ts is not None
    return f"{record['groupId']}-{int(ts)}", int(ts)


def _ts_of(call_id: str) -> int:
    return int(call_id.rpartition("-")[2])


def _order(record: object) -> tuple[int, str]:
    ident = _identity(record)
    return (ident[1], ident[0]) if ident else (0, "")


def _digest(record: object) -> str:
    return hashlib.sha1(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _number(record: Mapping[str, object], key: str, ref: str, required: bool = False) -> float | None:
    value = record.get(key)
    if value is None or value == "":
        if required:
            raise MalformedCallJson(ref, f"missing {key}")
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise MalformedCallJson(ref, f"{key} is {value!r}, not a number") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedCallJson(ref, f"{key} is {short_repr(value)}, not a number")
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        raise ValueOutOfRange(ref, f"{key} {short_repr(value)} does not fit a 64-bit integer")
    if not math.isfinite(value):
        raise MalformedCallJson(ref, f"{key} is {value!r}, not a number")
    return float(value)


def _time(seconds: float, ref: str) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise MalformedCallJson(ref, f"timestamp {seconds!r} is out of range") from None


def _text(record: Mapping[str, object], key: str, ref: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MalformedCallJson(ref, f"{key} is {short_repr(value)}, not text")
    try:
        return check_label(str(value), key)
    except (OutOfBounds, ValueError) as exc:  # str() of an int past 4,300 digits raises too
        raise ValueOutOfRange(ref, str(exc)) from None
