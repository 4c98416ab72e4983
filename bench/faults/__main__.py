"""Fault benchmark: generated bad inputs through the landing sensor and its runs, plus
kill -9 of the run process (local lake and SeaweedFS), kill -9 of the resident worker,
SeaweedFS restarted mid-write and concurrent writers; prints what was lost or doubled.

    flock /tmp/scanlake-bench.lock .venv/bin/python -m bench.faults

Every trial ends with the invariant checked: each planted call once in ``raw_calls``, no
call quarantined that should not be, nothing left in the landing zone, every table read
whole by deltalake and DuckDB.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from bench.common import print_table
from bench.faults.harness import RANDOM_KILL, Verdict, kill_trial, plant, run_child, verify
from bench.faults.inputs import run_inputs
from bench.faults.restart import restart_trial
from bench.faults.worker import Worker, dagster_home, finished, launch, worker_trial
from bench.faults.writers import race_writers
from lake.location import LakeLocation
from tests.support.seaweed import Weed

BATCH = 5
POINTS = ["object_put_partial", "landing_put_between", "landing_ack_between", "delta_after_commit", RANDOM_KILL, RANDOM_KILL]


class Rows(list):
    """The table's rows, each printed as it is done (a long run leaves its figures behind)."""

    def append(self, row: Row) -> None:  # type: ignore[override]
        print(f"DONE {row}", flush=True)
        super().append(row)


@dataclass
class Row:
    scenario: str
    inputs: int = 0
    faults: int = 0
    lost: int = 0
    duplicated: int = 0
    failed_ticks: int = 0
    failed_runs: int = 0
    unreadable: int = 0
    left_behind: int = 0
    seconds: float = 0.0

    def add(self, v: Verdict) -> None:
        self.lost = max(self.lost, v.lost)  # verdicts are cumulative over one lake
        self.duplicated = max(self.duplicated, v.duplicated)
        self.unreadable = max(self.unreadable, len(v.unreadable))
        self.left_behind = max(self.left_behind, v.landing_left + v.partials_left + v.quarantined)


def kill_runs(location: LakeLocation, trials: int, rng: random.Random, name: str) -> Row:
    row, t0 = Row(name), time.perf_counter()
    points = [p for p in POINTS if not (location.is_s3 and p == "object_put_partial")]
    calib = run_child(location, plant(location, range(BATCH)), None, None)
    window = max(1.0, calib.run_s * 1.2)  # random kills spread over a whole run
    for i in range(1, trials + 1):
        point = points[(i - 1) % len(points)]
        crashed = kill_trial(location, range(i * BATCH, (i + 1) * BATCH), point, rng, window)
        row.faults += crashed.killed or crashed.returncode == 137
        row.add(verify(location, range((i + 1) * BATCH), readable=i % 5 == 0 or i == trials))
    row.inputs = (trials + 1) * BATCH
    row.seconds = time.perf_counter() - t0
    return row


def kill_workers(root: Path, trials: int, rng: random.Random) -> Row:
    row, t0 = Row("kill -9 resident worker, local"), time.perf_counter()
    location = LakeLocation(str(root / "worker-lake"))
    home, sock = dagster_home(root)
    worker = Worker(home, sock, location)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        worker.start()
        try:
            assert finished(instance, launch(instance, plant(location, range(BATCH)))) == dg.DagsterRunStatus.SUCCESS
            for i in range(1, trials + 1):
                status = worker_trial(instance, worker, range(i * BATCH, (i + 1) * BATCH), rng.uniform(0.0, 4.0))
                row.faults += 1
                row.failed_runs += status not in (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE)
                row.add(verify(location, range((i + 1) * BATCH), readable=i % 5 == 0 or i == trials))
        finally:
            worker.stop()
    row.inputs = (trials + 1) * BATCH
    row.seconds = time.perf_counter() - t0
    return row


def restarts(weed: Weed, trials: int, rng: random.Random) -> Row:
    row, t0 = Row("SeaweedFS restarted mid-write"), time.perf_counter()
    location = LakeLocation("s3://scanlake/restarts", weed.server.storage_options())
    run_child(location, plant(location, range(BATCH)), None, None)
    for i in range(1, trials + 1):
        restart_trial(weed, location, range(i * BATCH, (i + 1) * BATCH), rng.uniform(0.0, 3.0))
        row.faults += 1
        row.add(verify(location, range((i + 1) * BATCH), readable=i == trials))
    row.inputs = (trials + 1) * BATCH
    row.seconds = time.perf_counter() - t0
    return row


def race(location: LakeLocation, name: str) -> Row:
    row, t0 = Row(name, inputs=24, faults=1), time.perf_counter()
    try:
        race_writers(location)
    except AssertionError as exc:
        print(f"{name}: {exc}")
        row.duplicated = 1  # the assertion names what went wrong
    row.seconds = time.perf_counter() - t0
    return row


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--inputs", type=int, default=300, help="generated bad deliveries")
    parser.add_argument("--run-trials", type=int, default=20, help="kill -9 of the run, per store")
    parser.add_argument("--worker-trials", type=int, default=20)
    parser.add_argument("--restart-trials", type=int, default=3)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    print(f"seed {seed}; load {os.getloadavg()}")
    root = Path(tempfile.mkdtemp(prefix="scanlake-faults-"))
    rows = Rows()

    t0 = time.perf_counter()
    report = run_inputs(LakeLocation(str(root / "inputs-lake")), rng, args.inputs)
    rows.append(Row("generated bad inputs via landing sensor", inputs=report.generated,
                    lost=len(report.lost), duplicated=len(report.duplicated),
                    failed_ticks=report.failed_ticks, failed_runs=report.failed_runs,
                    seconds=time.perf_counter() - t0))
    for problem in (report.lost + report.duplicated + report.tick_errors)[:20]:
        print("  ", problem)
    rows.append(kill_runs(LakeLocation(str(root / "kill-lake")), args.run_trials, rng, "kill -9 run, local lake"))
    rows.append(race(LakeLocation(str(root / "race-lake")), "concurrent writers, local lake"))
    weed_dir = root / "weed"
    weed_dir.mkdir()
    weed = Weed(weed_dir, "scanlake")
    weed.start()
    try:
        s3 = LakeLocation("s3://scanlake/kills", weed.server.storage_options())
        rows.append(kill_runs(s3, args.run_trials, rng, "kill -9 run, SeaweedFS"))
        rows.append(race(LakeLocation("s3://scanlake/race", weed.server.storage_options()), "concurrent writers, SeaweedFS"))
        rows.append(restarts(weed, args.restart_trials, rng))
    finally:
        weed.stop()
    rows.append(kill_workers(root, args.worker_trials, rng))

    print_table(
        f"Faults (seed {seed})",
        ["scenario", "inputs", "faults injected", "calls lost", "duplicated", "failed ticks",
         "failed runs", "unreadable tables", "left behind", "seconds"],
        [[r.scenario, r.inputs, r.faults, r.lost, r.duplicated, r.failed_ticks, r.failed_runs,
          r.unreadable, r.left_behind, r.seconds] for r in rows],
    )
    print(f"inputs by kind: {dict(sorted(report.kinds.items()))}")
    print(f"most time one bad call cost (tick + run + sweep, alone): {report.worst_s[0]:.2f} s ({report.worst_s[1]})")
    print(f"most memory one bad call cost (peak RSS above start): {report.worst_mb[0]:.1f} MB ({report.worst_mb[1]})")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
