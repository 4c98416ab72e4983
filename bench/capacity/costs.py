"""``python -m bench.capacity.costs DAGSTER_HOME``: what a capacity point's live runs cost,
split into a per-run and a per-call part by least squares over the runs (seconds = a + b x
calls in the run), per step and for the whole run; the gap from one run's end to the next
one's start; and, on Celery lanes, the hand-off from submitting a step to its start.

The services of a point keep their Dagster home under ``/tmp/scanlake-capacity-*``."""

from __future__ import annotations

import sys
from collections import defaultdict

import dagster as dg
import numpy as np

from bench.capacity.measure import live_runs


def fit(pairs: list[tuple[int, float]]) -> tuple[float, float]:
    x = np.array([p[0] for p in pairs], float)
    y = np.array([p[1] for p in pairs], float)
    if len(set(x.tolist())) < 2:
        return float("nan"), float("nan")
    a, b = np.linalg.lstsq(np.vstack([np.ones_like(x), x]).T, y, rcond=None)[0]
    return float(a), float(b)


def main(home: str) -> None:
    with dg.DagsterInstance.from_config(home) as instance:
        runs = live_runs(instance)
    if not runs:
        print("no finished live runs")
        return
    sizes = [r.calls for r in runs]
    print(f"runs {len(runs)}, calls {sum(sizes)}, calls/run mean {np.mean(sizes):.1f} (min {min(sizes)}, max {max(sizes)})")
    a, b = fit([(r.calls, r.end - r.start) for r in runs])
    print(f"run wall = {a:.2f} s + {b:.3f} s x calls")
    a, b = fit([(r.calls, sum(r.steps.values())) for r in runs])
    print(f"sum of steps = {a:.2f} s + {b:.3f} s x calls")
    gaps = [nxt.start - prev.end for prev, nxt in zip(runs, runs[1:], strict=False)]
    if gaps:
        print(f"previous run's end -> next run's start: p50 {np.median(gaps):.1f} s, mean {np.mean(gaps):.1f} s")
    handoffs = [h for r in runs for h in r.handoffs]
    if handoffs:
        print(f"Celery hand-off submit -> step start: n {len(handoffs)}, p50 {np.median(handoffs):.2f} s, "
              f"p95 {np.percentile(handoffs, 95):.2f} s, max {max(handoffs):.2f} s")
    per_step: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for r in runs:
        for step, seconds in r.steps.items():
            per_step[step].append((r.calls, seconds))
    print("| step | runs | s per run | ms per call | mean s per run |\n|---|---|---|---|---|")
    for step, pairs in sorted(per_step.items(), key=lambda kv: -np.mean([p[1] for p in kv[1]])):
        a, b = fit(pairs)
        print(f"| {step} | {len(pairs)} | {a:.2f} | {1000 * b:.0f} | {np.mean([p[1] for p in pairs]):.2f} |")


if __name__ == "__main__":
    main(sys.argv[1])
