"""ASR benchmark: throughput and accuracy of three transcription paths on the simulator's
calls, normalized by the audio layer.

(a) plain WhisperX, one call at a time: ``whisperx.load_model(...).transcribe(audio)`` per
    call, with WhisperX's defaults (pyannote VAD, beam 5, no word times);
(b) the ``transcripts`` asset's path with the transcriber's defaults: ``transcribe_calls``
    (VAD, calls packed into shared 30 s windows, batched decode, word times, guards);
(c) (b) with per-talkgroup domain prompts (units, jargon, 10-codes, gazetteer streets).

Paths run interleaved, round after round, and each keeps its best time, so load from other
work on the machine hits all of them alike. Same Whisper weights (tiny.en, int8) throughout.

``--dense-only`` adds (b0) and (c0): (b) and (c) without the second decode of calls that
came back with too few words for their speech (the guards' ``min_words_per_s``).

Usage: ``uv run python -m bench.asr [--calls 120] [--seed 11] [--rounds 2] [--out DIR]
[--beam N] [--vad silero|pyannote] [--unpacked] [--dense-only] [--model TIER]
[--short-encoder] [--lone-encoder] [--beams 3,2,1] [--town autauga|wexmoor|generated-SEED]``

``--beams`` adds (c) at each other beam width: the decoder's cost grows with beams times
the prompt and the tokens so far (every beam attends over the prompt at every step), so
the beam is the asset path's largest setting for speed; its WER is in the same table.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from assets.transcripts.guards import GuardOptions
from assets.transcripts.rows import call_prompts
from assets.transcripts.transcribe import (
    CallAudio,
    CallTranscript,
    transcribe_calls,
)
from bench.asr.components import Components, timed
from bench.asr.corpus import Corpus, build
from bench.asr.score import invented_on_silence, timing_error, wer
from bench.common import console, print_table
from resources.asr.engine import DecodeOptions, WhisperEngine
from resources.asr.models import ModelSpec, load
from resources.asr.packing import PackingOptions
from resources.asr.vocabulary import Vocabulary, gazetteer_streets

COLUMNS = [
    "path",
    "audio s/s",
    "x (a)",
    "CPU s",
    "x (a) CPU",
    "WER %",
    "Δ WER",
    "retried",
    "text on silence",
    "word time error (start mean/median, end mean)",
]

# encode: the encoder's passes (one per 30 s window); generate: CTranslate2's beam search;
# align: cross-attention word times; other: VAD, features, packing, guards
TIME_COLUMNS = ["path", "wall s", "windows encoded", "encode s", "generate s", "align s", "other s"]


def plain_whisperx(pipeline: object, corpus: Corpus) -> list[str]:
    """WhisperX as its README shows it: one file, one ``transcribe`` call."""
    out = []
    for call in corpus.calls:
        result = pipeline.transcribe(call.audio, batch_size=8, language="en")
        out.append(" ".join(s["text"].strip() for s in result["segments"]))
    return out


def asset_path(
    engine: WhisperEngine,
    corpus: Corpus,
    prompts: dict[str, str | None],
    pack: bool = True,
    guards: GuardOptions | None = None,
) -> list[CallTranscript]:
    calls = [CallAudio(c.call_uid, c.audio, prompts.get(c.call_uid)) for c in corpus.calls]
    return transcribe_calls(calls, engine, PackingOptions(pack_calls=pack), guards)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=120)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--rounds", type=int, default=2, help="best time of this many runs per path"
    )
    parser.add_argument(
        "--town",
        default="autauga",
        help="simulated county: autauga (the rules' own), wexmoor or generated-SEED (held out)",
    )
    parser.add_argument("--out", type=Path, default=None, help="corpus folder")
    parser.add_argument(
        "--beam", type=int, default=DecodeOptions.beam_size, help="beam for (b) and (c)"
    )
    parser.add_argument(
        "--vad",
        default=ModelSpec.vad_method,
        choices=["pyannote", "silero"],
        help="VAD for (b), (c)",
    )
    parser.add_argument(
        "--unpacked", action="store_true", help="also run (b) with one call per window"
    )
    parser.add_argument(
        "--model", default=ModelSpec.model, help="tier or faster-whisper name, for every path"
    )
    parser.add_argument(
        "--short-encoder",
        action="store_true",
        help="also run (b) and (c) encoding only each window's audio, not a padded 30 s",
    )
    parser.add_argument(
        "--lone-encoder",
        action="store_true",
        help="also run (c) encoding a window that holds one call over its own audio (min 10 s)",
    )
    parser.add_argument(
        "--dense-only",
        action="store_true",
        help="also run (b) and (c) without re-decoding calls left with too few words",
    )
    parser.add_argument(
        "--beams",
        default="",
        help="also run (c) at these beam widths, comma-separated (e.g. 3,2,1)",
    )
    args = parser.parse_args()
    if args.out is None:
        suffix = "" if args.town == "autauga" else f"-{args.town}"
        args.out = Path(tempfile.gettempdir()) / f"scanlake-bench-asr{suffix}"

    console.print(
        f"simulating and normalizing {args.calls} calls (seed {args.seed}) in {args.out} ..."
    )
    corpus = build(args.calls, args.seed, args.out, args.town)
    audio_s = sum(c.duration_s for c in corpus.calls)
    console.print(
        f"{len(corpus.calls)} calls, {audio_s:.0f} s of normalized audio ({sum(c.silent for c in corpus.calls)} "
        f"silent; {corpus.quarantined} refused by the audio layer); {os.cpu_count()} cores"
    )
    whisperx_default = load(ModelSpec(model=args.model, vad_method="pyannote")).pipeline
    spec = ModelSpec(model=args.model, vad_method=args.vad)
    options = dataclasses.replace(DecodeOptions(), beam_size=args.beam)
    engine = WhisperEngine.load(spec, options)
    prompts = call_prompts(
        corpus.raw_table(), Vocabulary(streets=gazetteer_streets(corpus.gazetteer_csv))
    )
    warm = Corpus(corpus.calls[:3], 0, corpus.gazetteer_csv)
    plain_whisperx(whisperx_default, warm)
    asset_path(engine, warm, {})

    paths: dict[str, Callable[[], list]] = {
        "(a) whisperx, one call at a time": lambda: plain_whisperx(whisperx_default, corpus),
        "(b) asset path: batched + packed": lambda: asset_path(engine, corpus, {}),
        "(c) (b) + domain prompts": lambda: asset_path(engine, corpus, prompts),
    }
    if args.unpacked:
        paths["(b') batched, one call per window"] = lambda: asset_path(
            engine, corpus, {}, pack=False
        )
    if args.short_encoder:
        short = WhisperEngine(engine.models, dataclasses.replace(options, min_encode_s=10.0))
        paths["(bs) (b), encoder over the window's audio (min 10 s)"] = lambda: asset_path(
            short, corpus, {}
        )
        paths["(cs) (c), encoder over the window's audio (min 10 s)"] = lambda: asset_path(
            short, corpus, prompts
        )
    if args.lone_encoder:
        lone = WhisperEngine(engine.models, dataclasses.replace(options, lone_min_encode_s=10.0))
        paths["(cl) (c), lone windows encoded over their own audio (min 10 s)"] = lambda: (
            asset_path(lone, corpus, prompts)
        )
    for beam in (int(b) for b in args.beams.split(",") if b.strip()):
        narrow = WhisperEngine(engine.models, dataclasses.replace(options, beam_size=beam))
        paths[f"(c{beam}) (c) at beam {beam}"] = lambda narrow=narrow: asset_path(
            narrow, corpus, prompts
        )
    if args.dense_only:
        # a rate no decode falls below: only flagged calls are decoded again, as before
        dense = GuardOptions(min_words_per_s=0.0)
        paths["(b0) (b) without the sparse re-decode"] = lambda: asset_path(
            engine, corpus, {}, guards=dense
        )
        paths["(c0) (c) without the sparse re-decode"] = lambda: asset_path(
            engine, corpus, prompts, guards=dense
        )
    base = next(iter(paths))
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    outputs: dict[str, list] = {}
    parts: dict[str, Components] = {}
    for r in range(args.rounds):
        for name, run in paths.items():
            # CPU seconds of this process (every thread): what a path costs, even when other
            # work on a shared machine stretches its wall time
            model = whisperx_default.model if name == base else engine.model
            start, cpu_start = time.perf_counter(), time.process_time()
            with timed(model) as components:
                outputs[name] = run()
            took, used = time.perf_counter() - start, time.process_time() - cpu_start
            if took < wall.get(name, float("inf")):
                parts[name] = components
            wall[name] = min(wall.get(name, took), took)
            cpu[name] = min(cpu.get(name, used), used)
            console.print(
                f"round {r + 1}: {name}: {took:.1f} s, {used:.1f} CPU s "
                f"({audio_s / took:.1f} audio s/s); load {os.getloadavg()[0]:.1f}"
            )

    base_wer = wer(corpus.calls, _texts(outputs[base]))
    rows = []
    for name in paths:
        result, texts = outputs[name], _texts(outputs[name])
        w = wer(corpus.calls, texts)
        invented, silent = invented_on_silence(corpus.calls, texts)
        plain = isinstance(result[0], str)
        timing = None if plain else timing_error(corpus.calls, [t.words for t in result])
        rows.append(
            [
                name,
                audio_s / wall[name],
                wall[base] / wall[name],
                cpu[name],
                cpu[base] / cpu[name],
                w,
                w - base_wer,
                "-" if plain else str(sum(t.retried for t in result)),
                f"{invented}/{silent}",
                "-"
                if timing is None
                else f"{timing.mean_start_ms:.0f}/{timing.median_start_ms:.0f}/{timing.mean_end_ms:.0f} ms (n={timing.matched})",
            ]
        )
    title = (
        f"ASR on {len(corpus.calls)} simulated calls of {args.town} ({audio_s:.0f} s): {args.model} int8; (b), (c): VAD {args.vad}, "
        f"beam {args.beam}; best of {args.rounds}"
    )
    print_table(title, COLUMNS, rows)
    _markdown(COLUMNS, rows)
    time_rows = [
        [
            name,
            wall[name],
            parts[name].windows,
            parts[name].encode_s,
            parts[name].generate_s,
            parts[name].align_s,
            wall[name] - parts[name].encode_s - parts[name].generate_s - parts[name].align_s,
        ]
        for name in paths
    ]
    print_table("Where the time goes (each path's best round)", TIME_COLUMNS, time_rows)
    _markdown(TIME_COLUMNS, time_rows)


def _markdown(columns: list[str], rows: list[list]) -> None:
    console.print("| " + " | ".join(columns) + " |\n|" + "---|" * len(columns), soft_wrap=True)
    for row in rows:
        console.print(
            "| " + " | ".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in row) + " |",
            soft_wrap=True,
        )


def _texts(result: list) -> list[str]:
    return result if isinstance(result[0], str) else [t.text for t in result]


if __name__ == "__main__":
    main()
