"""A run of the ``pipeline`` job as Dagster's run process executes it, for the Celery
tests: ``python -m tests.orchestration.celery_run DAY [ASSET ...]`` orchestrates the run
here (the Celery executor's loop) while Celery workers execute its steps. It runs in its
own process so the job is built from that process's environment (broker, lake, instance),
as a deployment's run process would be. ``--capture DIR`` (repeatable) names the capture
folders this run ingests. Prints the run id and whether it succeeded."""

from __future__ import annotations

import argparse
import json

import dagster as dg


def pipeline() -> dg.JobDefinition:
    from orchestration.definitions import defs

    return defs.resolve_job_def("pipeline")


def main(day: str, assets: list[str], captures: list[str]) -> int:
    run_config = (
        {"resources": {"trunk_recorder": {"config": {"capture_dirs": captures, "settle_s": 0.0}}}}
        if captures
        else {}
    )
    with dg.DagsterInstance.get() as instance:
        result = dg.execute_job(
            dg.reconstructable(pipeline),
            instance,
            run_config=run_config,
            tags={"dagster/partition": day},
            asset_selection=[dg.AssetKey(a) for a in assets] or None,
            raise_on_error=False,
        )
        print(json.dumps({"run_id": result.run_id, "success": result.success}))
    return 0 if result.success else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("day")
    parser.add_argument("assets", nargs="*")
    parser.add_argument("--capture", action="append", default=[])
    args = parser.parse_args()
    raise SystemExit(main(args.day, args.assets, args.capture))
