"""``uv run python -m bench.latency``: seconds from a call file landing in a trunk-recorder
capture folder to its alert's webhook arriving, with the real sensor, daemon and pipeline,
configured by the project's own instance config.

Two lanes, measured in one run on fresh lakes: live runs handed to the resident worker
(``scanlake worker``, as ``scanlake live`` runs it), and the baseline Dagster gives without
it, a fresh process per run."""

from __future__ import annotations

import argparse
import shutil
import signal
import sys

from bench.latency import calls as bench_calls
from bench.latency import report
from bench.latency.run import Measured, Settings, measure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__)
    parser.add_argument("--calls", type=int, default=10, help="timed calls per lane (after one warm-up call)")
    parser.add_argument(
        "--baseline-calls", type=int, default=3, help="timed calls without the worker (0: skip that lane)"
    )
    parser.add_argument("--gap-s", type=float, default=2.0, help="pause after each alert arrives")
    parser.add_argument("--timeout-s", type=float, default=180.0, help="give up on one call after this")
    parser.add_argument("--warmup-timeout-s", type=float, default=600.0)
    parser.add_argument("--sensor-interval-s", type=int, default=1, help="SCANLAKE_SENSOR_INTERVAL_S")
    parser.add_argument("--keep", action="store_true", help="keep the temporary lakes and logs")
    args = parser.parse_args(argv)
    # Stopped with SIGTERM, still stop the daemons and workers it started (they run in
    # their own sessions and would outlive it).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    def say(msg: str) -> None:
        print(msg, flush=True)

    say(f"rendering {max(args.calls, args.baseline_calls) + 1} calls of speech ...")
    rendered = bench_calls.render(max(args.calls, args.baseline_calls) + 1)
    lanes: list[Measured] = []
    for resident, n in ((True, args.calls), (False, args.baseline_calls)):
        if n > 0:
            settings = Settings(n, args.gap_s, args.timeout_s, args.warmup_timeout_s, args.sensor_interval_s)
            lanes.append(measure(settings, rendered, resident, say))
    print()
    print(
        "alert latency: call JSON written -> signed webhook received "
        f"(one call at a time, sensor interval {args.sensor_interval_s} s)"
    )
    print(report.table(lanes))
    ok = True
    for lane in lanes:
        print()
        if not lane.samples:
            print(f"[{lane.lane}] no measurement: see the logs in {lane.root}")
            ok = False
            continue
        print(f"[{lane.lane}]")
        print(report.stages(lane.samples, lane.root / "lake"))
        ok &= all(s.latency_s is not None for s in lane.samples)
        if lane.bad_signatures or lane.duplicates:
            print(f"receiver: {lane.bad_signatures} bad signatures, {lane.duplicates} duplicate alerts")
            ok = False
        if args.keep:
            print(f"kept {lane.root}")
        else:
            shutil.rmtree(lane.root, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
