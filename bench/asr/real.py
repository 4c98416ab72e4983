"""Real human speech WER: scanlake's asset path against plain per-call WhisperX, per model
tier, clean and through the simulator's radio channel. Held out: see ``real_corpus``.

Usage: ``uv run python -m bench.asr.real [--tiers tiny.en,base] [--asterisk 120]``
(installs ``asterisk-core-sounds-en-wav`` and ``pocketsphinx-testdata`` with apt-get if
missing; run it under ``flock /tmp/scanlake-bench.lock``).
"""

from __future__ import annotations

import argparse
import os
import time

import jiwer

from assets.transcripts.transcribe import CallAudio, transcribe_calls
from bench.asr.real_corpus import Heard, asterisk, ensure_installed, hear, pocketsphinx, sample
from bench.asr.score import normalized
from bench.common import console, print_table
from resources.asr.engine import WhisperEngine
from resources.asr.models import ModelSpec, load

COLUMNS = [
    "tier",
    "channel",
    "path",
    "asterisk WER",
    "pocketsphinx WER",
    "all WER",
    "audio s/s",
    "CPU s",
]


def plain(pipeline: object, heard: list[Heard]) -> list[str]:
    out = []
    for h in heard:
        result = pipeline.transcribe(h.audio, batch_size=8, language="en")
        out.append(" ".join(s["text"].strip() for s in result["segments"]))
    return out


def asset(engine: WhisperEngine, heard: list[Heard]) -> list[str]:
    calls = [CallAudio(h.utterance.name, h.audio) for h in heard]
    return [t.text for t in transcribe_calls(calls, engine)]


def wer(heard: list[Heard], texts: list[str], corpus: str | None = None) -> float:
    pairs = [
        (normalized(h.utterance.text), normalized(t))
        for h, t in zip(heard, texts, strict=True)
        if corpus is None or h.utterance.corpus == corpus
    ]
    pairs = [(r, hyp) for r, hyp in pairs if r]
    return jiwer.wer([r for r, _ in pairs], [hyp for _, hyp in pairs]) if pairs else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tiers", default="tiny.en,base")
    parser.add_argument("--asterisk", type=int, default=120, help="asterisk prompts (0 = all)")
    parser.add_argument("--channels", default="clean,radio")
    args = parser.parse_args()

    ensure_installed()
    utterances = sample(asterisk(), args.asterisk) + pocketsphinx()
    corpora = {c: hear(utterances, channel=c == "radio") for c in args.channels.split(",")}
    audio_s = sum(h.duration_s for h in next(iter(corpora.values())))
    console.print(
        f"{len(utterances)} utterances ({sum(u.corpus == 'asterisk' for u in utterances)} "
        f"asterisk), {audio_s:.0f} s; {os.cpu_count()} cores"
    )
    rows = []
    for tier in args.tiers.split(","):
        pipeline = load(ModelSpec(model=tier, vad_method="pyannote")).pipeline
        engine = WhisperEngine.load(ModelSpec(model=tier))
        warm = next(iter(corpora.values()))[:2]  # first-call costs out of the timings
        plain(pipeline, warm)
        asset(engine, warm)
        for channel, heard in corpora.items():
            for path, run in (
                ("plain whisperx, per call", lambda h=heard, p=pipeline: plain(p, h)),
                ("scanlake asset path", lambda h=heard, e=engine: asset(e, h)),
            ):
                start, cpu_start = time.perf_counter(), time.process_time()
                texts = run()
                took, used = time.perf_counter() - start, time.process_time() - cpu_start
                seconds = sum(h.duration_s for h in heard)
                rows.append(
                    [
                        tier,
                        channel,
                        path,
                        wer(heard, texts, "asterisk"),
                        wer(heard, texts, "pocketsphinx"),
                        wer(heard, texts),
                        seconds / took,
                        used,
                    ]
                )
                console.print(
                    f"{tier} {channel} {path}: WER {rows[-1][5]:.3f}, {took:.0f} s, {used:.0f} CPU s, "
                    f"load {os.getloadavg()[0]:.1f}"
                )
    print_table("Real speech (held out)", COLUMNS, rows)
    console.print("| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS), soft_wrap=True)
    for row in rows:
        cells = [
            f"{v:.3f}"
            if isinstance(v, float) and v < 1
            else f"{v:.1f}"
            if isinstance(v, float)
            else v
            for v in row
        ]
        console.print("| " + " | ".join(str(c) for c in cells) + " |", soft_wrap=True)


if __name__ == "__main__":
    main()
