"""What one point of the capacity protocol measures: for every delivered call, the seconds
from landing to its transcript and to its location in the lake; whether the backlog stayed
flat; and what each pipeline step cost per call, from the Dagster event log of the runs."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from bench.common import percentile
from lake import LakeLocation, delta
from lake.tables import LOCATIONS, TRANSCRIPTS


@dataclass
class Seen:
    """First time each call_uid was seen in transcripts / locations."""

    transcript: dict[str, float] = field(default_factory=dict)
    location: dict[str, float] = field(default_factory=dict)


@contextmanager
def watching(lake: Path, every_s: float = 2.0) -> Iterator[Seen]:
    seen, stop = Seen(), threading.Event()
    location = LakeLocation(str(lake))

    def poll() -> None:
        while not stop.is_set():
            now = time.time()
            for spec, into in ((TRANSCRIPTS, seen.transcript), (LOCATIONS, seen.location)):
                try:
                    uids = delta.read(location, spec, columns=["call_uid"])["call_uid"].to_pylist()
                except OSError:
                    continue  # a commit in flight; read again next round
                for uid in uids:
                    into.setdefault(uid, now)
            stop.wait(every_s)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join(timeout=30)


@dataclass(frozen=True)
class Point:
    lane: str
    rate_per_min: float
    minutes: float
    delivered: int
    transcribed: int
    located: int
    p50_s: float
    p95_s: float
    max_s: float
    first_third_p50_s: float
    last_third_p50_s: float
    location_p50_s: float
    location_p95_s: float
    load: str

    @property
    def calls_per_day(self) -> int:
        return int(self.rate_per_min * 1440)

    @property
    def flat(self) -> bool:
        """Every call transcribed, and the lag at the end no worse than at the start (1.5x,
        plus one sensor tick and a run's start), so the queue is not growing."""
        return self.transcribed == self.delivered and self.last_third_p50_s <= 1.5 * self.first_third_p50_s + 10


def point(lane: str, rate: float, minutes: float, landed: dict[str, float], seen: Seen, load: str) -> Point:
    order = sorted(landed, key=landed.get)  # type: ignore[arg-type]
    lags = [seen.transcript[u] - landed[u] for u in order if u in seen.transcript]
    loc = [seen.location[u] - landed[u] for u in order if u in seen.location]
    third = max(1, len(order) // 3)

    def p50(uids: list[str]) -> float:
        values = [seen.transcript[u] - landed[u] for u in uids if u in seen.transcript]
        return percentile(values, 50) if values else float("inf")

    return Point(
        lane, rate, minutes, len(order), len(lags), len(loc),
        percentile(lags, 50) if lags else float("inf"), percentile(lags, 95) if lags else float("inf"),
        max(lags, default=float("inf")), p50(order[:third]), p50(order[-third:]),
        percentile(loc, 50) if loc else float("inf"), percentile(loc, 95) if loc else float("inf"), load,
    )  # fmt: skip


def step_costs(home: Path) -> dict[str, tuple[int, float]]:
    """Per step key: how many times it ran and its total seconds, over every run in the
    instance at ``home`` (STEP_START to STEP_SUCCESS/FAILURE in the event log)."""
    totals: dict[str, list[float]] = defaultdict(list)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        for run in instance.get_runs():
            started: dict[str, float] = {}
            for entry in instance.all_logs(run.run_id):
                event = entry.dagster_event
                if event is None or event.step_key is None:
                    continue
                if event.event_type == dg.DagsterEventType.STEP_START:
                    started[event.step_key] = entry.timestamp
                elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
                    if event.step_key in started:
                        totals[event.step_key].append(entry.timestamp - started.pop(event.step_key))
    return {k: (len(v), sum(v)) for k, v in sorted(totals.items())}


@dataclass(frozen=True)
class LiveRun:
    calls: int  # raw_calls' calls_inserted
    start: float  # RUN_START
    end: float  # RUN_SUCCESS / RUN_FAILURE
    steps: dict[str, float]  # step key -> seconds
    handoffs: list[float]  # Celery: "Submitting celery task" -> STEP_START, per step


def live_runs(instance: dg.DagsterInstance) -> list[LiveRun]:
    """The finished live runs of an instance, oldest first."""
    kinds = dg.DagsterEventType
    out = []
    for run in instance.get_runs():
        if run.job_name != "live":
            continue
        started: dict[str, float] = {}
        steps: dict[str, float] = {}
        submitted: dict[str, float] = {}
        calls, start, end = None, None, None
        for entry in instance.all_logs(run.run_id):
            event = entry.dagster_event
            if event is None:
                continue
            kind = event.event_type
            if kind == kinds.RUN_START:
                start = entry.timestamp
            elif kind in (kinds.RUN_SUCCESS, kinds.RUN_FAILURE):
                end = entry.timestamp
            elif kind == kinds.STEP_START and event.step_key:
                started[event.step_key] = entry.timestamp
            elif kind in (kinds.STEP_SUCCESS, kinds.STEP_FAILURE) and event.step_key in started:
                steps[event.step_key] = entry.timestamp - started[event.step_key]
            elif kind == kinds.ENGINE_EVENT and event.step_key and "Submitting celery task" in (event.message or ""):
                submitted[event.step_key] = entry.timestamp
            elif kind == kinds.ASSET_MATERIALIZATION and event.asset_key and event.asset_key.path == ["raw_calls"]:
                calls = event.event_specific_data.materialization.metadata["calls_inserted"].value
        if calls is None or start is None or end is None:
            continue
        handoffs = [started[k] - t for k, t in submitted.items() if k in started]
        out.append(LiveRun(int(calls), start, end, steps, handoffs))
    return sorted(out, key=lambda r: r.start)
