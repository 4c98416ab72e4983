"""``uv run python -m bench.latency``: seconds from a call file landing in a trunk-recorder
capture folder to its alert's webhook arriving, with the real sensor, daemon and pipeline.

It first checks that the whole chain exists; if a piece is missing it says which and
exits 2 without a number."""

from __future__ import annotations

import argparse
import sys

from bench.latency.preflight import DEFAULT_MODULE, missing_pieces


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__)
    parser.add_argument(
        "--calls", type=int, default=10, help="timed calls (after one warm-up call)"
    )
    parser.add_argument("--gap-s", type=float, default=2.0, help="pause after each alert arrives")
    parser.add_argument(
        "--timeout-s", type=float, default=120.0, help="give up on one call after this"
    )
    parser.add_argument("--warmup-timeout-s", type=float, default=600.0)
    parser.add_argument(
        "--sensor-interval-s", type=int, default=1, help="SCANLAKE_SENSOR_INTERVAL_S"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary lake and logs")
    parser.add_argument(
        "--definitions",
        default=DEFAULT_MODULE,
        help="module holding the Definitions to drive (default: the project's own)",
    )
    args = parser.parse_args(argv)

    missing = missing_pieces(args.definitions)
    if missing:
        print("NOT MEASURED: the pipeline this benchmark drives is not complete yet. Missing:")
        for piece in missing:
            print(f"  - {piece}")
        return 2

    import shutil

    from bench.latency import report
    from bench.latency.run import Settings, measure

    settings = Settings(
        args.calls,
        args.gap_s,
        args.timeout_s,
        args.warmup_timeout_s,
        args.sensor_interval_s,
        args.keep,
        args.definitions,
    )
    samples, root, arrivals = measure(settings, say=lambda msg: print(msg, flush=True))
    print()
    print(
        f"alert latency: call JSON written -> signed webhook received "
        f"({settings.calls} calls one at a time, sensor interval {settings.sensor_interval_s} s)"
    )
    ok = bool(samples) and all(s.latency_s is not None for s in samples)
    if samples:
        print(report.table(samples))
        print()
        print(report.stages(samples, root / "lake"))
    if arrivals.bad_signatures or arrivals.duplicates:
        print(
            f"receiver: {arrivals.bad_signatures} bad signatures, {arrivals.duplicates} duplicate alerts"
        )
        ok = False
    if not samples:
        print(f"no measurement: see {root / 'daemon.log'}")
    elif not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    else:
        print(f"kept {root}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
