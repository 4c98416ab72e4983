"""One call through the audio layer (fetch, normalize, store the FLAC), and a process pool
that spreads a partition's calls over every core.

The pool starts its workers with "spawn": delta-rs panics in forked children, and a fresh
interpreter inherits no locks or threads from the parent either.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import PurePosixPath

import torch

from assets.audio.errors import FETCH, PROBE, BadAudio
from assets.audio.normalize import PROCESSING_VERSION, normalize
from assets.audio.probe import Limits
from lake import objects
from lake.errors import ObjectNotFound
from lake.location import LakeLocation


@dataclass(frozen=True)
class CallJob:
    call_uid: str
    call_date: dt.date
    system: str
    raw_key: str
    raw_bytes: int | None = None  # as raw_calls recorded it: lets a huge file be refused unread

    @property
    def ext(self) -> str:
        return PurePosixPath(self.raw_key).suffix.lstrip(".").lower()

    @property
    def normalized_key(self) -> str:
        return objects.audio_key(
            objects.NORMALIZED_AUDIO, self.system, self.call_date, self.call_uid, "flac"
        )


@dataclass(frozen=True)
class Outcome:
    """A call's result: a normalized_audio row, or an audio_quarantine row."""

    job: CallJob
    row: dict[str, object]
    quarantined: bool
    timings_ms: dict[str, float] = field(default_factory=dict)


def process_call(location: LakeLocation, job: CallJob, limits: Limits) -> Outcome:
    """Fetch the raw audio, normalize it and store the FLAC; bad audio becomes a quarantine
    outcome, so one broken file never fails its neighbours or the run."""
    if job.raw_bytes is not None and job.raw_bytes > limits.max_bytes:
        return _quarantined(
            job, BadAudio(PROBE, "too_large", f"{job.raw_bytes} bytes > {limits.max_bytes}")
        )
    store = objects.ObjectStore(location)
    try:
        data = store.get(job.raw_key)
    except ObjectNotFound as exc:
        return _quarantined(job, BadAudio(FETCH, "missing_object", exc.key))
    try:
        result = normalize(data, job.ext, limits)
    except BadAudio as exc:
        return _quarantined(job, exc)
    store.put(job.normalized_key, result.flac)
    m = result.metrics
    source = result.source
    row: dict[str, object] = {
        "call_uid": job.call_uid,
        "call_date": job.call_date,
        "processing_version": PROCESSING_VERSION,
        "audio_key": job.normalized_key,
        "audio_bytes": len(result.flac),
        "duration_s": result.duration_s,
        "sample_rate_hz": result.sample_rate_hz,
        "input_format": f"{source.container}/{source.codec}",
        "input_sample_rate_hz": source.sample_rate_hz,
        "input_channels": source.channels,
        "input_duration_s": result.input_duration_s,
        "rms_dbfs": m.rms_dbfs,
        "peak_dbfs": m.peak_dbfs,
        "clipping_ratio": m.clipping_ratio,
        "snr_db": m.snr_db,
        "silence_ratio": m.silence_ratio,
        "speech_ratio": m.speech_ratio,
        "loudness_lufs": m.loudness_lufs,
        "tier": result.tier,
        "chain": list(result.chain),
        "warnings": list(result.warnings),
        "processing_ms": result.processing_ms,
        "processed_at": _now(),
    }
    return Outcome(job, row, quarantined=False, timings_ms=dict(result.timings_ms))


def process_calls(
    location: LakeLocation,
    jobs: Sequence[CallJob],
    workers: int,
    limits: Limits | None = None,
    min_pool_calls: int = 2,
) -> Iterator[Outcome]:
    """Outcomes of ``jobs``, in order. ``workers`` > 1 runs them in a spawned process pool
    (0 means one worker per core). Fewer than ``min_pool_calls`` calls run in this process:
    a spawned worker takes seconds to import torch and scipy, more than a small batch costs."""
    limits = limits or Limits()
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < max(min_pool_calls, 2):
        for job in jobs:
            yield process_call(location, job, limits)
        return
    with ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
    ) as pool:
        yield from pool.map(process_call, repeat(location), jobs, repeat(limits))


def batched(outcomes: Iterable[Outcome], size: int) -> Iterator[list[Outcome]]:
    batch: list[Outcome] = []
    for outcome in outcomes:
        batch.append(outcome)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _init_worker() -> None:
    # One process per core already: torch's own intra-op threads would only oversubscribe.
    torch.set_num_threads(1)


def _quarantined(job: CallJob, exc: BadAudio) -> Outcome:
    row: dict[str, object] = {
        "call_uid": job.call_uid,
        "call_date": job.call_date,
        "processing_version": PROCESSING_VERSION,
        "stage": exc.stage,
        "reason": exc.reason,
        "detail": exc.detail,
        "quarantined_at": _now(),
    }
    return Outcome(job, row, quarantined=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
