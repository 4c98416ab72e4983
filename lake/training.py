"""Pairs of call audio and an editor's text, written as a dataset for fine-tuning an ASR
model on a county's own radio (``scanlake export-training``).

The layout is Hugging Face's ``audiofolder``: ``<out>/train/metadata.csv`` with a
``file_name`` column (paths relative to the CSV) and a ``transcription`` column, beside the
audio files it names, so ``datasets.load_dataset("audiofolder", data_dir=out)`` reads it as
is, and any other trainer reads a CSV and WAV files. Audio is 16 kHz mono 16-bit WAV, from
the normalized audio objects (already 16 kHz mono; anything else is resampled). Only the
newest version of each call's correction is exported.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from math import gcd
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from lake import delta
from lake.errors import LakeError, ObjectNotFound
from lake.location import LakeLocation
from lake.objects import ObjectStore
from lake.tables import NORMALIZED_AUDIO, RAW_CALLS, TRANSCRIPT_CORRECTIONS

RATE_HZ = 16_000
SPLIT = "train"
COLUMNS = (
    "file_name", "transcription", "call_uid", "call_date", "system", "talkgroup",
    "duration_s", "version",
)  # fmt: skip
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


class ExportExists(LakeError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} exists: export into a new folder")
        self.path = path


@dataclass(frozen=True)
class ExportFilter:
    since: dt.date | None = None
    until: dt.date | None = None
    systems: frozenset[str] = frozenset()  # empty: every system
    min_version: int = 1

    def days(self) -> list[dt.date] | None:
        """The call dates to read, or None for every one."""
        if self.since is None and self.until is None:
            return None
        first = self.since or dt.date(2000, 1, 1)
        last = self.until or dt.datetime.now(dt.UTC).date()
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass
class ExportResult:
    metadata: Path
    pairs: int = 0
    audio_s: float = 0.0
    skipped: Counter[str] = field(default_factory=Counter)


def file_name(call_uid: str) -> str:
    """A file name per call that is safe anywhere and unique (a short hash of the id)."""
    digest = hashlib.sha256(call_uid.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{_UNSAFE.sub('_', call_uid)[:80]}-{digest}.wav"


def to_16k_mono(audio: bytes) -> np.ndarray:
    """Decoded audio as 16 kHz mono float samples."""
    samples, rate = sf.read(io.BytesIO(audio), dtype="float32", always_2d=True)
    mono = samples.mean(axis=1)
    if rate != RATE_HZ:
        step = gcd(rate, RATE_HZ)
        mono = resample_poly(mono, RATE_HZ // step, rate // step).astype(np.float32)
    return mono


def _newest(location: LakeLocation, days: list[dt.date] | None, min_version: int) -> list[dict]:
    parts = {"call_date": days} if days is not None else None
    rows = delta.read(
        location, TRANSCRIPT_CORRECTIONS, ["call_uid", "call_date", "version", "text"], parts
    )
    newest: dict[str, dict] = {}
    for row in rows.to_pylist():
        kept = newest.get(row["call_uid"])
        if kept is None or row["version"] > kept["version"]:
            newest[row["call_uid"]] = row
    return [r for _, r in sorted(newest.items()) if r["version"] >= min_version]


def export_training(location: LakeLocation, out: Path, chosen: ExportFilter) -> ExportResult:
    """Write the audiofolder dataset of every call corrected within ``chosen``."""
    folder = out / SPLIT
    metadata = folder / "metadata.csv"
    if metadata.exists():
        raise ExportExists(metadata)
    result = ExportResult(metadata)
    corrected = _newest(location, chosen.days(), chosen.min_version)
    days = {"call_date": sorted({r["call_date"] for r in corrected})}
    call_of: dict[str, dict] = {}
    key_of: dict[str, str] = {}
    if corrected:
        calls = delta.read(location, RAW_CALLS, ["call_uid", "system", "talkgroup"], days)
        call_of = {c["call_uid"]: c for c in calls.to_pylist()}
        audio = delta.read(location, NORMALIZED_AUDIO, ["call_uid", "audio_key"], days)
        key_of = dict(zip(audio["call_uid"].to_pylist(), audio["audio_key"].to_pylist(), strict=True))
    store = ObjectStore(location)
    (folder / "audio").mkdir(parents=True, exist_ok=True)
    rows = []
    for r in corrected:
        call = call_of.get(r["call_uid"])
        if call is None:
            result.skipped["no_call"] += 1
            continue
        if chosen.systems and call["system"] not in chosen.systems:
            continue
        key = key_of.get(r["call_uid"])
        if key is None:
            result.skipped["no_normalized_audio"] += 1
            continue
        try:
            mono = to_16k_mono(store.get(key))
        except ObjectNotFound:
            result.skipped["audio_object_missing"] += 1
            continue
        except (sf.LibsndfileError, RuntimeError):
            result.skipped["unreadable_audio"] += 1
            continue
        name = f"audio/{file_name(r['call_uid'])}"
        sf.write(folder / name, mono, RATE_HZ, subtype="PCM_16", format="WAV")
        duration_s = mono.size / RATE_HZ
        result.pairs += 1
        result.audio_s += duration_s
        rows.append({
            "file_name": name, "transcription": r["text"], "call_uid": r["call_uid"],
            "call_date": r["call_date"].isoformat(), "system": call["system"],
            "talkgroup": call["talkgroup"], "duration_s": f"{duration_s:.3f}", "version": r["version"],
        })  # fmt: skip
    # the CSV last: a folder without it is an export that did not finish
    with metadata.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return result
