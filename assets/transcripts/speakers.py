"""Who said each word: trunk-recorder's ``srcList`` joined with the word timestamps.

``srcList`` says when each radio id keyed up, in seconds into the recorded call (``pos``);
word times are in the normalized audio, which the audio layer may have trimmed at the start
(``trim:<lead>s+<tail>s`` in its chain). So a word at ``t`` in the normalized audio was
spoken ``t + lead`` seconds into the call, by the last unit that keyed up by then.

A word is placed by its midpoint, not its start: Whisper's word starts (cross-attention,
or wav2vec2 alignment) often begin a little early, into the silence before the word, and a
word that straddles a key-up belongs to the unit that transmitted most of it. A word
without an end time is placed by its start.

The input is recorder-written and may be messy; each case has one rule:
- no ``srcList`` (or no usable entry): every word's unit is null;
- entries out of order: sorted by position (trunk-recorder appends in arrival order, and
  a late-logged key-up can arrive after a later one);
- a missing, negative or non-finite position: a negative one is clamped to 0 (the unit
  was already talking when the recording began); a missing or non-finite one is dropped,
  unless no entry has a position and all name one unit, who then said every word;
- a position past the end of the call: dropped (no word can follow it);
- emergency flags: an emergency key-up is a key-up like any other. The flag says the unit
  pressed its emergency button, not who spoke; it stays in ``raw_calls.units``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence

# A unit's key-up is logged a moment after its first syllable can start (the radio id
# arrives in the voice channel's link control, after the first voice frames).
KEYUP_SLACK_S = 0.3
_TRIM = re.compile(r"^trim:(\d+(?:\.\d+)?)s\+")


def lead_trim_s(chain: Iterable[str] | None) -> float:
    """Seconds the audio chain cut from the start of the call (0 if it cut nothing)."""
    for step in chain or ():
        m = _TRIM.match(step)
        if m:
            return float(m.group(1))
    return 0.0


def unit_turns(
    units: Iterable[Mapping[str, object]] | None, duration_s: float | None = None
) -> list[tuple[float, int]]:
    """``raw_calls.units`` (srcList) as (pos_s, unit_id) key-ups in time order, with the
    rules of the module docstring applied."""
    entries = [u for u in units or () if isinstance(u.get("unit_id"), int)]
    turns: list[tuple[float, int]] = []
    for u in entries:
        pos = u.get("pos_s")
        if not isinstance(pos, int | float) or not math.isfinite(pos):
            continue
        if duration_s is not None and pos > duration_s:
            continue
        turns.append((max(float(pos), 0.0), int(u["unit_id"])))  # type: ignore[call-overload]
    if not turns:
        ids = {int(u["unit_id"]) for u in entries}  # type: ignore[call-overload]
        positioned = any(u.get("pos_s") is not None for u in entries)
        return [(0.0, ids.pop())] if len(ids) == 1 and not positioned else []
    # sorted() is stable: two key-ups logged at one position keep the recorder's order
    return sorted(turns, key=lambda t: t[0])


def unit_at(t: float, turns: Sequence[tuple[float, int]]) -> int | None:
    """The unit transmitting ``t`` seconds into the call. Whoever keyed up first opened
    the call, even if its key-up was logged after the first word."""
    speaker = turns[0][1] if turns else None
    for pos, unit in turns:
        if pos - KEYUP_SLACK_S <= t:
            speaker = unit
        else:
            break
    return speaker


def word_time(start_s: float | None, end_s: float | None) -> float | None:
    """Where a word is placed in time: its midpoint, or its start without an end."""
    if start_s is None or not math.isfinite(start_s):
        return None
    if end_s is None or not math.isfinite(end_s) or end_s < start_s:
        return start_s
    return (start_s + end_s) / 2


def word_units(
    words: Sequence[tuple[float | None, float | None]],
    units: Iterable[Mapping[str, object]] | None,
    lead_s: float = 0.0,
    duration_s: float | None = None,
) -> list[int | None]:
    """The unit id that transmitted each word, given as (start_s, end_s) in the normalized
    audio. A word without a time takes the unit of the word before it (the first word,
    the unit that opened the call)."""
    turns = unit_turns(units, duration_s)
    if not turns:
        return [None] * len(words)
    out: list[int | None] = []
    previous: int | None = turns[0][1]
    for start_s, end_s in words:
        t = word_time(start_s, end_s)
        unit = previous if t is None else unit_at(t + lead_s, turns)
        out.append(unit)
        previous = unit
    return out
