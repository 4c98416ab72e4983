"""Entity and geocoding accuracy on the simulator's corpus, from audio through ASR.

    uv run python -m bench.geo [--calls 240] [--seed 5] [--town autauga] [--sim-dir DIR]
        [--model base] [--fresh-asr] [--no-asr]

Three paths through the same extractor and geocoder, side by side:
- spoken: the ground truth's spoken text (numbers as words), as a perfect word-level ASR;
- written: the ground truth's written text (numbers as digits): the text-only baseline;
- asr: the call audio, normalized (``assets.audio``) and transcribed by the transcriber
  resource's default model (the base tier unless --model, packed across calls) with its
  words; transcripts are cached per (corpus, model) beside the corpus (bench/geo/asr.py).
Reports entity precision and recall per type, the share of spoken addresses placed, the
share within 100 m, the median and p90 distance error, and the error of the entities'
audio times; ratios are ASR against the written-text baseline.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from assets.entities.extract import Entity, Word
from bench.geo.asr import cache_path, transcribe
from bench.geo.corpus import load, located, simulated
from bench.geo.report import report
from bench.geo.score import LabelScore, PlaceScore, canonical, score_entities


def time_errors(truth_entities: list[dict[str, object]], found: list[Entity]) -> list[float]:
    """|start| error of entities found with the same label and value as a true one."""
    errors = []
    for e in found:
        same = [
            t
            for t in truth_entities
            if t["label"] == e.label
            and canonical(e.label, str(t["normalized"])) == canonical(e.label, e.normalized)
        ]
        if same and e.start_s is not None and same[0]["start_s"] is not None:
            errors.append(abs(e.start_s - float(same[0]["start_s"])))  # type: ignore[arg-type]
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=240)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--town",
        default="autauga",
        help="simulated county: autauga, wexmoor or generated-SEED (see resources.simulator)",
    )
    parser.add_argument(
        "--sim-dir", type=Path, default=None, help="reuse or create the simulation here"
    )
    parser.add_argument("--no-asr", action="store_true", help="text paths only")
    parser.add_argument(
        "--model",
        default=None,
        help="ASR model (a tier such as tiny.en or base, or a faster-whisper name); "
        "default: the transcriber's default tier",
    )
    parser.add_argument(
        "--fresh-asr",
        action="store_true",
        help="transcribe again even when the (corpus, model) cache holds the transcripts",
    )
    args = parser.parse_args()

    out = simulated(args.calls, args.seed, args.sim_dir, args.town)
    corpus = load(out, args.town)
    truth, extractor, geocoder = corpus.truth, corpus.extractor, corpus.geocoder

    inputs: dict[str, list[tuple[str, list[Word]]]] = {
        "spoken": [(str(r["spoken_text"]), []) for r in truth],
        "written": [(str(r["written_text"]), []) for r in truth],
    }
    asr_note = ""
    if not args.no_asr:
        inputs["asr"], asr_s, audio_s = transcribe(out, truth, args.model, args.fresh_asr)
        cached, model_id = cache_path(out, args.model)
        asr_note = (
            f"ASR ({model_id}, {cached.name}): {audio_s:.0f} s of audio in {asr_s:.0f} s "
            f"({audio_s / asr_s:.1f}x real time when transcribed)"
        )
    scores: dict[str, dict[str, LabelScore]] = {p: {} for p in inputs}
    places = {p: {"ADDRESS": PlaceScore(), "INTERSECTION": PlaceScore()} for p in inputs}
    timing: list[float] = []
    extract_s: dict[str, float] = {}
    for path, pairs in inputs.items():
        began = time.perf_counter()
        found_all = list(extractor.extract_many(pairs))
        extract_s[path] = time.perf_counter() - began
        for row, found in zip(truth, found_all, strict=True):
            true_entities = list(row["entities"])  # type: ignore[arg-type]
            score_entities(
                [(e["label"], e["normalized"]) for e in true_entities],
                [(e.label, e.normalized) for e in found],
                scores[path],
            )
            for label, score in places[path].items():
                spots = [(e["lat"], e["lon"]) for e in true_entities if e["label"] == label]
                score.add(spots, located(found, geocoder, label))
            if path == "asr":
                timing += time_errors(true_entities, found)

    report(args, out, truth, scores, places, timing, extract_s, asr_note, list(inputs))


if __name__ == "__main__":
    main()
