"""A transcript as readable passages, each with the unit that transmitted it.

Each word row carries its unit (``transcript_words.unit_id``, set by the transcripts
layer from the call's srcList); here the words are only grouped where the unit changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_NO_SPACE_BEFORE = re.compile(r"\s+([,.;:!?%)])")


@dataclass(frozen=True)
class Passage:
    unit: str | None  # None where no unit is known
    start_s: float | None  # in the normalized audio, for the player
    text: str


def readable(words: Iterable[str]) -> str:
    """Words joined as text: spaces between words, none before punctuation."""
    return _NO_SPACE_BEFORE.sub(r"\1", " ".join(w.strip() for w in words if w and w.strip()))


def passages(words: Sequence[tuple[str, float | None, str | None]]) -> list[Passage]:
    """``words`` as (word, start_s, unit) in order, one passage per run of one unit.
    A word without a unit (no srcList) joins no one: such words form unit-less passages."""
    out: list[Passage] = []
    current: list[str] = []
    speaker: str | None = None
    start: float | None = None
    for word, start_s, unit in words:
        if current and unit != speaker:
            out.append(Passage(speaker, start, readable(current)))
            current = []
        if not current:
            speaker, start = unit, start_s
        current.append(word)
    if current:
        out.append(Passage(speaker, start, readable(current)))
    return out
