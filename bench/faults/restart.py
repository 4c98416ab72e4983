"""A SeaweedFS restart in the middle of an ingest run (the fault test runs one, ``python -m
bench.faults`` several)."""

from __future__ import annotations

import threading
import time

from bench.faults.harness import ingest_batch, plant, resource, run_child, sweep
from lake.location import LakeLocation
from resources.landing import LandingZone
from tests.support.seaweed import Weed


def restart_trial(weed: Weed, location: LakeLocation, numbers: range, delay_s: float) -> int:
    """Ingest ``numbers`` in a child while the server restarts ``delay_s`` into the run."""
    keys = plant(location, numbers)

    def restart() -> None:
        time.sleep(delay_s)
        weed.stop()
        weed.start()

    bouncer = threading.Thread(target=restart)
    bouncer.start()
    crashed = run_child(location, keys, None, None)
    bouncer.join()
    pending = LandingZone(resource(location).objects).pending()
    if pending:
        assert ingest_batch(location, pending)
    sweep(location)
    return crashed.returncode
