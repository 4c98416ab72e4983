"""Named tone-outs: the two-tone pairs and long tones a county's stations are paged with,
and which detected tone is which station.

A stations file (YAML, ``SCANLAKE_TONES_CONFIG``)::

    tolerance_pct: 1.5          # how far a detected frequency may be from the assigned one
    stations:
      Station 1:  {a_hz: 853.2, b_hz: 1123.4}   # two-tone sequential (Quick Call II)
      All Call:   {long_hz: 1000.0}             # a long tone

Tone generators are accurate to a fraction of a percent, but the STFT front end reads a
tone to within a bin or two; 1.5 % of a 300-3000 Hz tone is 5-45 Hz, inside the 40 Hz
minimum spacing of standard Quick Call II plans only near the bottom of the band, so two
stations closer than that must be told apart by a tighter tolerance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assets.tones.detect import Tone

DEFAULT_TOLERANCE_PCT = 1.5


class BadTonesConfig(ValueError):
    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"{where}: {detail}")


@dataclass(frozen=True)
class Station:
    name: str
    a_hz: float | None = None
    b_hz: float | None = None
    long_hz: float | None = None


@dataclass(frozen=True)
class StationPlan:
    stations: tuple[Station, ...] = ()
    tolerance_pct: float = DEFAULT_TOLERANCE_PCT


def _hz(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 20.0 <= value <= 4000.0:
        raise BadTonesConfig(where, f"{value!r} is not a tone frequency in Hz (20-4000)")
    return float(value)


def parse_plan(data: Any, where: str = "<tones config>") -> StationPlan:
    if data is None:
        return StationPlan()
    if not isinstance(data, Mapping):
        raise BadTonesConfig(where, "expected a mapping with 'stations'")
    unknown = set(data) - {"stations", "tolerance_pct"}
    if unknown:
        raise BadTonesConfig(where, f"unknown keys {sorted(unknown)}")
    tolerance = data.get("tolerance_pct", DEFAULT_TOLERANCE_PCT)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or not 0 < tolerance <= 10:
        raise BadTonesConfig(where, "tolerance_pct must be in (0, 10]")
    stations = []
    for name, spec in (data.get("stations") or {}).items():
        at = f"{where}: stations.{name}"
        if not isinstance(spec, Mapping) or set(spec) - {"a_hz", "b_hz", "long_hz"}:
            raise BadTonesConfig(at, "give a_hz and b_hz (two-tone) or long_hz (long tone)")
        if "long_hz" in spec and len(spec) == 1:
            stations.append(Station(str(name), long_hz=_hz(spec["long_hz"], at)))
        elif {"a_hz", "b_hz"} == set(spec):
            stations.append(Station(str(name), a_hz=_hz(spec["a_hz"], at), b_hz=_hz(spec["b_hz"], at)))
        else:
            raise BadTonesConfig(at, "give a_hz and b_hz (two-tone) or long_hz (long tone)")
    return StationPlan(tuple(stations), float(tolerance))


def load_plan(path: str | Path | None) -> StationPlan:
    """The stations file at ``path``; no path, or no file there, is a plan with no stations."""
    if not path or not Path(path).exists():
        return StationPlan()
    return parse_plan(yaml.safe_load(Path(path).read_text(encoding="utf-8")), str(path))


def _close(heard: float, assigned: float, tolerance_pct: float) -> bool:
    return abs(heard - assigned) <= assigned * tolerance_pct / 100.0


def station_of(tone: Tone, plan: StationPlan) -> str | None:
    """The station a detected tone pages, if the plan names one; the nearest on a tie."""
    best: tuple[float, str] | None = None
    for s in plan.stations:
        if tone.tone_type == "two_tone" and s.a_hz and s.b_hz and len(tone.freqs_hz) == 2:
            a, b = tone.freqs_hz
            if _close(a, s.a_hz, plan.tolerance_pct) and _close(b, s.b_hz, plan.tolerance_pct):
                err = abs(a - s.a_hz) / s.a_hz + abs(b - s.b_hz) / s.b_hz
                best = min(best or (err, s.name), (err, s.name))
        elif tone.tone_type == "long" and s.long_hz and len(tone.freqs_hz) == 1:
            if _close(tone.freqs_hz[0], s.long_hz, plan.tolerance_pct):
                err = abs(tone.freqs_hz[0] - s.long_hz) / s.long_hz
                best = min(best or (err, s.name), (err, s.name))
    return best[1] if best else None


def stations_paged(tones: Sequence[Tone], plan: StationPlan) -> list[str]:
    return [name for name in (station_of(t, plan) for t in tones) if name]
