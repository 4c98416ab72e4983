"""Pairwise precision and recall of the incident grouping against the simulator's incident
ids, from ground-truth text (the written transcript, through the real entity extractor and
gazetteer geocoder, with the recorder's unit tags).

    uv run python -m bench.incidents [--calls 400] [--seeds 3,101,102,103] [--tuned 3]
                                     [--classic] [--asr SEEDS --asr-calls 200 --sim-dir DIR]

The rules (``assets/incidents``) were written looking at seed 3 only (``--tuned``); every
other seed is held out and marked so. ``--classic`` also scores the simulator's classic
traffic, where a unit can be sent to two incidents at once (ambiguous even to a person).
``--asr SEEDS`` ("108", "131-138" or "118,120") renders each seed's rich traffic to audio
and scores the grouping from the transcript layer's ASR text (the default tier, as the
pipeline runs it) beside the same calls' ground-truth text; with several seeds, a pooled
row sums their pairs (the corpus as a whole) and ``--sim-dir`` is the folder that holds
one corpus per seed (``DIR/incSEED``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from assets.incidents.grouping import group
from bench.common import console, print_table
from bench.incidents.corpus import Corpus, build, build_asr
from bench.incidents.score import PairScore, labels, pairwise

TARGET = 0.85


def grouped(corpus: Corpus) -> tuple[PairScore, int, int]:
    found = group(corpus.facts)
    predicted = labels((i.incident_id, [c.call_uid for c in i.calls]) for i in found)
    true_incidents = len({v for v in corpus.truth.values() if v})
    return pairwise(corpus.truth, predicted), true_incidents, len(found)


def score(calls: int, seed: int, rich: bool) -> tuple[PairScore, int, int, float]:
    began = time.perf_counter()
    corpus = build(calls, seed, rich=rich)
    found = group(corpus.facts)
    predicted = labels((i.incident_id, [c.call_uid for c in i.calls]) for i in found)
    true_incidents = len({v for v in corpus.truth.values() if v})
    return (
        pairwise(corpus.truth, predicted),
        true_incidents,
        len(found),
        time.perf_counter() - began,
    )


def seed_list(text: str) -> list[int]:
    """ "108", "131-138" or "118,120" as seeds."""
    seeds: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        seeds += range(int(first), int(last or first) + 1)
    return seeds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--seeds", default="3,101,102,103")
    parser.add_argument("--tuned", default="3", help="seeds the rules were written on")
    parser.add_argument("--classic", action="store_true", help="also score classic traffic")
    parser.add_argument("--asr", type=seed_list, default=[], help="also the ASR path on these seeds")
    parser.add_argument("--asr-calls", type=int, default=200)
    parser.add_argument("--sim-dir", type=Path, default=None, help="reuse or create audio here")
    args = parser.parse_args()
    tuned = {int(s) for s in args.tuned.split(",") if s}
    rows, failed = [], False
    for rich in (True, False) if args.classic else (True,):
        for seed in (int(s) for s in args.seeds.split(",")):
            s, truth_n, found_n, took = score(args.calls, seed, rich)
            held_out = seed not in tuned
            if held_out and rich and min(s.precision, s.recall) < TARGET:
                failed = True
            rows.append((
                "rich" if rich else "classic", seed, "held out" if held_out else "tuned on",
                s.true_pairs, s.predicted_pairs, s.precision, s.recall, truth_n, found_n, took,
            ))  # fmt: skip
    pooled: dict[str, list[int]] = {}
    for seed in args.asr:
        if args.sim_dir is None:
            out = Path(tempfile.mkdtemp(prefix="bench-incidents-asr-"))
        else:
            out = args.sim_dir if len(args.asr) == 1 else args.sim_dir / f"inc{seed}"
        began = time.perf_counter()
        text, heard, note = build_asr(args.asr_calls, seed, out, reuse=args.sim_dir is not None)
        console.print(f"{note}; {time.perf_counter() - began:.0f} s in all, in {out}")
        held = "held out" if seed not in tuned else "tuned on"
        for path, corpus in (("rich, audio, truth text", text), ("rich, audio, ASR", heard)):
            s, truth_n, found_n = grouped(corpus)
            sums = pooled.setdefault(path, [0, 0, 0, 0, 0])
            for i, v in enumerate((s.true_pairs, s.predicted_pairs, s.correct_pairs, truth_n, found_n)):
                sums[i] += v
            rows.append((path, seed, held, s.true_pairs, s.predicted_pairs, s.precision,
                         s.recall, truth_n, found_n, float("nan")))  # fmt: skip
    if len(args.asr) > 1:
        for path, (true, predicted, correct, truth_n, found_n) in pooled.items():
            p = PairScore(true, predicted, correct)
            rows.append((f"{path}, pooled", f"{len(args.asr)} seeds", "", true, predicted,
                         p.precision, p.recall, truth_n, found_n, float("nan")))  # fmt: skip
    print_table(
        f"incident grouping, {args.calls} calls per seed (ASR path: {args.asr_calls} per seed)",
        ("traffic", "seed", "rules", "true pairs", "predicted pairs", "precision", "recall",
         "true incidents", "found incidents", "s"),
        rows,
    )  # fmt: skip
    console.print(f"load: {os.getloadavg()}; target: both >= {TARGET} on held-out rich seeds")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
