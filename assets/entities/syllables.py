"""Number words and digits a recognizer wrote for syllables of a street's name.

A name the recognizer does not know is heard as the nearest words it does know, and
number words are among the commonest: "Winwood Street" comes back as "one would street",
"Thornfield Lane" after a house number as "60-6-9-4-Field Lane". Spelled as written, "one"
and "4" look nothing like "Win" and "Thorn"; spelled as they sound ("WUN", "FOR") they are
close enough for the sound-alike match to weigh. Only the words below are respelled: a
longer number is a number, not a syllable.
"""

from __future__ import annotations

from collections.abc import Sequence

# How each is said, in letters the sound-alike scorer compares (Metaphone reads WUN as WN).
_SOUNDS = {
    "one": "WUN", "1": "WUN",
    "two": "TOO", "2": "TOO",
    "four": "FOR", "4": "FOR",
    "eight": "ATE", "8": "ATE",
    "ten": "TEN", "10": "TEN",
}  # fmt: skip


def sound_of(word: str) -> str | None:
    """How a number word or a one-digit group sounds, or None for any other word."""
    return _SOUNDS.get(word.lower())


def respelled(words: Sequence[str]) -> list[str] | None:
    """The heard words with their number words spelled as they sound; None when no word is
    one, so the caller scores nothing twice."""
    out = [sound_of(w) or w for w in words]
    return out if out != list(words) else None
