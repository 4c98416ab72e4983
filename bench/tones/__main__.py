"""Tone benchmark: precision, recall and timing error of scanlake's paging-tone detection
(``assets.tones.detect``) on simulated calls with two-tone, long, hi-low and DTMF pages
mixed into radio speech at 6-20 dB SNR, a fifth of them keyed over the speech.

    uv run python -m bench.tones --calls 160 --seed 41

A detection matches a planted tone of the same family that it overlaps in time, with
each frequency within 2 % (DTMF: the same digits). Any other detection, including a
pulsed or MDC hit (none are planted), is a false positive.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

from assets.tones.detect import Tone, detect_tones
from bench.common import console, print_table
from bench.tones.corpus import ToneCall, build
from resources.simulator.tones import PlacedTone


def matches(found: Tone, truth: PlacedTone) -> bool:
    if found.tone_type != truth.tone_type or found.end_s < truth.start_s or found.start_s > truth.end_s:
        return False
    if truth.tone_type == "dtmf":
        return (found.detail or "") == (truth.detail or "")
    if truth.tone_type == "hi_low":
        return sorted(found.freqs_hz) and all(
            abs(f - t) <= 0.02 * t for f, t in zip(sorted(found.freqs_hz), sorted(truth.freqs_hz), strict=False)
        ) and len(found.freqs_hz) == len(truth.freqs_hz)
    return len(found.freqs_hz) == len(truth.freqs_hz) and all(
        abs(f - t) <= 0.02 * t for f, t in zip(found.freqs_hz, truth.freqs_hz, strict=True)
    )


def _bucket(call: ToneCall) -> str:
    snr = "6-10 dB" if call.snr_db < 10 else "10-15 dB" if call.snr_db < 15 else "15-20 dB"
    return f"{snr}, {'over speech' if call.over_speech else 'before speech'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=160)
    parser.add_argument("--seed", type=int, default=41)
    args = parser.parse_args()
    began = time.perf_counter()
    calls = build(args.calls, args.seed)
    console.print(f"built {len(calls)} calls in {time.perf_counter() - began:.0f} s")
    tp, fp, fn = Counter(), Counter(), Counter()
    by_bucket: dict[str, list[int]] = {}
    start_err, end_err = [], []
    detect_s, audio_s = 0.0, 0.0
    for call in calls:
        t0 = time.perf_counter()
        found = detect_tones(call.audio, call.sample_rate)
        detect_s += time.perf_counter() - t0
        audio_s += len(call.audio) / call.sample_rate
        hit = next((f for f in found if call.truth and matches(f, call.truth)), None)
        for f in found:
            if f is not hit:
                fp[f.tone_type] += 1
        if call.truth is None:
            continue
        kind = call.truth.tone_type
        bucket = by_bucket.setdefault(_bucket(call), [0, 0])
        bucket[1] += 1
        if hit:
            tp[kind] += 1
            bucket[0] += 1
            start_err.append(abs(hit.start_s - call.truth.start_s))
            end_err.append(abs(hit.end_s - call.truth.end_s))
        else:
            fn[kind] += 1
    rows = []
    for kind in ("two_tone", "long", "hi_low", "dtmf", "pulsed", "mdc"):
        t, p, n = tp[kind], fp[kind], fn[kind]
        if t + p + n:
            rows.append((kind, t + n, t, p, t / (t + p) if t + p else 0.0, t / (t + n) if t + n else 0.0))
    t, p, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    rows.append(("all", t + n, t, p, t / (t + p) if t + p else 0.0, t / (t + n) if t + n else 0.0))
    print_table("Tone detection", ["family", "planted", "found", "false", "precision", "recall"], rows)
    print_table(
        "Recall by SNR and placement",
        ["condition", "planted", "recall"],
        [(b, v[1], v[0] / v[1]) for b, v in sorted(by_bucket.items())],
    )
    if start_err:
        print_table(
            "Timing error of matched tones (s)",
            ["edge", "median", "p90", "max"],
            [
                (edge, statistics.median(e), sorted(e)[int(0.9 * (len(e) - 1))], max(e))
                for edge, e in (("start", start_err), ("end", end_err))
            ],
        )
    console.print(
        f"{len(calls)} calls, {audio_s:.0f} s of audio; detection {detect_s:.1f} s "
        f"({audio_s / detect_s:.0f}x real time, one core)"
    )


if __name__ == "__main__":
    main()
