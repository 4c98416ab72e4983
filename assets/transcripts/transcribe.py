"""Transcribing a batch of calls: VAD, packing calls of one prompt into shared windows,
one batched decode of every prompt's windows, words mapped back to their calls,
hallucination guards and scores.

A pure function of audio and a loaded engine: the asset, the benchmark and the tests all
call ``transcribe_calls`` directly.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from assets.transcripts import guards as g
from assets.transcripts.scoring import avg_logprob, compression_ratio, confidence, text_of
from resources.asr.engine import WhisperEngine
from resources.asr.packing import (
    SAMPLE_RATE,
    PackingOptions,
    assign_words,
    pack,
    plan_pieces,
    render,
)
from resources.asr.words import WordTiming


@dataclass(frozen=True)
class CallAudio:
    call_uid: str
    audio: np.ndarray  # 16 kHz mono float32
    vocabulary: str | None = None  # domain prompt; calls with the same prompt share windows

    @property
    def duration_s(self) -> float:
        return self.audio.size / SAMPLE_RATE


@dataclass(frozen=True)
class CallTranscript:
    call_uid: str
    text: str
    language: str
    words: tuple[WordTiming, ...]
    avg_logprob: float | None
    no_speech_prob: float | None
    compression_ratio: float | None
    confidence: float | None
    flags: tuple[str, ...]
    processing_ms: float
    speech_s: float
    shared_window: bool = False  # decoded in a window together with other calls
    retried: bool = False  # decoded a second time (see PackingOptions.retry)


@dataclass
class _State:
    pieces: list = field(default_factory=list)
    speech_s: float = 0.0
    words: dict[int, list[WordTiming]] = field(default_factory=dict)
    no_speech: list[float] = field(default_factory=list)
    shared: bool = False
    ms: float = 0.0
    retried: bool = False

    def joined(self) -> list[WordTiming]:
        return [w for part in sorted(self.words) for w in self.words[part]]


def transcribe_calls(
    calls: Sequence[CallAudio],
    engine: WhisperEngine,
    packing: PackingOptions | None = None,
    guard_options: g.GuardOptions | None = None,
) -> list[CallTranscript]:
    """One transcript per call, in input order. Text never crosses from one call to
    another: every word is given to exactly one call by the window layout."""
    packing = packing or PackingOptions()
    guard_options = guard_options or g.GuardOptions()
    states = [_State() for _ in calls]
    for i, call in enumerate(calls):
        t0 = time.perf_counter()
        regions = engine.speech_regions(call.audio, max_region_s=packing.max_piece_s)
        states[i].pieces = plan_pieces(
            i, regions, call.duration_s, packing.pad_s, packing.join_gap_s, packing.max_piece_s
        )
        states[i].speech_s = sum(e - s for s, e in regions)
        states[i].ms += (time.perf_counter() - t0) * 1000
    _decode(
        engine,
        calls,
        states,
        [i for i, s in enumerate(states) if s.pieces],
        packing,
        packing.pack_calls,
    )

    if packing.pack_calls and packing.retry:
        # A loop or a dropped call in a packed window is often the window's fault, not the
        # call's: decode the flagged calls again in new company (in reverse order), then
        # whatever is still flagged alone. A call left with too few words for its speech
        # (Whisper skipped part of the window) goes straight to the lone decode: packed with
        # other such calls it mostly lost its words again, or took on theirs. Clean calls
        # are never decoded twice.
        for again_packed in (True, False):
            suspects = [
                i
                for i, s in enumerate(states)
                if s.shared
                and _suspect(
                    s, calls[i], guard_options, sparse=packing.retry_sparse and not again_packed
                )
            ]
            before = {i: (states[i].words, states[i].no_speech) for i in suspects}
            for i in suspects:
                states[i].words, states[i].no_speech = {}, []
                states[i].shared, states[i].retried = False, True
            _decode(engine, calls, states, suspects[::-1], packing, again_packed, fallback=True)
            for i, (words, no_speech) in before.items():
                # a second decode is not always a better one: keep the first if it was
                if _badness(words, states[i], calls[i], guard_options) < _badness(
                    states[i].words, states[i], calls[i], guard_options
                ):
                    states[i].words, states[i].no_speech = words, no_speech

    if packing.retry:
        _redecode_loops(engine, calls, states, packing, guard_options)
    return [
        _finish(call, state, engine, guard_options)
        for call, state in zip(calls, states, strict=True)
    ]


def _redecode_loops(
    engine: WhisperEngine,
    calls: Sequence[CallAudio],
    states: list[_State],
    packing: PackingOptions,
    opts: g.GuardOptions,
) -> None:
    """A call still looping (or echoing its prompt) after the retries above, or decoded
    alone from the start, is decoded once more alone, without its prompt (a loop often
    starts on a prompt word: "Redpond, Redpond, ...") and with repeated n-grams banned. The
    better decode is kept; one still looping is left flagged as ``hallucinated``."""
    suspects = [
        i
        for i, s in enumerate(states)
        if s.pieces
        and g.hallucinated(
            g.apply_guards(s.joined(), s.speech_s, None, calls[i].vocabulary, opts)[1]
        )
    ]
    before = {i: (states[i].words, states[i].no_speech) for i in suspects}
    for i in suspects:
        states[i].words, states[i].no_speech = {}, []
        states[i].shared, states[i].retried = False, True
    _decode(engine, calls, states, suspects, packing, False, fallback=True, prompted=False)
    for i, (words, no_speech) in before.items():
        if _badness(words, states[i], calls[i], opts) < _badness(
            states[i].words, states[i], calls[i], opts
        ):
            states[i].words, states[i].no_speech = words, no_speech


def _suspect(state: _State, call: CallAudio, opts: g.GuardOptions, sparse: bool) -> bool:
    """Flagged by the guards, or (with ``sparse``) left with too few words."""
    kept, flags = g.apply_guards(state.joined(), state.speech_s, None, call.vocabulary, opts)
    if g.RETRY_FLAGS & set(flags):
        return True
    return sparse and g.too_sparse(kept, state.speech_s, opts)


def _badness(
    words: dict[int, list[WordTiming]], state: _State, call: CallAudio, opts: g.GuardOptions
) -> tuple[int, float]:
    """The decode's faults, then how unlikely the kept words are."""
    joined = [w for part in sorted(words) for w in words[part]]
    kept, faults = g.decode_faults(joined, state.speech_s, call.vocabulary, opts)
    mean = avg_logprob(kept)
    return faults, -mean if mean is not None else 0.0


def _decode(
    engine: WhisperEngine,
    calls: Sequence[CallAudio],
    states: list[_State],
    indices: Sequence[int],
    packing: PackingOptions,
    pack_calls: bool,
    fallback: bool = False,
    prompted: bool = True,
) -> None:
    groups: dict[str | None, list[int]] = {}
    for i in indices:
        groups.setdefault(calls[i].vocabulary if prompted else None, []).append(i)
    audios = [c.audio for c in calls]
    # calls of one prompt share windows; the engine batches windows across prompts
    windows = [
        (vocabulary, window)
        for vocabulary, members in groups.items()
        for window in pack(
            [p for i in members for p in states[i].pieces],
            pack_calls=pack_calls,
            gap_s=packing.gap_s,
            window_s=packing.window_s,
        )
    ]
    t0 = time.perf_counter()
    decoded = engine.decode(
        [render(w, audios) for _, w in windows],
        [w.content_s for _, w in windows],
        [v for v, _ in windows],
        fallback,
        lone=[len(w.calls) == 1 for _, w in windows],
    )
    elapsed_ms = (time.perf_counter() - t0) * 1000
    total_s = sum(p.piece.duration_s for _, w in windows for p in w.placements) or 1.0
    for (_, window), result in zip(windows, decoded, strict=True):
        for piece, words in assign_words(window, result.words).items():
            state = states[piece.call]
            state.words[piece.part] = words
            state.no_speech.append(result.no_speech_prob)
            state.shared |= len(window.calls) > 1
            state.ms += elapsed_ms * piece.duration_s / total_s


def _finish(
    call: CallAudio, state: _State, engine: WhisperEngine, opts: g.GuardOptions
) -> CallTranscript:
    t0 = time.perf_counter()
    no_speech = min(state.no_speech) if state.no_speech else None
    # Guards see Whisper's own word pieces, so a loop inside one spelled-out word ("21-2-2-2")
    # is caught; the pieces are folded into words after.
    words, flags = g.apply_guards(state.joined(), state.speech_s, no_speech, call.vocabulary, opts)
    words = join_fragments(words)
    if words and engine.can_align:
        words = engine.align(call.audio, words)
    words = tidy_times(words, call.duration_s)
    score = confidence(words, flags)
    if score is not None and score < opts.low_confidence:
        flags = sorted({*flags, g.LOW_CONFIDENCE})
    text = text_of(words)
    return CallTranscript(
        call_uid=call.call_uid,
        text=text,
        language=engine.language,
        words=tuple(words),
        avg_logprob=avg_logprob(words),
        no_speech_prob=no_speech,
        compression_ratio=compression_ratio(text),
        confidence=score,
        flags=tuple(flags),
        processing_ms=round(state.ms + (time.perf_counter() - t0) * 1000, 3),
        speech_s=round(state.speech_s, 3),
        shared_window=state.shared,
        retried=state.retried,
    )


def tidy_times(words: Sequence[WordTiming], duration_s: float) -> list[WordTiming]:
    """Word times inside the call and in order: starts never go back, no word ends
    before it starts."""
    out: list[WordTiming] = []
    last_start = 0.0
    for w in words:
        start = min(max(w.start_s, last_start, 0.0), duration_s)
        end = min(max(w.end_s, start), duration_s)
        out.append(
            w if (start, end) == (w.start_s, w.end_s) else replace(w, start_s=start, end_s=end)
        )
        last_start = start
    return out


def join_fragments(words: Sequence[WordTiming]) -> list[WordTiming]:
    """Fold a word that Whisper spells without a leading space ("-2" after "1") into the
    one before it, so every stored word is one space-delimited word of the text. Done per
    call, after the mapping, so a fragment can never glue itself onto another call."""
    out: list[WordTiming] = []
    for w in words:
        if out and not w.word[:1].isspace():
            prev = out[-1]
            tokens = prev.tokens + w.tokens
            out[-1] = WordTiming(
                word=prev.word + w.word,
                start_s=prev.start_s,
                end_s=max(prev.end_s, w.end_s),
                probability=(prev.probability * prev.tokens + w.probability * w.tokens)
                / max(1, tokens),
                logprob=prev.logprob + w.logprob,
                tokens=tokens,
            )
        else:
            out.append(w)
    return out
