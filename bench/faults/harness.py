"""Fault-injection harness of ``python -m bench.faults``, also run by the fault tests.

A trial plants a batch of calls in the landing zone, ingests it in a separate process
(from a fork server that never touched Delta: never a fork of a process that has, as
delta-rs panics in such a child) that is killed
with SIGKILL at a random moment or crashes at a named point (``lake.faults``), recovers
the way production does (the batch is run again, leftovers are swept) and then checks the
invariant: every planted call once in ``raw_calls``, none quarantined, nothing left in
the landing zone, every table readable by deltalake and DuckDB.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import random
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from assets.maintenance.assets import landing_leftovers
from assets.raw.assets import raw_calls
from lake import delta, faults
from lake import duckdb as lake_duckdb
from lake.location import LakeLocation
from lake.objects import PARTIAL_SUFFIX
from lake.tables import RAW_CALLS, RAW_QUARANTINE, TABLES
from resources.calls import CallMeta
from resources.lake import LakeResource
from resources.landing import LandingZone
from resources.trunk_recorder.resource import TrunkRecorderSource
from tests.support.audio import wav_bytes

REPO = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 11, 2)
START = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
RANDOM_KILL = "random_kill"


def call(n: int) -> CallMeta:
    start = START + dt.timedelta(seconds=7 * n)
    return CallMeta(
        system="faults", talkgroup=1000 + n % 50, start_time=start, duration_s=3.0,
        stop_time=start + dt.timedelta(seconds=3),
    )


def resource(location: LakeLocation) -> LakeResource:
    return LakeResource.for_location(location)


def plant(
    location: LakeLocation, numbers: range, received: dt.datetime | None = None
) -> list[str]:
    """Calls ``numbers`` stored in the landing zone as uploads; their envelope keys."""
    zone = LandingZone(resource(location).objects)
    audio = wav_bytes(0.5)  # half a second keeps a batch small
    return [zone.put("upload", call(n), audio, "wav", received=received) for n in numbers]


def ingest_batch(location: LakeLocation, keys: list[str]) -> bool:
    """One micro-batch of ``raw_calls`` over the given landing keys, in this process."""
    return dg.materialize(
        [raw_calls],
        partition_key=DAY.isoformat(),
        resources={"lake": resource(location), "trunk_recorder": TrunkRecorderSource(capture_dirs=[])},
        run_config={"ops": {"raw_calls": {"config": {"landing_keys": keys}}}},
        raise_on_error=False,
    ).success


def sweep(location: LakeLocation) -> dict[str, int]:
    """Sweep leftovers with no age threshold: only safe because every writer is dead."""
    result = dg.materialize(
        [landing_leftovers],
        resources={"lake": resource(location)},
        run_config={"ops": {"landing_leftovers": {"config": {"min_age_s": 0.0}}}},
    )
    metadata = result.asset_materializations_for_node("landing_leftovers")[0].metadata
    return {k: int(v.value) for k, v in metadata.items() if k != "swept"}  # type: ignore[arg-type]


_SERVER_MODULES = ["bench.faults.server"]


def processes() -> mp.context.ForkServerContext:
    """Children from a fork server that has imported scanlake (not a fork of this process,
    which has started delta-rs's runtime; the server never touches Delta, so its children
    are as safe as spawned ones and skip ~8 s of imports each)."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(_SERVER_MODULES)
    return ctx


def _child(uri: str, options: dict[str, str], job: list[str] | range, fault_point: str | None, ready) -> None:
    """Ingest the landing keys ``job``, or (a range) be the producer that uploads those calls."""
    faults.arm(fault_point)
    location = LakeLocation(uri, options)
    ready.send("ready")
    ready.close()
    if isinstance(job, range):
        plant(location, job, received=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
        sys.exit(0)
    sys.exit(0 if ingest_batch(location, job) else 1)


@dataclass(frozen=True)
class ChildRun:
    returncode: int
    killed: bool  # by our SIGKILL, not its own crash point or exit
    run_s: float  # from "ready" (imports done) to exit or kill


def run_child(
    location: LakeLocation, job: list[str] | range, fault_point: str | None, kill_after_s: float | None
) -> ChildRun:
    """Ingest the landing keys ``job`` (or upload the calls of a range) in a child process;
    SIGKILL it ``kill_after_s`` after it is ready."""
    ctx = processes()
    parent_end, child_end = ctx.Pipe(duplex=False)
    point = None if fault_point == RANDOM_KILL else fault_point
    proc = ctx.Process(
        target=_child, args=(location.uri, dict(location.storage_options), job, point, child_end)
    )
    proc.start()
    child_end.close()
    ready = parent_end.poll(120) and parent_end.recv() == "ready"
    t0 = time.perf_counter()
    killed = False
    if ready and kill_after_s is not None:
        proc.join(kill_after_s)
        if proc.exitcode is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
    proc.join(300)
    parent_end.close()
    assert proc.exitcode is not None, "the ingest child never finished"
    return ChildRun(proc.exitcode, killed, time.perf_counter() - t0)


@dataclass
class Verdict:
    expected: int
    lost: int
    duplicated: int
    quarantined: int
    landing_left: int
    partials_left: int
    unreadable: list[str]

    @property
    def clean(self) -> bool:
        return not (self.lost or self.duplicated or self.quarantined or self.landing_left
                    or self.partials_left or self.unreadable)


def verify(location: LakeLocation, numbers: range, readable: bool = True) -> Verdict:
    """The invariant after recovery, for the calls ``numbers`` planted so far (with
    ``readable``, also every table read whole by deltalake and DuckDB)."""
    store = resource(location).objects
    expected = {call(n).call_uid for n in numbers}
    rows = Counter(delta.read(location, RAW_CALLS, columns=["call_uid"])["call_uid"].to_pylist())
    quarantined = delta.read(location, RAW_QUARANTINE).num_rows
    landing = list(store.modified("landing"))
    partials = [k for prefix in ("landing", "audio") for k, _ in store.modified(prefix)
                if k.endswith(PARTIAL_SUFFIX)]
    return Verdict(
        expected=len(expected),
        lost=len(expected - set(rows)),
        duplicated=sum(c - 1 for c in rows.values() if c > 1) + len(set(rows) - expected),
        quarantined=quarantined,
        landing_left=len(landing),
        partials_left=len(partials),
        unreadable=unreadable_tables(location) if readable else [],
    )


def unreadable_tables(location: LakeLocation) -> list[str]:
    """Tables that exist but that deltalake or DuckDB cannot read whole."""
    bad: list[str] = []
    con = lake_duckdb.connect(location)
    try:
        for spec in TABLES.values():
            if not delta.exists(location, spec):
                continue
            try:
                n = delta.read(location, spec).num_rows
                # table names come from the registry, not from data
                [(m,)] = con.execute(f'SELECT count(*) FROM "{spec.name}"').fetchall()  # noqa: S608
                if n != m:
                    bad.append(f"{spec.name}: deltalake {n} rows, duckdb {m}")
            except Exception as exc:
                bad.append(f"{spec.name}: {type(exc).__name__}: {exc}")
    finally:
        con.close()
    return bad


def kill_trial(
    location: LakeLocation, numbers: range, fault_point: str, rng: random.Random, window_s: float
) -> ChildRun:
    """Plant ``numbers``, crash their ingest (or, at ``landing_put_between``, their
    upload), recover; the caller verifies."""
    if fault_point == "landing_put_between":
        # The uploader dies between a call's audio and its envelope, unacknowledged; the
        # recorder retries the upload (the next day), and that delivery is ingested.
        crashed = run_child(location, numbers, fault_point, None)
        assert ingest_batch(location, plant(location, numbers))
        sweep(location)
        return crashed
    keys = plant(location, numbers)
    # A re-delivery of the previous batch's last call rides along: recovery must not double it.
    if numbers.start > 0:
        keys += plant(location, range(numbers.start - 1, numbers.start))
    delay = rng.uniform(0.0, window_s) if fault_point == RANDOM_KILL else None
    crashed = run_child(location, keys, fault_point, delay)
    # Production recovery: the sensor requests the batch again (the landing keys still
    # pending), and the hourly sweep clears what the dead writer left.
    pending = LandingZone(resource(location).objects).pending()
    if pending:
        assert ingest_batch(location, pending)
    sweep(location)
    return crashed
