"""Which calls are copies of one transmission, and which copy to keep.

Two sites (or two recorders) of one trunked system each capture the same transmission:
the same talkgroup, the same radio ids keying up, starting and ending within a couple of
seconds of each other, from different captures. Each capture names its system in
``raw_calls.system`` (trunk-recorder's short name, an upload's system label); a setting
says which of those names are one system (``parse_systems``).

Pure: ``Copy`` values in, ``Decision`` values out. The kept copy is the best by the audio
layer's measures (tier first, then SNR) unless a copy was already kept by an earlier
decision: that one stays kept, because it has been transcribed and alerted on since, and
turning it into a duplicate would let its transmission be transcribed and alerted twice.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assets.audio.quality import TIERS


class BadSystemsSetting(ValueError):
    """The capture-systems setting cannot be read (``SCANLAKE_SYSTEMS``)."""

    def __init__(self, text: str, detail: str) -> None:
        super().__init__(f"capture systems {text!r}: {detail}")
        self.text = text
        self.detail = detail


@dataclass(frozen=True)
class Copy:
    call_uid: str
    call_date: dt.date
    source: str  # raw_calls.source: trunk_recorder, broadcastify, upload, ...
    capture_system: str  # raw_calls.system, as the capture named it
    talkgroup: int
    start_time: dt.datetime
    duration_s: float
    unit_ids: frozenset[int] = frozenset()  # srcList radio ids, where the capture has them
    tier: str | None = None
    snr_db: float | None = None

    @property
    def capture(self) -> tuple[str, str]:
        return (self.source, self.capture_system)

    @property
    def end_time(self) -> dt.datetime:
        return self.start_time + dt.timedelta(seconds=self.duration_s)


@dataclass(frozen=True)
class Decision:
    copy: Copy
    system: str  # the logical system the copy's capture belongs to
    kept: Copy
    copies: int

    @property
    def is_duplicate(self) -> bool:
        return self.kept.call_uid != self.copy.call_uid


def parse_systems(text: str) -> dict[str, str]:
    """``"county=county-north,county-south;metro=metro-a,metro-b"`` as capture system ->
    logical system. A capture system named in no entry is a system of its own."""
    out: dict[str, str] = {}
    for entry in (e.strip() for e in text.split(";")):
        if not entry:
            continue
        name, sep, members = entry.partition("=")
        captures = [m.strip() for m in members.split(",") if m.strip()]
        if not sep or not name.strip() or not captures:
            raise BadSystemsSetting(text, f"entry {entry!r} is not 'system=capture,capture'")
        for capture in captures:
            if out.get(capture, name.strip()) != name.strip():
                raise BadSystemsSetting(text, f"{capture!r} is in two systems")
            out[capture] = name.strip()
    return out


def quality_rank(c: Copy) -> tuple[int, float, dt.datetime, str]:
    """Lower is better: tier (clean, moderate, poor, unknown), then SNR; ties go to the
    earlier, then the smaller call_uid, so every run picks the same copy."""
    tier = TIERS.index(c.tier) if c.tier in TIERS else len(TIERS)
    snr = c.snr_db if c.snr_db is not None and math.isfinite(c.snr_db) else -math.inf
    return (tier, -snr, c.start_time, c.call_uid)


def _same_transmission(a: Copy, b: Copy, window_s: float) -> bool:
    if a.capture == b.capture:
        return False  # one capture records a transmission once: two calls are two transmissions
    if abs((a.start_time - b.start_time).total_seconds()) > window_s:
        return False
    if abs((a.end_time - b.end_time).total_seconds()) > window_s:
        return False  # a reply that started just after is longer or shorter
    # radio ids, where both captures decoded them, must have a speaker in common
    return not (a.unit_ids and b.unit_ids and not a.unit_ids & b.unit_ids)


def decide(
    copies: Iterable[Copy],
    systems: Mapping[str, str],
    window_s: float,
    kept_before: frozenset[str] = frozenset(),
) -> list[Decision]:
    """One decision per copy. A transmission's copies are gathered in start order, each
    joining the first open transmission it matches (``_same_transmission`` with every copy
    already in it); ``kept_before`` holds the call_uids an earlier run kept."""
    by_talkgroup: dict[tuple[str, int], list[Copy]] = defaultdict(list)
    for c in copies:
        by_talkgroup[(systems.get(c.capture_system, c.capture_system), c.talkgroup)].append(c)
    out = []
    for (system, _), calls in sorted(by_talkgroup.items()):
        groups: list[list[Copy]] = []
        for c in sorted(calls, key=lambda c: (c.start_time, c.call_uid)):
            home = None
            for g in reversed(groups):  # newest first: older ones are out of the window
                if (c.start_time - g[0].start_time).total_seconds() > window_s:
                    break
                if all(_same_transmission(c, o, window_s) for o in g):
                    home = g
            if home is None:
                groups.append([c])
            else:
                home.append(c)
        for g in groups:
            earlier = [c for c in g if c.call_uid in kept_before]
            kept = min(earlier or g, key=quality_rank)
            out += [Decision(c, system, kept, len(g)) for c in g]
    return out
