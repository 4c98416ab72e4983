"""Walking a capture folder's ``SHORTNAME/YYYY/M/D`` tree and grouping each day folder's
files by call, touching the disk as little as a scan every few seconds needs.

A file's position is when it was last written (mtime), unless its inode changed much later
than that (ctime, which no user-space call can set back): then it was copied in with its
old mtime kept (``rsync -a``, ``cp -p``) and its position is the time of the copy, so
the live scan sees it as new.
Symlinks are listed, never followed: reading one is refused (``safe_read``)."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from resources.trunk_recorder.names import AUDIO_EXTS, CallName, parse_call_stem

_CREATE_GRACE_NS = 10 * 60 * 10**9
# A file written in place has ctime == mtime; one whose inode changed this much after its
# last write was copied in (or touched) with an older mtime.
COPY_GAP_NS = 10 * 60 * 10**9


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
        return changed(self.json) if self.json is not None else None

    def best_audio(self) -> tuple[Path, str] | None:
        # The wav is trunk-recorder's original, written before the JSON; the m4a is a
        # lossy copy made after it.
        for ext in AUDIO_EXTS:
            if ext in self.audio:
                return Path(self.audio[ext].path), ext
        return None

    def audio_position(self) -> int | None:
        """When the last of the call's audio files was written; None if they vanished."""
        times = [t for t in (changed(e) for e in self.audio.values()) if t is not None]
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
        # a symlink is kept (and refused when read, so it is quarantined); a folder is not
        if not entry.is_symlink() and not entry.is_file(follow_symlinks=False):
            continue
        if ext != "json" and is_transmission_file(stem):
            continue
        call = calls.get(stem)
        if call is None:
            call = calls[stem] = CallFiles(folder_day, stem)
        if ext == "json":
            call.json = entry
        else:
            call.audio[ext] = entry
    yield from calls.values()


def changed(entry: os.DirEntry[str]) -> int | None:
    """A file's position in ns (of the link itself, for a symlink): its mtime, or its ctime
    when that is more than ``COPY_GAP_NS`` later (a copy that kept an old mtime)."""
    try:
        info = entry.stat(follow_symlinks=False)
    except FileNotFoundError:  # deleted since the listing: not there
        return None
    return info.st_ctime_ns if info.st_ctime_ns - info.st_mtime_ns > COPY_GAP_NS else info.st_mtime_ns


def untouched_since(folder: Path, position: int) -> bool:
    """True when no file can have been created in ``folder`` after ``position``: creating
    a file bumps its folder's ctime (which, unlike its mtime, a copy cannot set back), and
    trunk-recorder finishes a file within seconds of creating it (the grace covers a slow
    one)."""
    try:
        info = os.stat(folder)
        return max(info.st_mtime_ns, info.st_ctime_ns) + _CREATE_GRACE_NS < position
    except FileNotFoundError:
        return True


class Refused(OSError):
    """A call file that is not a regular file (a symlink, a FIFO, a device), or is over
    its size cap: never followed, never read whole."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def safe_read(path: Path, max_bytes: int) -> bytes:
    """A call file's bytes, read without following a symlink and never past ``max_bytes``;
    raises ``Refused`` (or ``FileNotFoundError``)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("symlink_refused", f"{path.name} is a symlink; links are not followed") from None
        raise
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not_a_file", f"{path.name} is not a regular file")
        if info.st_size > max_bytes:
            raise Refused("too_large", f"{path.name} is {info.st_size} bytes, over the {max_bytes} byte cap")
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:  # grew since the stat
        raise Refused("too_large", f"{path.name} is over the {max_bytes} byte cap")
    return data


# trunk-recorder's transmissionArchive writes one file per transmission beside the call,
# named TG-START_FREQ with no -call_N; they are parts of a call, not calls.
_TRANSMISSION_STEM = re.compile(r"^-?\d+-\d+(?:\.\d{1,3})?_\d+(?:\.\d+)?$")


def is_transmission_file(stem: str) -> bool:
    return bool(_TRANSMISSION_STEM.match(stem))
