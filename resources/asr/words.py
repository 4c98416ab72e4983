"""A timed word, the unit every ASR step hands on, and the merge of forced-alignment times."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class WordTiming:
    """One word, as Whisper spells it (with its leading space), timed in seconds."""

    word: str
    start_s: float
    end_s: float
    probability: float  # mean probability of the word's tokens
    logprob: float  # sum of the word's token log-probabilities
    tokens: int


def apply_alignment(words: Sequence[WordTiming], aligned: Sequence[dict]) -> list[WordTiming]:
    """Take start and end from WhisperX's aligned words when they pair one to one with
    Whisper's (both split the text on spaces); otherwise keep Whisper's times. A word the
    aligner could not place keeps Whisper's times too."""
    if len(aligned) != len(words):
        return list(words)
    out = []
    for word, a in zip(words, aligned, strict=True):
        start, end = a.get("start"), a.get("end")
        placed = (
            start is not None and end is not None and math.isfinite(start) and math.isfinite(end)
        )
        out.append(
            replace(word, start_s=float(start), end_s=float(end))
            if placed and end >= start
            else word
        )
    return out
