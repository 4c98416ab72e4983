"""A job for the fork-safety test: two steps writing Delta, on scanlake's executor."""

import dagster as dg

from lake import LakeLocation, delta
from lake.tables import RAW_CALLS
from orchestration.executors import multiprocess
from tests.lake.rows import raw_calls


class LakeConfig(dg.Config):
    # Run config, not an environment variable: a forkserver started earlier in the same
    # process (another test's) hands its children the environment it started with.
    lake_uri: str


@dg.op
def write(context: dg.OpExecutionContext, config: LakeConfig) -> None:
    lake = LakeLocation(config.lake_uri)
    delta.merge(lake, RAW_CALLS, raw_calls(1, prefix=context.op.name))


@dg.job(executor_def=multiprocess)
def two_writers() -> None:
    write.alias("a")()
    write.alias("b")()
