"""Per-call scores from the words a call kept.

Calls packed together share one decode, so the window's own ``avg_logprob`` describes all
of them at once; each call's figure is computed from the token probabilities of its own
words instead. ``no_speech_prob`` has no per-call counterpart: it is the no-speech
probability of the window(s) that carried the call.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence

from assets.transcripts.guards import HALLUCINATION_FLAGS
from resources.asr.words import WordTiming


def text_of(words: Sequence[WordTiming]) -> str:
    """Whisper's words carry their leading spaces, so joining them restores the text."""
    return "".join(w.word for w in words).strip()


def avg_logprob(words: Sequence[WordTiming]) -> float | None:
    """Mean log-probability of the call's tokens (None for an empty transcript)."""
    tokens = sum(w.tokens for w in words)
    return sum(w.logprob for w in words) / tokens if tokens else None


def compression_ratio(text: str) -> float | None:
    """Whisper's repetition measure: text bytes over their zlib-compressed size."""
    if not text:
        return None
    raw = text.encode("utf-8")
    return len(raw) / len(zlib.compress(raw))


def confidence(words: Sequence[WordTiming], flags: Sequence[str]) -> float | None:
    """How far to trust the text, in [0, 1]: the geometric mean of its token
    probabilities, halved for each hallucination guard that had to step in (the words
    it removed are gone, but what is left came from a decode that went wrong once)."""
    mean = avg_logprob(words)
    if mean is None:
        return None
    score = math.exp(mean)
    for flag in flags:
        if flag in HALLUCINATION_FLAGS:
            score /= 2
    return round(min(1.0, max(0.0, score)), 4)
