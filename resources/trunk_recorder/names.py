"""How trunk-recorder names a call's files and folders (``create_base_filename`` in its
``call_concluder.cc``): ``SHORTNAME/YYYY/M/D/TG-START_FREQ[.SLOT]-call_N.EXT``, the day
being the recorder's local date, unpadded; START is epoch seconds up to 4.x and
``SECONDS.MMM`` from 5.x."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from resources.calls import CallMeta

# The stem of every file trunk-recorder writes for a call. Per-transmission files that
# ``transmissionArchive`` copies beside them have no ``-call_N`` and do not match.
_CALL_STEM = re.compile(
    r"^(?P<talkgroup>-?\d+)-(?P<sec>\d+)(?:\.(?P<ms>\d{1,3}))?_(?P<freq>\d+)"
    r"(?:\.(?P<slot>\d+))?-call_(?P<num>\d+)$"
)

AUDIO_EXTS = ("wav", "m4a", "mp3")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class CallName:
    """What a call file's name says: enough to place it in time without opening it."""

    talkgroup: int
    start_ms: int
    freq_hz: int
    tdma_slot: int | None
    call_num: int

    @property
    def start_time(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.start_ms / 1000, dt.UTC)


def parse_call_stem(stem: str) -> CallName | None:
    """The parts of a call file's stem (name without extension); None if it is not one."""
    m = _CALL_STEM.match(stem)
    if not m:
        return None
    ms = int((m["ms"] or "0").ljust(3, "0"))
    if len(m["sec"]) > 12 or any(len(m[g] or "") > 19 for g in ("talkgroup", "freq", "slot", "num")):
        return None  # not a time or a number any recorder writes: a name that does not parse
    name = CallName(
        talkgroup=int(m["talkgroup"]),
        start_ms=int(m["sec"]) * 1000 + ms,
        freq_hz=int(m["freq"]),
        tdma_slot=int(m["slot"]) if m["slot"] is not None else None,
        call_num=int(m["num"]),
    )
    try:
        name.start_time  # noqa: B018 - a start past year 9999 is no start
    except (OverflowError, ValueError, OSError):
        return None
    return name


def call_stem(meta: CallMeta, call_num: int = 0, tdma_slot: int | None = None) -> str:
    """The 5.x file stem for a call: ``TG-SECONDS.MMM_FREQ[.SLOT]-call_N``."""
    start_ms = epoch_ms(meta.start_time)
    slot = f".{tdma_slot}" if tdma_slot is not None and tdma_slot >= 0 else ""
    return f"{meta.talkgroup}-{start_ms // 1000}.{start_ms % 1000:03d}_{meta.freq_hz or 0}{slot}-call_{call_num}"


def day_dir(capture_dir: Path, system: str, day: dt.date) -> Path:
    """``CAPTURE_DIR/SHORTNAME/YYYY/M/D``, unpadded, as trunk-recorder names it."""
    return Path(capture_dir) / system / str(day.year) / str(day.month) / str(day.day)


def local_day(start_time: dt.datetime, tz: dt.tzinfo | None = None) -> dt.date:
    """The day folder a call lands in: trunk-recorder uses the recorder's local time
    (``localtime``); ``tz`` stands in for the recorder's zone, None meaning this machine's."""
    return start_time.astimezone(tz).date()


def epoch_ms(t: dt.datetime) -> int:
    # Integer arithmetic: float seconds * 1000 can land one millisecond low.
    delta = t.astimezone(dt.UTC) - EPOCH
    return delta // dt.timedelta(milliseconds=1)
