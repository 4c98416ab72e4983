"""SeaweedFS restarted in the middle of a write: an ingest run is writing calls to an S3
lake when the server stops and comes back. Whatever the run made of it (it may finish,
fail or retry its way through), recovery leaves every call in ``raw_calls`` once, nothing
quarantined, nothing in the landing zone and every table readable."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.faults.harness import ingest_batch, plant, verify
from bench.faults.restart import restart_trial
from lake.location import LakeLocation
from tests.support.seaweed import Weed

BATCH = 6


@pytest.mark.s3
def test_a_seaweedfs_restart_in_mid_write_loses_and_duplicates_nothing(tmp_path: Path):
    seed = random.SystemRandom().randrange(2**32)
    print(f"seed={seed}")
    rng = random.Random(seed)
    weed = Weed(tmp_path, "scanlake")
    weed.start()
    try:
        location = LakeLocation("s3://scanlake/restart", weed.server.storage_options())
        assert ingest_batch(location, plant(location, range(BATCH)))
        codes = []
        for i in (1,):  # one restart in CI; python -m bench.faults does more
            codes.append(restart_trial(weed, location, range(i * BATCH, (i + 1) * BATCH), rng.uniform(0.0, 3.0)))
            verdict = verify(location, range((i + 1) * BATCH), readable=True)
            assert verdict.clean, (codes, verdict)
    finally:
        weed.stop()
