"""trunk-recorder capture folders as a Dagster resource: which folders, and how long a
file must sit before it is read. The scanning itself lives in ``folder``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from dagster import ConfigurableResource
from pydantic import Field

from resources.trunk_recorder import folder
from resources.trunk_recorder.folder import ScanResult


class TrunkRecorderSource(ConfigurableResource):
    """Capture folders written by trunk-recorder (its ``captureDir``), each holding
    ``SHORTNAME/YYYY/M/D/`` day folders of call audio and JSON."""

    # ':'-separated folders; the folders are paths, not secrets
    ENV: ClassVar[dict[str, str]] = {"capture_dirs": "SCANLAKE_TRUNK_RECORDER_DIRS"}

    capture_dirs: list[str] = Field(default_factory=list, description="trunk-recorder captureDir folders to read")
    settle_s: float = Field(
        default=folder.DEFAULT_SETTLE_S,
        description="Seconds a file must go unmodified before it is read (trunk-recorder writes in place)",
    )

    def scan(self, capture_dir: str, after_position: int) -> ScanResult:
        """New calls in one capture folder since a watermark (JSON mtime, ns)."""
        return folder.scan(Path(capture_dir), after_position, self.settle_s)

    def scan_window(self, capture_dir: str, after: int, upto: int) -> ScanResult:
        """The calls of one capture folder with positions in (after, upto]: what a sensor
        found, read again by the run it requested."""
        return folder.scan(Path(capture_dir), after, self.settle_s, upto_position=upto)

    def scan_dates(self) -> list[dt.date]:
        """UTC days with calls in any capture folder."""
        days: set[dt.date] = set()
        for capture_dir in self.capture_dirs:
            days.update(folder.scan_dates(Path(capture_dir)))
        return sorted(days)

    def scan_day(self, day: dt.date) -> list[ScanResult]:
        """One UTC day's calls, one result per capture folder."""
        return [folder.scan_day(Path(d), day, self.settle_s) for d in self.capture_dirs]
