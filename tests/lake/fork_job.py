"""A job for the fork-safety test: two steps writing Delta, on scanlake's executor."""

import os

import dagster as dg

from lake import LakeLocation, delta
from lake.tables import RAW_CALLS
from orchestration.executors import multiprocess
from tests.lake.rows import raw_calls


@dg.op
def write(context: dg.OpExecutionContext) -> None:
    lake = LakeLocation(os.environ["SCANLAKE_FORK_TEST_LAKE"])
    delta.merge(lake, RAW_CALLS, raw_calls(1, prefix=context.op.name))


@dg.job(executor_def=multiprocess)
def two_writers() -> None:
    write.alias("a")()
    write.alias("b")()
