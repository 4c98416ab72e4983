"""Loading the models a worker's runs use before the first run asks for them: the resident
run worker and Celery workers call this once at start, and the models stay cached in the
process (``resources.asr.resource`` and ``assets.entities.extract`` keep them per setting)."""

from __future__ import annotations

import time
from collections.abc import Callable

import dagster as dg

Say = Callable[[str], None]


def warm_up(say: Say, asr: bool = True, nlp: bool = True) -> None:
    """Import the code location and load the ASR model (``asr``) and the spaCy pipeline
    (``nlp``) with the settings the runs will use."""
    t0 = time.perf_counter()
    from assets.entities.assets import EntitiesConfig
    from assets.entities.extract import extractor_for
    from orchestration.definitions import defs

    resources = defs.resources
    with dg.build_resources({k: resources[k] for k in ("transcriber", "lake")}) as built:
        if asr:
            built.transcriber.engine()
            say(f"ASR model {built.transcriber.model_id} loaded ({built.transcriber.device})")
        if nlp:
            extractor_for(EntitiesConfig().settings(built.lake.location))
            say("entity extractor loaded")
    say(f"warm in {time.perf_counter() - t0:.1f} s")
