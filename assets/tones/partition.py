"""Scanning one call-date partition for paging tones: every call not yet scanned with the
current detector version is read from its raw audio (the normalized audio's noise gate
would take a steady tone for noise), decoded, and searched.

Incremental: ``tone_scans`` records each scanned call, tones or not, so a call is scanned
once per detector version. A call re-scanned with a new version loses its old tone rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from assets.audio.decode import decode
from assets.audio.errors import BadAudio
from assets.audio.ffmpeg import Source
from assets.audio.probe import Limits, probe
from assets.tones.detect import (
    DETECTOR_VERSION,
    Tone,
    ToneDetectionFailed,
    ToneSettings,
    detect_tones,
)
from assets.tones.stations import StationPlan, station_of
from lake import delta
from lake.location import LakeLocation
from lake.objects import ObjectStore
from lake.tables import RAW_CALLS, TONE_SCANS, TONES, conform


@dataclass
class ToneScanSummary:
    scanned: int = 0
    with_tones: int = 0
    unreadable: int = 0
    per_type: Counter[str] = field(default_factory=Counter)
    per_station: Counter[str] = field(default_factory=Counter)


def tones_of(data: bytes, ext: str, settings: ToneSettings, limits: Limits | None = None) -> list[Tone]:
    """The tones in one call's audio file."""
    limits = limits or Limits()
    with Source(data, ext) as source:
        decoded = decode(source, probe(source, limits), limits)
    return detect_tones(decoded.mono, decoded.input_rate_hz, settings)


def pending_calls(location: LakeLocation, day: dt.date) -> pa.Table:
    calls = delta.read(
        location, RAW_CALLS, columns=["call_uid", "audio_key", "audio_type"], partitions={"call_date": [day]}
    )
    scans = delta.read(location, TONE_SCANS, columns=["call_uid", "detector_version"], partitions={"call_date": [day]})
    current = scans.filter(pc.equal(scans["detector_version"], DETECTOR_VERSION))
    done = set(current["call_uid"].to_pylist())
    return calls.filter(pc.invert(pc.is_in(calls["call_uid"], value_set=pa.array(sorted(done), pa.string()))))


def scan_partition(
    location: LakeLocation,
    store: ObjectStore,
    day: dt.date,
    plan: StationPlan,
    settings: ToneSettings | None = None,
    now: dt.datetime | None = None,
) -> ToneScanSummary:
    settings = settings or ToneSettings()
    now = now or dt.datetime.now(dt.UTC)
    summary = ToneScanSummary()
    tone_rows: list[dict[str, object]] = []
    scan_rows: list[dict[str, object]] = []
    pending = pending_calls(location, day)
    for uid, key, audio_type in zip(*(pending[c].to_pylist() for c in pending.column_names), strict=True):
        error = None
        try:
            found = tones_of(store.get(key), audio_type or key.rsplit(".", 1)[-1], settings)
        except (BadAudio, ToneDetectionFailed, OSError) as exc:
            found, error = [], f"{type(exc).__name__}: {exc}"[:300]
            summary.unreadable += 1
        summary.scanned += 1
        summary.with_tones += bool(found)
        for i, tone in enumerate(found):
            station = station_of(tone, plan)
            summary.per_type[tone.tone_type] += 1
            if station:
                summary.per_station[station] += 1
            tone_rows.append(
                dict(
                    call_uid=uid, call_date=day, tone_index=i, tone_type=tone.tone_type,
                    freqs_hz=list(tone.freqs_hz), start_s=tone.start_s, end_s=tone.end_s,
                    station=station, detail=tone.detail, detector_version=DETECTOR_VERSION,
                    detected_at=now,
                )
            )
        scan_rows.append(
            dict(call_uid=uid, call_date=day, detector_version=DETECTOR_VERSION, tones=len(found),
                 error=error, scanned_at=now)
        )
    if not scan_rows:
        return summary
    _drop_old_tones(location, day, {r["call_uid"] for r in scan_rows})
    if tone_rows:
        delta.merge(location, TONES, conform(pa.Table.from_pylist(tone_rows), TONES))
    delta.merge(location, TONE_SCANS, conform(pa.Table.from_pylist(scan_rows), TONE_SCANS))
    return summary


def _drop_old_tones(location: LakeLocation, day: dt.date, call_uids: set[str]) -> None:
    """Tone rows of an earlier scan of these calls (another detector version)."""
    old = delta.read(location, TONES, columns=["call_uid", "tone_index", "call_date"], partitions={"call_date": [day]})
    old = old.filter(pc.is_in(old["call_uid"], value_set=pa.array(sorted(call_uids), pa.string())))
    if old.num_rows:
        delta.delete_where_keys(location, TONES, old.select(["call_uid", "tone_index"]))
