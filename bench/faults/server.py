"""What the fault trials' fork server loads before it forks children: scanlake's modules
and one in-process run of a Delta-free asset, so each child starts with Dagster's first-run
costs paid (~7 s on a loaded machine). Nothing here touches delta-rs, whose runtime must
not exist in a process that forks."""

import dagster as dg

import bench.faults.harness  # noqa: F401 - imported for the children


@dg.asset
def warm_up() -> None:
    """Nothing: a run of it initialises Dagster's in-process machinery."""


dg.materialize([warm_up])
