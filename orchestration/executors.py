"""Executors. delta-rs panics in a child forked after its runtime started in the parent
("Forked process detected"), so multiprocess execution starts steps with forkserver."""

import dagster as dg

multiprocess = dg.multiprocess_executor.configured(
    {"max_concurrent": 2, "start_method": {"forkserver": {}}}, name="scanlake_multiprocess"
)
