"""Audio benchmark: calls per second through the whole normalization chain (probe, decode,
resample, analyse, tier chain, FLAC encode, validation), against ffmpeg decoding the same
files to 16 kHz mono PCM, the floor any chain pays. Both run one call at a time on one core.

    uv run python -m bench.audio --calls 200
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from assets.audio import ffmpeg
from assets.audio.errors import BadAudio
from assets.audio.normalize import STEPS, NormalizedAudio, normalize
from bench.audio import corpus
from bench.common import console, print_table
from resources.media import MediaError, read_header


def ffmpeg_decode(path: Path) -> int:
    proc = subprocess.run(
        [ffmpeg.executable(), "-v", "error", "-nostdin", "-i", str(path), "-ac", "1", "-ar",
         "16000", "-f", "s16le", "pipe:1"],
        capture_output=True,
        check=True,
        timeout=60,
    )  # fmt: skip
    return len(proc.stdout)


@dataclass
class ChainRun:
    seconds: float = 0.0
    steps: Counter[str] = field(default_factory=Counter)
    tiers: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    results: dict[Path, NormalizedAudio | BadAudio] = field(default_factory=dict)


def run_chain(paths: list[Path]) -> ChainRun:
    run = ChainRun()
    start = time.perf_counter()
    for path in paths:
        data = path.read_bytes()
        try:
            result = normalize(data, path.suffix.lstrip("."))
        except BadAudio as exc:
            run.refused[f"{exc.stage}:{exc.reason}"] += 1
            run.results[path.resolve()] = exc
            continue
        run.tiers[result.tier] += 1
        run.steps.update(result.timings_ms)
        run.results[path.resolve()] = result
    run.seconds = time.perf_counter() - start
    return run


def accuracy_rows(run: ChainRun, truth: dict[Path, dict]) -> list[list[object]]:
    """The quality analysis scored against the simulator's answer key."""
    errors, silent, silent_refused, speech_refused = [], 0, 0, 0
    bands: dict[str, Counter[str]] = {}
    for path, row in truth.items():
        result = run.results.get(path)
        if result is None:
            continue
        refused = isinstance(result, BadAudio)
        if row["is_silent"]:
            silent += 1
            silent_refused += refused
            continue
        speech_refused += refused
        band = "< 10 dB" if row["snr_db"] < 10 else "10-20 dB" if row["snr_db"] < 20 else ">= 20 dB"
        tier = "quarantined" if refused else result.tier
        bands.setdefault(band, Counter())[tier] += 1
        if not refused:
            errors.append(result.metrics.snr_db - row["snr_db"])
    rows: list[list[object]] = [
        ["silent calls quarantined", f"{silent_refused}/{silent}"],
        ["calls with speech quarantined", f"{speech_refused}/{len(truth) - silent}"],
    ]
    if errors:
        rows.append(["SNR estimate - truth, median dB", float(statistics.median(errors))])
        rows.append(["|SNR estimate - truth|, p90 dB", float(np.percentile(np.abs(errors), 90))])
    for band in ("< 10 dB", "10-20 dB", ">= 20 dB"):
        if band in bands:
            rows.append([f"true SNR {band}: tiers", dict(sorted(bands[band].items()))])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", choices=["auto", "simulator", "synthetic"], default="auto")
    parser.add_argument("--out", type=Path, help="keep the corpus here (default: a temp dir)")
    args = parser.parse_args()
    torch.set_num_threads(1)  # one core each, like one pool worker and like ffmpeg's decode

    with corpus.temporary_root() as tmp:
        root = args.out or Path(tmp)
        paths, truth, source = _corpus(args, root)
        audio_s = sum(_duration(p) for p in paths)
        kinds = Counter(p.suffix for p in paths)
        console.print(f"{len(paths)} calls from the {source} corpus, {audio_s:.0f} s of audio, "
                      f"{dict(kinds)}")  # fmt: skip

        # warm both paths: imports, filter designs, the page cache
        ffmpeg_decode(paths[0])
        run_chain(paths[:3])

        start = time.perf_counter()
        for path in paths:
            ffmpeg_decode(path)
        floor_s = time.perf_counter() - start
        run = run_chain(paths)

    n = len(paths)
    chain_s, steps, tiers, refused = run.seconds, run.steps, run.tiers, run.refused
    print_table(
        f"audio: {n} calls ({source} corpus), one core",
        ["path", "seconds", "calls/s", "audio s/s", "x floor"],
        [
            ["ffmpeg decode to 16 kHz PCM (floor)", floor_s, n / floor_s, audio_s / floor_s, 1.0],
            ["normalize: whole chain", chain_s, n / chain_s, audio_s / chain_s, chain_s / floor_s],
        ],
    )
    total_ms = sum(steps.values())
    print_table(
        "share of the chain's time by step",
        ["step", "ms/call", "share"],
        [[s, steps[s] / n, f"{steps[s] / total_ms:.1%}"] for s in STEPS if s in steps],
    )
    print_table(
        "outcomes",
        ["outcome", "calls"],
        [[f"tier {t}", c] for t, c in sorted(tiers.items())]
        + [[f"quarantine {r}", c] for r, c in sorted(refused.items())],
    )
    if truth:
        print_table("quality analysis against the simulator's ground truth", ["measure", "value"],
                    accuracy_rows(run, truth))  # fmt: skip


def _corpus(args: argparse.Namespace, root: Path) -> tuple[list[Path], dict[Path, dict], str]:
    if args.corpus != "synthetic":
        found = corpus.simulated(args.calls, args.seed, root)
        if found is not None:
            return found[0], found[1], "simulator"
        if args.corpus == "simulator":
            raise SystemExit("resources.simulator.simulate is not available")
        console.print("[yellow]simulator not available: synthetic speech-like corpus[/]")
    return corpus.synthetic(args.calls, args.seed, root / "synthetic"), {}, "synthetic"


def _duration(path: Path) -> float:
    if path.suffix == ".wav":
        import soundfile as sf

        return float(sf.info(str(path)).duration)
    try:
        return read_header(path, 10.0).duration_s or 0.0
    except MediaError:
        return 0.0


if __name__ == "__main__":
    main()
