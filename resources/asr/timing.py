"""Word times from Whisper's cross-attention alignment, refined the way faster-whisper
refines them.

The alignment (dynamic time warping over the attention of the alignment heads) places
word boundaries well inside speech, but tends to stretch the first word of a segment back
over preceding silence and the last one over following silence. Whisper's own segment
timestamps, and the median word duration, pull those words back in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from faster_whisper.transcribe import merge_punctuations

from resources.asr.words import WordTiming

PREPEND_PUNCTUATION = "\"'“¿([{-"
APPEND_PUNCTUATION = "\"'.。,，!！?？:：”)]}、"
SENTENCE_END = ".。!！?？"
TIME_PRECISION_S = 0.02


@dataclass(frozen=True)
class TimedSegment:
    """Text tokens [first, end) that Whisper bracketed with timestamps start_s..end_s."""

    first: int
    end: int
    start_s: float
    end_s: float


def timestamp_segments(
    sequence: Sequence[int], timestamp_begin: int, eot: int
) -> list[TimedSegment]:
    """Segments of a generated sequence, with token positions counted over its text tokens."""
    segments: list[TimedSegment] = []
    position, first, start = 0, 0, None
    for token in sequence:
        if token >= timestamp_begin:
            at = (token - timestamp_begin) * TIME_PRECISION_S
            if start is not None and position > first:
                segments.append(TimedSegment(first, position, start, at))
                start = None
            else:
                start, first = at, position
        elif token < eot:
            position += 1
    return segments


def word_entries(
    words: Sequence[str],
    word_tokens: Sequence[Sequence[int]],
    text_idx: np.ndarray,
    time_idx: np.ndarray,
    tokens_per_second: float,
) -> list[dict]:
    """One entry per word (the last, end-of-text, dropped), as faster-whisper builds them.
    ``tokens`` holds the word's token *positions*, so merged punctuation keeps them."""
    bounds = np.pad(np.cumsum([len(t) for t in word_tokens[:-1]]), (1, 0))
    jumps = np.pad(np.diff(text_idx), (1, 0), constant_values=1).astype(bool)
    jump_times = time_idx[jumps] / tokens_per_second
    return [
        {
            "word": w,
            "tokens": list(range(int(bounds[k]), int(bounds[k + 1]))),
            "start": float(jump_times[bounds[k]]),
            "end": float(jump_times[bounds[k + 1]]),
        }
        for k, w in enumerate(words[:-1])
    ]


def refine(entries: list[dict], segments: Sequence[TimedSegment]) -> None:
    """Trim over-long boundary words in place, then merge punctuation into words."""
    durations = np.array([e["end"] - e["start"] for e in entries])
    durations = durations[durations.nonzero()]
    median = min(0.7, float(np.median(durations))) if durations.size else 0.0
    longest = median * 2
    if durations.size:
        for i in range(1, len(entries)):
            if entries[i]["end"] - entries[i]["start"] > longest:
                if entries[i]["word"] in SENTENCE_END:
                    entries[i]["end"] = entries[i]["start"] + longest
                elif entries[i - 1]["word"] in SENTENCE_END:
                    entries[i]["start"] = entries[i]["end"] - longest
    merge_punctuations(entries, PREPEND_PUNCTUATION, APPEND_PUNCTUATION)
    spans = [(s.first, s.end, s.start_s, s.end_s) for s in segments] or [(0, 1 << 30, None, None)]
    for first, end, seg_start, seg_end in spans:
        words = [e for e in entries if e["word"] and e["tokens"] and first <= e["tokens"][0] < end]
        if words and longest:
            _trim_first(words, median, longest, seg_start)
            if (
                seg_end is not None
                and seg_end > words[-1]["start"]
                and seg_end + 0.5 < words[-1]["end"]
            ):
                words[-1]["end"] = max(words[-1]["start"] + median, seg_end)


def _trim_first(words: list[dict], median: float, longest: float, seg_start: float | None) -> None:
    head = words[0]
    if head["end"] - head["start"] > longest or (
        len(words) > 1 and words[1]["end"] - head["start"] > longest * 2
    ):
        if len(words) > 1 and words[1]["end"] - words[1]["start"] > longest:
            boundary = max(words[1]["end"] / 2, words[1]["end"] - longest)
            head["end"] = words[1]["start"] = boundary
        head["start"] = max(0.0, head["end"] - longest)
    if seg_start is not None and seg_start < head["end"] and seg_start - 0.5 > head["start"]:
        head["start"] = max(0.0, min(head["end"] - median, seg_start))


def to_words(entries: Sequence[dict], token_probs: np.ndarray) -> list[WordTiming]:
    out = []
    for e in entries:
        if not e["word"]:
            continue
        p = np.clip(token_probs[e["tokens"]], 1e-12, 1.0)
        out.append(
            WordTiming(
                word=e["word"],
                start_s=round(e["start"], 3),
                end_s=round(max(e["start"], e["end"]), 3),
                probability=float(p.mean()),
                logprob=float(np.log(p).sum()),
                tokens=int(p.size),
            )
        )
    return out
