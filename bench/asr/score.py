"""Accuracy measures: corpus WER under Whisper's English normalizer, invented text on
silent calls, and word-timestamp error against the simulator's word times."""

from __future__ import annotations

import difflib
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import jiwer

from bench.asr.corpus import BenchCall
from resources.asr.words import WordTiming


@lru_cache(maxsize=1)
def _normalizer():
    from transformers.models.whisper.english_normalizer import EnglishTextNormalizer

    return EnglishTextNormalizer({})


def normalized(text: str) -> str:
    return " ".join(_normalizer()(text).split())


def wer(calls: Sequence[BenchCall], texts: Sequence[str]) -> float:
    """Corpus WER (percent) over the calls that carry speech."""
    pairs = [
        (normalized(c.written_text), normalized(t))
        for c, t in zip(calls, texts, strict=True)
        if not c.silent
    ]
    pairs = [(r, h) for r, h in pairs if r]
    return 100.0 * jiwer.wer([r for r, _ in pairs], [h for _, h in pairs])


def invented_on_silence(calls: Sequence[BenchCall], texts: Sequence[str]) -> tuple[int, int]:
    """(silent calls with any text, silent calls)."""
    silent = [t for c, t in zip(calls, texts, strict=True) if c.silent]
    return sum(1 for t in silent if normalized(t)), len(silent)


@dataclass(frozen=True)
class TimingError:
    matched: int
    mean_start_ms: float
    median_start_ms: float
    mean_end_ms: float


def timing_error(
    calls: Sequence[BenchCall], words: Sequence[Sequence[WordTiming]]
) -> TimingError | None:
    """Start/end error of the hypothesis words that spell a spoken word exactly (numbers
    are written as digits by Whisper and spelled out in the truth, so they do not pair)."""
    start_err, end_err = [], []
    for call, hyp in zip(calls, words, strict=True):
        truth = [w for w in call.words if not w.estimated]
        a = [_key(w.word) for w in truth]
        b = [_key(w.word) for w in hyp]
        for block in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks():
            for k in range(block.size):
                t, h = truth[block.a + k], hyp[block.b + k]
                start_err.append(abs(h.start_s - t.start_s) * 1000)
                end_err.append(abs(h.end_s - t.end_s) * 1000)
    if not start_err:
        return None
    return TimingError(
        len(start_err),
        statistics.fmean(start_err),
        statistics.median(start_err),
        statistics.fmean(end_err),
    )


def _key(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch.isalnum())
