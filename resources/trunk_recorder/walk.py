"""Walking a capture folder's ``SHORTNAME/YYYY/M/D`` tree and grouping each day folder's
files by call, touching the disk as little as a scan every few seconds needs."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from resources.trunk_recorder.names import AUDIO_EXTS, CallName, parse_call_stem

_CREATE_GRACE_NS = 10 * 60 * 10**9


@dataclass
class CallFiles:
    """One call's files in a day folder. Stat'ed lazily (``os.DirEntry`` caches it), so
    files a scan rules out by name are never stat'ed."""

    folder_day: dt.date
    stem: str
    json: os.DirEntry[str] | None = None
    audio: dict[str, os.DirEntry[str]] = field(default_factory=dict)

    @cached_property
    def name(self) -> CallName | None:
        # parsed on demand: a live scan of a busy day folder rarely needs it
        return parse_call_stem(self.stem)

    def json_position(self) -> int | None:
        return mtime(self.json) if self.json is not None else None

    def best_audio(self) -> tuple[Path, str] | None:
        # The wav is trunk-recorder's original, written before the JSON; the m4a is a
        # lossy copy made after it.
        for ext in AUDIO_EXTS:
            if ext in self.audio:
                return Path(self.audio[ext].path), ext
        return None

    def audio_position(self) -> int | None:
        """When the last of the call's audio files was written; None if they vanished."""
        times = [t for t in (mtime(e) for e in self.audio.values()) if t is not None]
        return max(times) if times else None

    def name_day(self) -> dt.date:
        return self.name.start_time.date() if self.name else self.folder_day


def _numeric_subdirs(parent: Path) -> Iterator[tuple[int, Path]]:
    try:
        with os.scandir(parent) as entries:
            for e in entries:
                if e.name.isdigit() and e.is_dir():
                    yield int(e.name), Path(e.path)
    except (FileNotFoundError, NotADirectoryError):
        return


def day_folders(capture_dir: Path, lo: dt.date | None, hi: dt.date | None) -> list[tuple[dt.date, Path]]:
    """``SHORTNAME/YYYY/M/D`` folders with lo <= date <= hi, pruning whole years and
    months outside the range without listing them."""
    folders: list[tuple[dt.date, Path]] = []
    try:
        systems = [Path(e.path) for e in os.scandir(capture_dir) if e.is_dir() and not e.name.startswith(".")]
    except FileNotFoundError:
        return []
    for system in systems:
        for year, year_dir in _numeric_subdirs(system):
            if (lo and year < lo.year) or (hi and year > hi.year):
                continue
            for month, month_dir in _numeric_subdirs(year_dir):
                if (lo and (year, month) < (lo.year, lo.month)) or (hi and (year, month) > (hi.year, hi.month)):
                    continue
                for mday, day_path in _numeric_subdirs(month_dir):
                    try:
                        day = dt.date(year, month, mday)
                    except ValueError:
                        continue
                    if (lo is None or day >= lo) and (hi is None or day <= hi):
                        folders.append((day, day_path))
    return sorted(folders)


def call_files(folder: Path, folder_day: dt.date) -> Iterator[CallFiles]:
    """A folder's call files grouped by stem. Hidden files and names that are not JSON or
    audio are skipped."""
    calls: dict[str, CallFiles] = {}
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in entries:
        stem, dot, ext = entry.name.rpartition(".")
        ext = ext.lower()
        if not dot or entry.name.startswith(".") or (ext != "json" and ext not in AUDIO_EXTS):
            continue
        if not entry.is_file():
            continue
        call = calls.get(stem)
        if call is None:
            call = calls[stem] = CallFiles(folder_day, stem)
        if ext == "json":
            call.json = entry
        else:
            call.audio[ext] = entry
    yield from calls.values()


def mtime(entry: os.DirEntry[str]) -> int | None:
    try:
        return entry.stat().st_mtime_ns
    except FileNotFoundError:  # deleted since the listing: not there
        return None


def untouched_since(folder: Path, position: int) -> bool:
    """True when no file can have been created in ``folder`` after ``position``: creating
    a file bumps its folder's mtime, and trunk-recorder finishes a file within seconds of
    creating it (the grace covers a slow one)."""
    try:
        return os.stat(folder).st_mtime_ns + _CREATE_GRACE_NS < position
    except FileNotFoundError:
        return True
