"""A one-op live job for the resident worker tests: it notes the process it ran in and can
hold still long enough to be cancelled."""

import os
import time
from pathlib import Path

import dagster as dg

from assets.lanes import LANE_TAG, LIVE_LANE


@dg.op(config_schema={"out": str, "hold_s": float})
def note_pid(context: dg.OpExecutionContext) -> None:
    with Path(context.op_config["out"]).open("a") as out:
        out.write(f"{os.getpid()}\n")
    deadline = time.monotonic() + context.op_config["hold_s"]
    while time.monotonic() < deadline:
        time.sleep(0.05)


@dg.job(tags={LANE_TAG: LIVE_LANE}, executor_def=dg.in_process_executor)
def probe() -> None:
    note_pid()
