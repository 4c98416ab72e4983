"""Packing short calls into Whisper's 30 s windows, and mapping words back to their call.

Scanner calls last 2 to 10 s; Whisper always attends over 30 s. Each call's speech (from
the VAD) becomes one or more *pieces*; pieces are placed first-fit into windows, separated
by silence gaps, and the layout is kept. Whisper's words come back timed in window
seconds; each word belongs to the piece its midpoint falls in (or the nearest piece, if it
falls in a gap), and is shifted back into its own call's time. A word is assigned to
exactly one piece, so text cannot bleed from one call into another.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from resources.asr.words import WordTiming

SAMPLE_RATE = 16_000
WINDOW_S = 30.0


@dataclass(frozen=True)
class PackingOptions:
    """How calls share Whisper's 30 s windows, and when one is decoded again alone: the
    ``transcriber`` resource's settings, taken by ``transcribe_calls``."""

    pack_calls: bool = True  # several calls per 30 s window (else one call per window)
    gap_s: float = 1.0  # silence between packed pieces
    window_s: float = 30.0  # audio per window, gaps included (Whisper's window is 30 s)
    pad_s: float = 0.2  # audio kept around each VAD speech region
    join_gap_s: float = 1.0
    max_piece_s: float = 28.0
    retry: bool = True  # decode a packed call again if it came back empty or flagged
    # ... and, alone, one left with too few words for its speech (the window's decode skipped
    # it): fewer missed words, at the cost of a window per such call
    retry_sparse: bool = True


@dataclass(frozen=True)
class Piece:
    """A stretch of one call's audio, in that call's seconds."""

    call: int  # index of the call in the batch
    part: int  # order of the piece within its call
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Placement:
    piece: Piece
    offset_s: float  # where the piece starts in the window

    @property
    def end_s(self) -> float:
        return self.offset_s + self.piece.duration_s


@dataclass(frozen=True)
class Window:
    placements: tuple[Placement, ...]

    @property
    def content_s(self) -> float:
        return max((p.end_s for p in self.placements), default=0.0)

    @property
    def calls(self) -> set[int]:
        return {p.piece.call for p in self.placements}


def plan_pieces(
    call: int,
    regions: Sequence[tuple[float, float]],
    duration_s: float,
    pad_s: float = 0.2,
    join_gap_s: float = 1.0,
    max_piece_s: float = 28.0,
) -> list[Piece]:
    """Cover a call's speech regions with pieces: each region padded by ``pad_s``,
    neighbours closer than ``join_gap_s`` joined, none longer than ``max_piece_s``
    (a longer stretch is cut into equal parts). No regions, no pieces."""
    spans: list[list[float]] = []
    for start, end in sorted(regions):
        start, end = max(0.0, start - pad_s), min(duration_s, end + pad_s)
        if end <= start:
            continue
        if spans and start - spans[-1][1] <= join_gap_s and end - spans[-1][0] <= max_piece_s:
            spans[-1][1] = max(spans[-1][1], end)
        elif spans and start < spans[-1][1]:
            spans.append([spans[-1][1], end])  # overlapping padding, but too long to join
        else:
            spans.append([start, end])
    pieces: list[Piece] = []
    for start, end in spans:
        parts = max(1, math.ceil((end - start) / max_piece_s))
        step = (end - start) / parts
        for k in range(parts):
            pieces.append(Piece(call, len(pieces), start + k * step, start + (k + 1) * step))
    return pieces


def pack(
    pieces: Sequence[Piece],
    pack_calls: bool = True,
    gap_s: float = 1.0,
    window_s: float = WINDOW_S,
    margin_s: float = 0.5,
) -> list[Window]:
    """Place pieces first-fit into windows, ``gap_s`` of silence apart, leaving
    ``margin_s`` free at the end of each window. Without ``pack_calls`` a window holds
    pieces of one call only."""
    capacity = window_s - margin_s
    windows: list[list[Placement]] = []
    cursors: list[float] = []
    for piece in pieces:
        if piece.duration_s > capacity:
            raise ValueError(
                f"piece of {piece.duration_s:.1f} s does not fit a {window_s:.0f} s window"
            )
        for i, placed in enumerate(windows):
            fits = cursors[i] + gap_s + piece.duration_s <= capacity
            if fits and (pack_calls or placed[0].piece.call == piece.call):
                placed.append(Placement(piece, cursors[i] + gap_s))
                cursors[i] += gap_s + piece.duration_s
                break
        else:
            windows.append([Placement(piece, 0.0)])
            cursors.append(piece.duration_s)
    return [Window(tuple(p)) for p in windows]


def render(window: Window, audios: Sequence[np.ndarray]) -> np.ndarray:
    """The window's audio: each piece copied to its offset, silence everywhere else."""
    out = np.zeros(int(math.ceil(window.content_s * SAMPLE_RATE)), dtype=np.float32)
    for p in window.placements:
        src = audios[p.piece.call][_sample(p.piece.start_s) : _sample(p.piece.end_s)]
        at = _sample(p.offset_s)
        src = src[: max(0, out.size - at)]
        out[at : at + src.size] = src
    return out


def assign_words(window: Window, words: Sequence[WordTiming]) -> dict[Piece, list[WordTiming]]:
    """Each word of a decoded window, given to one piece and timed in its call's seconds."""
    out: dict[Piece, list[WordTiming]] = {p.piece: [] for p in window.placements}
    if not window.placements:
        return out
    for word in words:
        mid = (word.start_s + word.end_s) / 2
        home = min(window.placements, key=lambda p: _distance(mid, p.offset_s, p.end_s))
        out[home.piece].append(_to_call_time(word, home))
    return out


def _to_call_time(word: WordTiming, home: Placement) -> WordTiming:
    lo, hi = home.offset_s, home.end_s
    start = min(max(word.start_s, lo), hi) - lo + home.piece.start_s
    end = min(max(word.end_s, lo), hi) - lo + home.piece.start_s
    return replace(word, start_s=round(start, 3), end_s=round(max(start, end), 3))


def _distance(t: float, start: float, end: float) -> float:
    return 0.0 if start <= t <= end else min(abs(t - start), abs(t - end))


def _sample(seconds: float) -> int:
    return int(round(seconds * SAMPLE_RATE))
