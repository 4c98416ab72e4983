"""Micro-batch sensors: new calls in capture folders and in the landing zone become runs
of ``raw_calls`` and everything downstream of it, a few seconds after they appear."""

import datetime as dt
import hashlib
import json
import os
import time
from collections import defaultdict
from collections.abc import Iterator

import dagster as dg
import pyarrow as pa

from assets.lanes import BATCH_TAG, LANE_TAG, LIVE_JOB, LIVE_LANE
from assets.raw.cursor import Batch, BatchState, IngestCursor, batch_state
from assets.raw.ingest import ingest
from assets.raw.validate import place
from lake import delta
from lake.tables import RAW_QUARANTINE
from resources.broadcastify.resource import BroadcastifyResource
from resources.calls import CallDelivery, MalformedCall
from resources.lake import LakeResource
from resources.landing import LandingZone
from resources.micro_batch import sensor_interval_s
from resources.trunk_recorder import handoff
from resources.trunk_recorder.folder import ScanResult
from resources.trunk_recorder.resource import TrunkRecorderSource

# Seconds between sensor ticks; the daemon honours it as a minimum.
SENSOR_INTERVAL_S = sensor_interval_s()
MAX_LANDING_BATCH = 500
# A window with more items than this (a backlog after downtime) is not carried in the run
# config, which Dagster stores with every run: its run scans the window itself.
MAX_HANDED_CALLS = 500
# Failed runs of the same calls before they are quarantined as retries_exhausted.
MAX_INGEST_ATTEMPTS = int(os.environ.get("SCANLAKE_MAX_INGEST_ATTEMPTS", "5"))
_LOST_AFTER_S = 600.0
# _ONE_BATCH_IN_FLIGHT: a sensor requests no new batch while its last one is queued or
# running. Live runs go one at a time and each costs ~5-15 s whatever its size, so a run per
# tick (1-2 calls each) queued up without bound at 35 calls/min (bench/capacity); waiting
# lets the next batch take everything that landed meanwhile. The wait is bounded: a run that
# hangs, or was killed and is only found lost after _LOST_AFTER_S, holds the calls behind it
# for HOLD_NEXT_BATCH_S at most, then batches flow again beside it.
HOLD_NEXT_BATCH_S = float(os.environ.get("SCANLAKE_HOLD_NEXT_BATCH_S", "60"))


def _holding(cursor: IngestCursor, now: float) -> bool:
    """Whether a batch in flight is young enough to hold the next one back."""
    return any(now - b.requested_at < HOLD_NEXT_BATCH_S for b in cursor.inflight)


def _state(instance: dg.DagsterInstance, batch: Batch) -> BatchState:
    runs = instance.get_runs(filters=dg.RunsFilter(tags={BATCH_TAG: batch.batch_id}))
    outcomes: list[bool | None] = []
    for run in runs:
        if run.status == dg.DagsterRunStatus.SUCCESS:
            outcomes.append(True)
        elif run.status in (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED):
            outcomes.append(False)
        else:
            outcomes.append(None)
    return batch_state(outcomes, batch.runs, time.time() - batch.requested_at, _LOST_AFTER_S)


def _settle(instance: dg.DagsterInstance, cursor: IngestCursor, ordered: bool) -> None:
    states = {b.batch_id: _state(instance, b) for b in cursor.inflight}
    errors = {
        batch_id: _run_error(instance, batch_id)
        for batch_id, state in states.items()
        if state is BatchState.FAILED
    }
    cursor.settle(states, ordered=ordered, errors=errors)


def _run_error(instance: dg.DagsterInstance, batch_id: str) -> str:
    """What the batch's failed run said, for the quarantine row if it keeps failing."""
    for run in instance.get_runs(filters=dg.RunsFilter(tags={BATCH_TAG: batch_id})):
        if run.status != dg.DagsterRunStatus.FAILURE:
            continue
        for kind in (dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.RUN_FAILURE):
            for record in instance.all_logs(run.run_id, of_type=kind):
                event = record.dagster_event
                error = getattr(event.event_specific_data, "error", None) if event else None
                if error is not None:
                    return f"run {run.run_id}: {error.message.strip()}"
                if event and event.message:
                    return f"run {run.run_id}: {event.message}"
        return f"run {run.run_id} failed"
    return "run failed or was lost"


def _run_requests(
    batch_id: str, by_day: dict[str, dict[str, object]] | list[tuple[str, dict[str, object]]]
) -> Iterator[dg.RunRequest]:
    pairs = sorted(by_day.items()) if isinstance(by_day, dict) else by_day
    for i, (day, raw_calls_config) in enumerate(pairs):
        yield dg.RunRequest(
            run_key=f"{batch_id}:{day}" if isinstance(by_day, dict) else f"{batch_id}:{day}:{i}",
            partition_key=day,
            run_config={"ops": {"raw_calls": {"config": raw_calls_config}}},
            tags={BATCH_TAG: batch_id, LANE_TAG: LIVE_LANE},
        )


def quarantine_materialization(
    problems: pa.Table, now: dt.datetime, version: int | None, writer: str
) -> dg.AssetMaterialization:
    """The ``raw_quarantine`` materialization a writer outside the ``raw_calls`` step (this
    sensor, the leftovers sweep) reports, filed under today's partition as the sensors file
    calls without a day of their own."""
    reasons: dict[str, int] = {}
    for reason in problems["reason"].to_pylist():
        reasons[reason] = reasons.get(reason, 0) + 1
    return dg.AssetMaterialization(
        asset_key=RAW_QUARANTINE.name,
        partition=_today(now),
        metadata={
            "quarantined": problems.num_rows,
            "quarantine_reasons": dg.MetadataValue.json(dict(sorted(reasons.items()))),
            "table_version": version,
            "writer": writer,
        },
    )


def _handed(
    window: dict[str, object], found: ScanResult, placed: list[CallDelivery | MalformedCall], day: str | None
) -> dict[str, object]:
    """The run config of one day's run of a window: every problem and the calls on that
    day (all calls when ``day`` is None), in the order the run's own scan would give."""
    kept = [
        d
        for d, p in zip(found.deliveries, placed, strict=True)
        if isinstance(p, MalformedCall) or day is None or p.meta.call_date.isoformat() == day
    ]
    return {**window, "handed": True, "handed_calls": handoff.hand([*found.problems, *kept])}


def _today(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).date().isoformat()


@dg.sensor(
    name="trunk_recorder_sensor",
    job_name=LIVE_JOB,
    minimum_interval_seconds=SENSOR_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def trunk_recorder_sensor(
    context: dg.SensorEvaluationContext, trunk_recorder: TrunkRecorderSource
) -> dg.SensorResult | dg.SkipReason:
    """Watches the trunk-recorder capture folders; each tick's new calls become one run per
    call date, handed the calls this tick parsed so the run does not scan and parse them
    again. The cursor only moves past calls whose run succeeded."""
    if not trunk_recorder.capture_dirs:
        return dg.SkipReason("no capture folders configured (SCANLAKE_TRUNK_RECORDER_DIRS)")
    cursors: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    requests: list[dg.RunRequest] = []
    now = dt.datetime.now(dt.UTC)
    for capture_dir in trunk_recorder.capture_dirs:
        cursor = IngestCursor.loads(cursors.get(capture_dir))
        _settle(context.instance, cursor, ordered=True)
        if _holding(cursor, time.time()):
            # One batch in flight per source: calls landing meanwhile wait for the next
            # batch, so batches grow with the backlog (see _ONE_BATCH_IN_FLIGHT).
            cursors[capture_dir] = cursor.dumps()
            continue
        after = cursor.requested
        found = trunk_recorder.scan(capture_dir, after)
        if found.deliveries or found.problems:
            upto = found.position
            # a call whose day has no partition is a problem, filed with today's run
            placed = [place(d, now) for d in found.deliveries]
            days = {d.meta.call_date.isoformat() for d in placed if isinstance(d, CallDelivery)}
            window: dict[str, object] = {
                "capture_windows": [{"capture_dir": capture_dir, "after": after, "upto": upto}],
                "checked_at": now.isoformat(),
            }
            exhausted = cursor.exhausted(str(after), MAX_INGEST_ATTEMPTS)
            if exhausted is not None:
                # the window failed every time: quarantine its calls, in one run
                window["retries_exhausted"] = exhausted
                days = set()
            if not days:
                days = {_today(now)}
            by_day = {day: window for day in days}
            if len(found.problems) + len(found.deliveries) <= MAX_HANDED_CALLS:
                # the run takes what this tick parsed instead of scanning the window again
                by_day = {day: _handed(window, found, placed, None if exhausted else day) for day in days}
            # A batch requested again after a failure needs a fresh run key, or Dagster skips it.
            batch_id = (
                f"tr-{hashlib.sha1(capture_dir.encode()).hexdigest()[:8]}-{upto}-{time.time_ns()}"
            )
            requests += _run_requests(batch_id, by_day)
            cursor.add(Batch(batch_id, upto, runs=len(days), requested_at=time.time(), after=after))
        cursors[capture_dir] = cursor.dumps()
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(cursors))


@dg.sensor(
    name="landing_sensor",
    job_name=LIVE_JOB,
    minimum_interval_seconds=SENSOR_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def landing_sensor(context: dg.SensorEvaluationContext, lake: LakeResource) -> dg.SensorResult:
    """Drains the landing zone (HTTP uploads, Broadcastify polls) into runs, one per call
    date. Calls leave the zone only when their run has committed them."""
    cursor = IngestCursor.loads(context.cursor)
    _settle(context.instance, cursor, ordered=False)
    if _holding(cursor, time.time()):
        return dg.SensorResult(run_requests=[], cursor=cursor.dumps())  # _ONE_BATCH_IN_FLIGHT
    landing = LandingZone(lake.objects)
    busy = cursor.inflight_refs
    pending = landing.pending()
    # a ref that left the zone (ingested, set aside) needs no more counting
    waiting = set(pending)
    cursor.attempts = {k: n for k, n in cursor.attempts.items() if k in waiting}
    cursor.errors = {k: e for k, e in cursor.errors.items() if k in waiting}
    keys = [k for k in pending if k not in busy][:MAX_LANDING_BATCH]
    now = dt.datetime.now(dt.UTC)
    by_day: dict[str, list[str]] = defaultdict(list)
    given_up: dict[str, list[str]] = defaultdict(list)  # last error -> refs
    for item in (place(i, now) for i in landing.read(keys)):
        exhausted = cursor.exhausted(item.source_ref, MAX_INGEST_ATTEMPTS)
        if exhausted is not None:
            given_up[exhausted].append(item.source_ref)
            continue
        day = item.meta.call_date.isoformat() if isinstance(item, CallDelivery) else _today(now)
        by_day[day].append(item.source_ref)
    requests: list[dg.RunRequest] = []
    if by_day or given_up:
        batch_id = f"landing-{hashlib.sha1(''.join(keys).encode()).hexdigest()[:12]}-{int(time.time() * 1000)}"
        checked = now.isoformat()
        runs: list[tuple[str, dict[str, object]]] = [
            (day, {"landing_keys": refs, "checked_at": checked}) for day, refs in sorted(by_day.items())
        ]
        runs += [
            (_today(now), {"landing_keys": refs, "checked_at": checked, "retries_exhausted": error})
            for error, refs in sorted(given_up.items())
        ]
        requests = list(_run_requests(batch_id, runs))
        cursor.add(Batch(batch_id, refs=keys, runs=len(requests), requested_at=time.time()))
    return dg.SensorResult(run_requests=requests, cursor=cursor.dumps())


@dg.sensor(
    name="broadcastify_sensor",
    minimum_interval_seconds=SENSOR_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def broadcastify_sensor(
    context: dg.SensorEvaluationContext, broadcastify: BroadcastifyResource, lake: LakeResource
) -> dg.SkipReason:
    """Polls the Broadcastify Calls live feed and stores each new call in the landing zone,
    where ``landing_sensor`` picks it up. The position cursor moves only past calls that
    are stored; an API error fails the tick, visibly, and leaves the cursor where it was."""
    if not broadcastify.configured:
        return dg.SkipReason("Broadcastify is not configured (SCANLAKE_BCFY_* variables)")
    result = broadcastify.poll(LandingZone(lake.objects), context.cursor)
    if result.problems:
        problems = ingest(result.problems, lake.objects, source="broadcastify").quarantine
        written = delta.merge(lake.location, RAW_QUARANTINE, problems)
        # Written outside any run (a poll that stored nothing has no run to file them with),
        # so the sensor itself records the materialization: the rows show in the lineage.
        context.instance.report_runless_asset_event(
            quarantine_materialization(problems, dt.datetime.now(dt.UTC), written.version, "broadcastify_sensor")
        )
    context.update_cursor(result.new_cursor)
    waiting = f"; {len(result.retrying)} waiting for audio" if result.retrying else ""
    return dg.SkipReason(f"stored {result.stored} call(s) in the landing zone{waiting}")
