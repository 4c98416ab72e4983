"""``uv run python -m bench.capacity``: the highest steady call rate at which the backlog
stays flat, in calls a day, per lane.

For each rate (ascending), on a fresh lake and Dagster home: start the lane (the daemon
with its sensors, the upload endpoint, and the resident worker or N Celery workers), warm
it with one call, deliver calls at the rate for ``--minutes`` (every ``--upload-every``-th
through the upload endpoint, the rest into the capture folder), wait ``--drain-s`` for the
last ones, and time each call from landing to its transcript and its location. A point is
flat when every call is transcribed and the lag of the last third is no worse than the
first third's (1.5x + 10 s). The first point that is not flat ends the lane. Per-step costs
come from the Dagster event log of the point's runs.

The full protocol is ``--minutes 10`` per point (the default). Run it alone on the machine:
``flock /tmp/scanlake-bench.lock uv run python -m bench.capacity --lane resident``."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.capacity import measure, traffic
from bench.capacity.lanes import Lane, first_on_cpu, started
from bench.latency import calls as bench_calls


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__)
    parser.add_argument("--lane", choices=["resident", "celery"], default="resident")
    parser.add_argument("--workers", type=int, default=1, help="Celery lane: workers per queue (asr and default)")
    parser.add_argument("--rates", default="20,40,60,80", help="calls per minute, comma-separated, ascending")
    parser.add_argument("--minutes", type=float, default=10.0, help="minutes of steady traffic per point")
    parser.add_argument("--upload-every", type=int, default=2, help="every n-th call through the upload endpoint")
    parser.add_argument("--drain-s", type=float, default=180.0, help="wait for the last calls after the traffic stops")
    parser.add_argument("--sensor-interval-s", type=int, default=1)
    parser.add_argument("--pool", type=int, default=20, help="distinct rendered calls, reused with new times")
    parser.add_argument(
        "--burst", type=int, default=0,
        help="instead of rates: deliver this many calls at once and time the drain (a saturation estimate)",
    )
    parser.add_argument(
        "--autogroup-nice", type=int, default=-20,
        help="nice of the benchmark's and its services' autogroups (the kernel schedules sessions "
        "as groups, so other sessions' nice 19 does not yield to them); 0 = equal weight",
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still stop the services it started

    def say(msg: str) -> None:
        print(msg, flush=True)

    lane = Lane(args.lane, args.workers)
    if not first_on_cpu("self", args.autogroup_nice):
        say(f"could not set the autogroup nice to {args.autogroup_nice}: measuring at equal weight with other sessions")
    say(f"rendering {args.pool} calls of speech ...")
    pool = bench_calls.render(args.pool)
    gazetteer = _gazetteer(args.pool)
    if args.burst:
        return _burst(lane, pool, gazetteer, args, say)
    points: list[measure.Point] = []
    for rate in [float(r) for r in args.rates.split(",")]:
        load_before = _load()
        with started(lane, gazetteer, args.sensor_interval_s, nice=args.autogroup_nice) as running:
            say(f"[{lane.name}] {rate:g} calls/min for {args.minutes:g} min (load {load_before}); services in {running.root}")
            driver = traffic.Driver(running.capture, running.upload_url, running.upload_key, pool, args.upload_every)
            with measure.watching(running.root / "lake") as seen:
                driver.deliver(10_000)  # warm-up call: models, code location, first tables
                warm = next(iter(driver.landed))
                deadline = time.time() + 600
                while warm not in seen.transcript and time.time() < deadline:
                    time.sleep(1)
                driver.landed.clear()
                driver.drive(rate, args.minutes, say)
                _drain(driver.landed, seen, args.drain_s)
            p = measure.point(lane.name, rate, args.minutes, driver.landed, seen, f"{load_before} -> {_load()}")
            costs = measure.step_costs(running.root / "dagster_home")
        points.append(p)
        say(_row(p) + f" failed uploads: {driver.failed_uploads}")
        say(_costs(costs, p.transcribed))
        if not p.flat:
            break
    say("\n| lane | rate (calls/min) | calls/day | minutes | delivered | transcribed | located | lag p50 s | p95 s | max s | "
        "first/last third p50 s | location p50 s | location p95 s | flat | load 1/5/15 before -> after |")
    say("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for p in points:
        say(_row(p))
    flat = [p for p in points if p.flat]
    say(f"\nhighest flat rate: {flat[-1].calls_per_day if flat else 0} calls/day ({lane.name})")
    return 0


def _burst(lane: Lane, pool: list[bench_calls.BenchCall], gazetteer: Path, args: argparse.Namespace, say: Callable[[str], None]) -> int:
    """Saturation: every call lands at once; the lane's throughput is calls over the time
    from the first landing to the last transcript (runs then carry large batches)."""
    load_before = _load()
    with started(lane, gazetteer, args.sensor_interval_s, nice=args.autogroup_nice) as running:
        driver = traffic.Driver(running.capture, running.upload_url, running.upload_key, pool, args.upload_every)
        with measure.watching(running.root / "lake") as seen:
            driver.deliver(10_000)
            warm = next(iter(driver.landed))
            deadline = time.time() + 600
            while warm not in seen.transcript and time.time() < deadline:
                time.sleep(1)
            driver.landed.clear()
            say(f"[{lane.name}] burst of {args.burst} calls (load {load_before}) ...")
            for i in range(args.burst):
                driver.deliver(i)
            _drain(driver.landed, seen, args.drain_s)
        costs = measure.step_costs(running.root / "dagster_home")
    done = [seen.transcript[u] for u in driver.landed if u in seen.transcript]
    first = min(driver.landed.values())
    span = max(done) - first if done else float("inf")
    per_s = len(done) / span
    placed = [seen.location[u] for u in driver.landed if u in seen.location]
    loc_span = f"{max(placed) - first:.0f}" if placed else "-"
    say("| lane | burst | transcribed | span s | calls/s | calls/day | located | span to last location s | load before -> after |")
    say(f"| {lane.name} | {args.burst} | {len(done)} | {span:.0f} | {per_s:.2f} | {int(per_s * 86400):,} | "
        f"{len(placed)} | {loc_span} | {load_before} -> {_load()} |")
    say(_costs(costs, len(done) + 1))
    return 0


def _drain(landed: dict[str, float], seen: measure.Seen, drain_s: float, location_grace_s: float = 30) -> None:
    """Wait for every call's transcript, then a little longer for the locations the same
    runs write a few steps later (a call whose address is not placed must not hold it up)."""
    deadline = time.time() + drain_s
    while time.time() < deadline and not set(landed) <= set(seen.transcript):
        time.sleep(1)
    deadline = min(deadline, time.time() + location_grace_s)
    while time.time() < deadline and not set(landed) <= set(seen.location):
        time.sleep(1)


def _gazetteer(n: int) -> Path:
    path = Path("/tmp") / f"scanlake-capacity-gazetteer-{os.getpid()}.csv"
    traffic.gazetteer(path, n)
    return path


def _row(p: measure.Point) -> str:
    return (f"| {p.lane} | {p.rate_per_min:g} | {p.calls_per_day:,} | {p.minutes:g} | {p.delivered} | {p.transcribed} | "
            f"{p.located} | {p.p50_s:.1f} | {p.p95_s:.1f} | {p.max_s:.1f} | {p.first_third_p50_s:.1f} / "
            f"{p.last_third_p50_s:.1f} | {p.location_p50_s:.1f} | {p.location_p95_s:.1f} | {'yes' if p.flat else 'no'} | {p.load} |")


def _costs(costs: dict[str, tuple[int, float]], calls: int) -> str:
    lines = ["| step | runs | total s | s per run | ms per call |", "|---|---|---|---|---|"]
    for step, (n, total) in sorted(costs.items(), key=lambda kv: -kv[1][1])[:12]:
        lines.append(f"| {step} | {n} | {total:.1f} | {total / n:.2f} | {1000 * total / max(1, calls):.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
