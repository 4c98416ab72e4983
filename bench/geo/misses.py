"""Why spoken addresses miss: each spoken address of a corpus's ASR path put in one bucket.

    uv run python -m bench.geo.misses --town wexmoor --sim-dir DIR [--model base] [--text asr]

Buckets, first that applies:
- placed: a geocoded ADDRESS of the call lies within 100 m;
- extracted, geocoder refused: the right number and street were extracted but not placed
  (a number the gazetteer's ranges lack, or a score under the geocoder's threshold);
- wrong number / wrong street: an ADDRESS was extracted for the call, but with another number
  on the right street, or on another street (placed far, or refused);
- threshold refused (right / wrong): nothing extracted, but with the sound-alike threshold
  and margin relaxed (ACCEPT 0.6, MARGIN 0) the extractor finds the right address / a wrong
  one: what lowering the threshold would win and cost;
- not extracted (number and street in text / street lost / number lost / both lost): the
  transcript's digits and words, checked for the true number and the street's name.

Also lists every extracted ADDRESS that is not a spoken one (the precision side).
Transcripts come from the (corpus, model) cache that ``bench.geo`` writes.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from assets.entities.extract import Entity, EntityExtractor, Word
from bench.common import console
from bench.geo.asr import transcribe
from bench.geo.corpus import load, located
from bench.geo.score import canonical
from radiotext import soundalike
from resources.geocoding.metric import distance_m

_RELAXED = (0.6, 0.0)


def _relaxed(extractor: EntityExtractor, text: str, words: list[Word]) -> list[Entity]:
    saved = soundalike.ACCEPT, soundalike.MARGIN
    soundalike.ACCEPT, soundalike.MARGIN = _RELAXED
    try:
        return list(extractor.extract_many([(text, words)]))[0]
    finally:
        soundalike.ACCEPT, soundalike.MARGIN = saved


def _heard(text: str, number: str, street_key: str) -> str:
    digits = re.sub(r"[^0-9 ]", "", text.replace(",", "").replace("-", ""))
    number_in = number in digits.split() or number in digits.replace(" ", "")
    name = street_key.rsplit(" ", 1)[0] if " " in street_key else street_key
    street_in = name.lower() in text.lower()
    if number_in and street_in:
        return "not extracted: number and street in text"
    if number_in:
        return "not extracted: street lost"
    if street_in:
        return "not extracted: number lost"
    return "not extracted: both lost"


def bucket(
    true: dict[str, object],
    found: list[Entity],
    placed: list[tuple[float, float]],
    relaxed: list[Entity],
    text: str,
) -> str:
    spot = (float(true["lat"]), float(true["lon"]))  # type: ignore[arg-type]
    if any(distance_m(spot, p) <= 100 for p in placed):
        return "placed"
    want = str(canonical("ADDRESS", str(true["normalized"])))
    number, _, street = want.partition(" ")
    got = [str(canonical("ADDRESS", e.normalized)) for e in found if e.label == "ADDRESS"]
    if want in got:
        return "extracted, geocoder refused"
    if any(g.partition(" ")[2] == street for g in got):
        return "wrong number"
    if got:
        return "wrong street"
    loose = [str(canonical("ADDRESS", e.normalized)) for e in relaxed if e.label == "ADDRESS"]
    if want in loose:
        return "threshold refused (right)"
    if loose:
        return "threshold refused (wrong)"
    return _heard(text, number, street)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--town", required=True)
    parser.add_argument("--sim-dir", type=Path, required=True)
    parser.add_argument("--model", default=None)
    parser.add_argument(
        "--text", choices=("asr", "spoken", "written"), default="asr", help="which text to read"
    )
    parser.add_argument("--quiet", action="store_true", help="counts only, no per-miss lines")
    args = parser.parse_args()
    corpus = load(args.sim_dir, args.town)
    truth = corpus.truth
    if args.text == "asr":
        pairs, _, _ = transcribe(args.sim_dir, truth, args.model)
    else:
        pairs = [(str(r[f"{args.text}_text"]), []) for r in truth]
    found_all = list(corpus.extractor.extract_many(pairs))
    counts: Counter[str] = Counter()
    false: list[str] = []
    for row, (text, words), found in zip(truth, pairs, found_all, strict=True):
        trues = [e for e in row["entities"] if e["label"] == "ADDRESS"]  # type: ignore[union-attr]
        placed = located(found, corpus.geocoder, "ADDRESS")
        relaxed = _relaxed(corpus.extractor, text, words) if trues else []
        for true in trues:
            b = bucket(true, found, placed, relaxed, text)
            counts[b] += 1
            if b != "placed" and not args.quiet:
                got = [e.normalized for e in found if e.label == "ADDRESS"]
                loose = [e.normalized for e in relaxed if e.label == "ADDRESS"]
                console.print(
                    f"[bold]{b}[/]: {true['normalized']} | asr: {text[:170]!r} | "
                    f"extracted {got} | relaxed {loose}",
                    highlight=False,
                )
        wanted = {str(canonical("ADDRESS", str(t["normalized"]))) for t in trues}
        for e in found:
            if e.label == "ADDRESS" and str(canonical("ADDRESS", e.normalized)) not in wanted:
                one = located([e], corpus.geocoder, "ADDRESS")
                false.append(
                    f"{e.normalized} ({'placed' if one else 'unplaced'}; "
                    f"true {sorted(wanted)}) | {text[:150]!r}"
                )
    total = sum(counts.values())
    console.print(f"\n{args.text} path, {args.town}, {total} spoken addresses:")
    for name, n in counts.most_common():
        console.print(f"  {name}: {n} ({n / total:.2f})")
    console.print(f"extracted ADDRESS entities that are not spoken ones: {len(false)}")
    for line in false:
        console.print(f"  {line}", highlight=False)


if __name__ == "__main__":
    main()
