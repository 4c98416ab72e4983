"""Finding calls in a trunk-recorder capture folder, live or as an archive.

Live: ``scan`` returns the calls whose JSON file was last written after a watermark (its
mtime in ns is the call's position), in position order. trunk-recorder writes the audio,
then the JSON, in place, so a call whose JSON is younger than ``settle_s`` is taken at
once only when it is visibly complete: the JSON parses (a half-written JSON never does)
and its audio was last written before it. Anything else that young (a JSON still being
written, audio still growing) stops the scan there, and it and every later file wait for a
later scan, so the watermark never passes a file that was not read. Only day folders
in which a file was created since the watermark are listed (creating a file bumps its
folder's mtime), so a scan every few seconds costs one stat per day folder however large
the archive grows. Positions are inode change times (``walk``), so a file copied in
with an old mtime (``rsync -a``) is seen live like any new file.

Archive: ``scan_dates`` lists the UTC days that have calls and ``scan_day`` returns one
day's calls. Day folders are named after the recorder's local date, but partitions are
UTC days, so a day's calls are gathered from the folders either side too, placed by the
start time that every file name carries, and kept when their own start falls on the day.
A call whose name does not parse is placed by its JSON's start when that lies within
the folders either side, else on its folder's day, where it is quarantined as
``misplaced_call``: every file is some day's, and only one day's.

Problems come back typed (``MalformedCallJson``, ``MissingAudio``, ``MissingJson``), each
with the file's path as ``source_ref``; they never stop the scan.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from resources.bounds import LIMITS
from resources.calls import (
    CallDelivery,
    MalformedCall,
    MalformedCallJson,
    MissingAudio,
    MissingJson,
)
from resources.trunk_recorder.format import parse_call_json
from resources.trunk_recorder.names import AUDIO_EXTS
from resources.trunk_recorder.walk import (
    CallFiles,
    Refused,
    call_files,
    changed,
    day_folders,
    safe_read,
    untouched_since,
)

T = TypeVar("T", dt.date, dt.datetime)
SOURCE = "trunk-recorder"
DEFAULT_SETTLE_S = 5.0
# Wider than any timezone offset plus a call spanning local midnight.
_FOLDER_SLACK = dt.timedelta(days=2)
# How far a file name's start may sit from the JSON's own start_time (the name uses the
# grant time, the JSON the first transmission).
_NAME_SLACK = dt.timedelta(hours=1)


@dataclass
class ScanResult:
    deliveries: list[CallDelivery] = field(default_factory=list)
    problems: list[MalformedCall] = field(default_factory=list)
    # The highest position among the files returned (the watermark to pass next time);
    # the ``after_position`` given when nothing new was found.
    position: int = 0


def scan(
    capture_dir: Path,
    after_position: int,
    settle_s: float = DEFAULT_SETTLE_S,
    upto_position: int | None = None,
    now_ns: int | None = None,
) -> ScanResult:
    """New calls and problems with positions in ``(after_position, upto_position]``, in
    position order, up to the first file younger than ``settle_s`` that is not visibly
    complete."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    settled_upto = now_ns - int(settle_s * 1e9)
    upto = upto_position if upto_position is not None else now_ns

    candidates: list[tuple[int, CallFiles]] = []
    for day, folder in day_folders(Path(capture_dir), None, None):
        # Not pruned by the folder's date: the simulator and copies write old days now.
        if after_position and untouched_since(folder, after_position):
            continue
        for call in call_files(folder, day):
            if call.json is not None:
                position = call.json_position()
            elif call.audio:
                position = call.audio_position()
            else:
                continue
            if position is not None and after_position < position <= upto:
                candidates.append((position, call))

    result = ScanResult(position=after_position)
    for position, call in sorted(candidates, key=lambda pair: (pair[0], pair[1].stem)):
        item = _deliver(call, position) if call.json is not None else _orphan(call)
        if position > settled_upto and not _complete(call, item, position):
            break
        _add(result, item)
        result.position = max(result.position, position)
    return result


def _complete(call: CallFiles, item: CallDelivery | MalformedCall, json_position: int) -> bool:
    """A young call that can be read now: its JSON parsed, and its audio was finished
    before the JSON was written (not still being recorded or converted)."""
    if not isinstance(item, CallDelivery):
        return False
    audio_written = changed(call.audio[item.audio_ext])
    return audio_written is not None and audio_written <= json_position


def scan_day(
    capture_dir: Path, day: dt.date, settle_s: float = DEFAULT_SETTLE_S, now_ns: int | None = None
) -> ScanResult:
    """Every call of one UTC day (by start time) and every problem placed on it, for a
    backfill. Files younger than ``settle_s`` are left to the live scan."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    limit = now_ns - int(settle_s * 1e9)
    day_start = dt.datetime.combine(day, dt.time(), dt.UTC)
    window = (_shift(day_start, -_NAME_SLACK), _shift(day_start, dt.timedelta(days=1) + _NAME_SLACK))

    result = ScanResult()
    found: list[tuple[int, CallDelivery | MalformedCall]] = []
    for folder_day, folder in day_folders(Path(capture_dir), _shift(day, -_FOLDER_SLACK), _shift(day, _FOLDER_SLACK)):
        for call in call_files(folder, folder_day):
            if call.json is not None:
                if call.name and not window[0] <= call.name.start_time < window[1]:
                    continue
                position = call.json_position()
                if position is None or position > limit:
                    continue
                item = _deliver(call, position)
                placed = _day_of(item, call)
                if placed == day:
                    found.append((position, item))
                elif call.name is None and folder_day == day and not _near(placed, folder_day):
                    # no other day's scan would look in this folder for it
                    found.append((position, _misplaced(item, placed)))
            elif call.audio and call.name_day() == day:
                position = call.audio_position()
                if position is not None and position <= limit:
                    found.append((position, _orphan(call)))
    for position, item in sorted(found, key=lambda pair: (pair[0], pair[1].source_ref)):
        _add(result, item)
        result.position = max(result.position, position)
    return result


def scan_dates(capture_dir: Path) -> list[dt.date]:
    """The UTC days that have call files (JSON, or call audio without it), from file
    names alone: nothing is opened or stat'ed."""
    days: set[dt.date] = set()
    for folder_day, folder in day_folders(Path(capture_dir), None, None):
        for call in call_files(folder, folder_day):
            if call.json is not None and call.name is None:
                # a name that does not parse: the JSON says the day (opened, bounded)
                placed = _day_of(_deliver(call, 0), call)
                days.add(placed if _near(placed, folder_day) else folder_day)
            elif call.json is not None or call.audio:
                days.add(call.name_day())
    return sorted(days)


def _shift(value: T, delta: dt.timedelta) -> T:
    """``value + delta``, held at the calendar's ends (a folder named 9999/12/31)."""
    try:
        return value + delta  # type: ignore[return-value]
    except OverflowError:
        end = type(value).max if delta > dt.timedelta(0) else type(value).min
        if isinstance(value, dt.datetime):
            end = end.replace(tzinfo=value.tzinfo)  # type: ignore[call-arg]
        return end  # type: ignore[return-value]


def _near(day: dt.date, folder_day: dt.date) -> bool:
    return abs(day - folder_day) <= _FOLDER_SLACK


class MisplacedCall(MalformedCall):
    """A call whose file name does not say when it started and whose JSON puts it on a day
    far from its folder's: a copy into the wrong folder, or a broken clock."""

    def __init__(self, source_ref: str, detail: str) -> None:
        super().__init__(source_ref, "misplaced_call", detail)


def _misplaced(item: CallDelivery | MalformedCall, placed: dt.date) -> MalformedCall:
    if isinstance(item, MalformedCall):
        return item
    return MisplacedCall(
        item.source_ref, f"its JSON starts on {placed}, its folder is more than {_FOLDER_SLACK.days} days away"
    )


class _PlacedMissingAudio(MissingAudio):
    """MissingAudio that knows its call's UTC day, so a backfill files it on that day."""

    def __init__(self, source_ref: str, detail: str, meta_day: dt.date) -> None:
        super().__init__(source_ref, detail)
        self.meta_day = meta_day


def _deliver(call: CallFiles, position: int) -> CallDelivery | MalformedCall:
    assert call.json is not None
    json_path = Path(call.json.path)
    ref = str(json_path)
    try:
        meta = parse_call_json(safe_read(json_path, LIMITS.max_json_bytes), ref)
    except MalformedCall as exc:
        return exc
    except Refused as exc:
        return MalformedCall(ref, exc.reason, exc.detail)
    except FileNotFoundError:
        return MalformedCallJson(ref, "JSON file vanished while being read")
    except OSError as exc:
        return MalformedCallJson(ref, f"JSON file cannot be read: {exc}")
    audio = call.best_audio()
    if audio is None:
        wanted = "/".join(f".{e}" for e in AUDIO_EXTS)
        return _PlacedMissingAudio(ref, f"no {wanted} audio beside the call JSON", meta.call_date)
    audio_path, ext = audio
    return CallDelivery(
        source=SOURCE,
        source_ref=ref,
        meta=meta,
        audio_ext=ext,
        read_audio=lambda: read_audio(audio_path, ref),
        position=position,
        audio_path=str(audio_path),
    )


def _day_of(item: CallDelivery | MalformedCall, call: CallFiles) -> dt.date:
    """The UTC day a backfill files an item on: its call's start when the JSON could be
    read, else the start its file name gives."""
    if isinstance(item, CallDelivery):
        return item.meta.call_date
    if isinstance(item, _PlacedMissingAudio):
        return item.meta_day
    return call.name_day()


def _orphan(call: CallFiles) -> MissingJson:
    audio = call.best_audio()
    assert audio is not None
    return MissingJson(str(audio[0]), "call audio without its .json (trunk-recorder callLog off, or a crash between the two writes)")


def read_audio(path: Path, ref: str) -> bytes:
    """A call's audio bytes, bounded; a refusal or a vanished file is the call's problem."""
    try:
        return safe_read(path, LIMITS.max_audio_bytes)
    except FileNotFoundError as exc:
        raise MissingAudio(ref, f"audio {path.name} disappeared before it was read") from exc
    except Refused as exc:
        raise MalformedCall(ref, exc.reason, exc.detail) from None


def _add(result: ScanResult, item: CallDelivery | MalformedCall) -> None:
    if isinstance(item, CallDelivery):
        result.deliveries.append(item)
    else:
        result.problems.append(item)


