"""A transcript as readable passages, each with the unit that transmitted it.

trunk-recorder's ``srcList`` says when each radio id keyed up, in seconds into the
recorded call; word times are in the normalized audio, which the audio layer may have
trimmed at the start (``trim:<lead>s+<tail>s`` in its chain). So a word at ``start_s``
was spoken ``start_s + lead`` seconds into the call, by the last unit that keyed up by then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

_TRIM = re.compile(r"^trim:(\d+(?:\.\d+)?)s\+")
# A unit's key-up is logged a moment after its first syllable can start.
KEYUP_SLACK_S = 0.3
_NO_SPACE_BEFORE = re.compile(r"\s+([,.;:!?%)])")


@dataclass(frozen=True)
class Passage:
    unit: str | None  # None where no unit is known
    start_s: float | None  # in the normalized audio, for the player
    text: str


def lead_trim_s(chain: Iterable[str]) -> float:
    """Seconds the audio chain cut from the start of the call (0 if it cut nothing)."""
    for step in chain:
        m = _TRIM.match(step)
        if m:
            return float(m.group(1))
    return 0.0


def readable(words: Iterable[str]) -> str:
    """Words joined as text: spaces between words, none before punctuation."""
    return _NO_SPACE_BEFORE.sub(r"\1", " ".join(w.strip() for w in words if w and w.strip()))


def _speaker_at(t: float, turns: Sequence[tuple[float, str]]) -> str | None:
    # Whoever keyed up first opened the call, even if its key-up was logged late.
    speaker = turns[0][1] if turns else None
    for pos, unit in turns:
        if pos - KEYUP_SLACK_S <= t:
            speaker = unit
        else:
            break
    return speaker


def passages(
    words: Sequence[tuple[str, float | None]],
    unit_turns: Iterable[Mapping[str, object]],
    lead_s: float = 0.0,
) -> list[Passage]:
    """``words`` as (word, start_s) in order, split where the transmitting unit changes.
    Without unit turns the whole transcript is one passage with no unit."""
    turns = sorted(
        (float(t["pos_s"]), str(t["unit"]))  # type: ignore[arg-type]
        for t in unit_turns
        if t.get("pos_s") is not None and t.get("unit")
    )
    out: list[Passage] = []
    current: list[str] = []
    speaker: str | None = None
    start: float | None = None
    for word, start_s in words:
        # a word without a time stays with the passage it follows
        who = speaker if start_s is None or not turns else _speaker_at(start_s + lead_s, turns)
        if current and who != speaker:
            out.append(Passage(speaker, start, readable(current)))
            current = []
        if not current:
            speaker, start = who, start_s
        current.append(word)
    if current:
        out.append(Passage(speaker, start, readable(current)))
    return out
