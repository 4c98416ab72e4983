"""A call-date partition of the audio layer: which raw calls still need normalizing, the
writes that keep each raw call in exactly one of normalized_audio and audio_quarantine, and
the coverage the asset checks report."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa

from assets.audio.normalize import PROCESSING_VERSION
from assets.audio.pool import CallJob, Outcome, batched, process_calls
from assets.audio.probe import Limits
from lake import delta
from lake.location import LakeLocation
from lake.objects import ObjectStore
from lake.tables import AUDIO_QUARANTINE, NORMALIZED_AUDIO, RAW_CALLS, TableSpec


@dataclass
class RunSummary:
    pending: int = 0
    skipped: int = 0  # already settled at the current processing version
    processed: int = 0
    quarantined: int = 0
    tiers: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)  # "stage:reason"
    step_ms: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


@dataclass(frozen=True)
class Coverage:
    raw: int
    normalized: int
    quarantined: int
    missing: tuple[str, ...]  # raw calls in neither table
    both: tuple[str, ...]  # raw calls in both tables
    orphans: tuple[str, ...]  # rows whose raw call is not in the partition
    stale: int  # rows at an older processing version
    tiers: dict[str, int]

    @property
    def exactly_once(self) -> bool:
        return not (self.missing or self.both or self.orphans)

    @property
    def quarantine_rate(self) -> float:
        return self.quarantined / self.raw if self.raw else 0.0


def pending_jobs(location: LakeLocation, day: dt.date) -> tuple[list[CallJob], int]:
    """The partition's calls to (re)process, and how many are already settled: a call is
    settled when exactly one of the two tables holds it, at the current version."""
    part = {"call_date": [day]}
    columns = ["call_uid", "call_date", "system", "audio_key", "audio_bytes"]
    raw = delta.read(location, RAW_CALLS, columns, partitions=part)
    normalized = _versions(location, NORMALIZED_AUDIO, day)
    quarantined = _versions(location, AUDIO_QUARANTINE, day)
    jobs: list[CallJob] = []
    settled = 0
    for row in raw.to_pylist():
        uid = row["call_uid"]
        versions = [v for v in (normalized.get(uid), quarantined.get(uid)) if v is not None]
        if versions == [PROCESSING_VERSION]:
            settled += 1
            continue
        jobs.append(
            CallJob(uid, row["call_date"], row["system"], row["audio_key"], row["audio_bytes"])
        )
    return jobs, settled


def commit(location: LakeLocation, outcomes: list[Outcome]) -> None:
    """Write one batch of outcomes: upsert each into its table and take it out of the other
    (a call that now passes leaves quarantine; one that now fails loses its old FLAC)."""
    done = [o for o in outcomes if not o.quarantined]
    bad = [o for o in outcomes if o.quarantined]
    if done:
        delta.merge(location, NORMALIZED_AUDIO, _table(done, NORMALIZED_AUDIO.schema))
        delta.delete_where_keys(location, AUDIO_QUARANTINE, _keys(done))
    if bad:
        delta.merge(location, AUDIO_QUARANTINE, _table(bad, AUDIO_QUARANTINE.schema))
        delta.delete_where_keys(location, NORMALIZED_AUDIO, _keys(bad))
        store = ObjectStore(location)
        for outcome in bad:
            store.delete(outcome.job.normalized_key)  # after its row is gone, never before


def run_partition(
    location: LakeLocation,
    day: dt.date,
    workers: int = 0,
    commit_every: int = 200,
    min_pool_calls: int = 2,
    limits: Limits | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunSummary:
    """Normalize the partition's pending calls, committing every ``commit_every`` outcomes
    so a long day keeps what it finished if the run stops."""
    start = time.perf_counter()
    jobs, settled = pending_jobs(location, day)
    summary = RunSummary(pending=len(jobs), skipped=settled)
    outcomes = process_calls(location, jobs, workers, limits, min_pool_calls)
    for batch in batched(outcomes, commit_every):
        commit(location, batch)
        for outcome in batch:
            if outcome.quarantined:
                summary.quarantined += 1
                summary.reasons[f"{outcome.row['stage']}:{outcome.row['reason']}"] += 1
            else:
                summary.processed += 1
                summary.tiers[str(outcome.row["tier"])] += 1
            summary.step_ms.update(outcome.timings_ms)
        if progress is not None:
            progress(summary.processed + summary.quarantined, len(jobs))
    summary.seconds = time.perf_counter() - start
    return summary


def coverage(location: LakeLocation, day: dt.date) -> Coverage:
    part = {"call_date": [day]}
    raw = set(delta.read(location, RAW_CALLS, ["call_uid"], part).column("call_uid").to_pylist())
    normalized = _versions(location, NORMALIZED_AUDIO, day)
    quarantined = _versions(location, AUDIO_QUARANTINE, day)
    tiers = delta.read(location, NORMALIZED_AUDIO, ["tier"], part).column("tier").to_pylist()
    stale = sum(v != PROCESSING_VERSION for v in [*normalized.values(), *quarantined.values()])
    return Coverage(
        raw=len(raw),
        normalized=len(normalized),
        quarantined=len(quarantined),
        missing=tuple(sorted(raw - normalized.keys() - quarantined.keys())),
        both=tuple(sorted(normalized.keys() & quarantined.keys())),
        orphans=tuple(sorted((normalized.keys() | quarantined.keys()) - raw)),
        stale=stale,
        tiers=dict(Counter(tiers)),
    )


def _versions(location: LakeLocation, spec: TableSpec, day: dt.date) -> dict[str, int]:
    table = delta.read(
        location, spec, ["call_uid", "processing_version"], partitions={"call_date": [day]}
    )
    return dict(
        zip(
            table.column("call_uid").to_pylist(),
            table.column("processing_version").to_pylist(),
            strict=True,
        )
    )


def _table(outcomes: list[Outcome], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist([o.row for o in outcomes], schema=schema)


def _keys(outcomes: list[Outcome]) -> pa.Table:
    return pa.table({"call_uid": pa.array([o.job.call_uid for o in outcomes], pa.string())})
