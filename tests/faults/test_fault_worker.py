"""kill -9 of the resident worker during a live run: the worker started again fails the
run it left (so its sensor requests the calls again), the calls still pending are run
again, and no call is lost or duplicated. CI runs a few trials with a fresh seed;
``python -m bench.faults`` runs 20."""

from __future__ import annotations

import random

import dagster as dg

from bench.faults.harness import plant, verify
from bench.faults.worker import Worker, dagster_home, finished, launch, worker_trial

BATCH = 5
TRIALS = 1  # each costs a cold worker start (~1 min on a loaded CI box); the bench runs 20


def test_kill_9_of_the_resident_worker_mid_run_loses_and_duplicates_nothing(tmp_path, lake):
    seed = random.SystemRandom().randrange(2**32)
    print(f"seed={seed}")
    rng = random.Random(seed)
    home, sock = dagster_home(tmp_path)
    worker = Worker(home, sock, lake)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        worker.start()
        try:
            # The first run pays the worker's imports; the kills then land in warm runs.
            first = launch(instance, plant(lake, range(BATCH)))
            assert finished(instance, first) == dg.DagsterRunStatus.SUCCESS
            statuses = []
            for i in range(1, TRIALS + 1):
                statuses.append(worker_trial(instance, worker, range(i * BATCH, (i + 1) * BATCH), rng.uniform(0.0, 3.0)))
                verdict = verify(lake, range((i + 1) * BATCH), readable=i == TRIALS)
                assert verdict.clean, (statuses, verdict)
        finally:
            worker.stop()
    # A killed run is never left "started": it finished, or the new worker failed it.
    assert all(s in (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE) for s in statuses)
