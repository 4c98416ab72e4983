"""PLATE recognition: a run of phonetic-alphabet words, letters and digits read out
("Adam Boy Charles one two three", "Alpha Bravo 1-2-3") decoded to ``ABC123``.

Without a cue word ("plate", "tag", "registration"; the recognizer's "play") a run needs
two phonetic words and a digit, because "Paul", "King" or "Ocean" alone are just words.
"""

from __future__ import annotations

from spacy.tokens import Doc

from assets.entities.candidates import Candidate
from assets.entities.lexicon import PHONETIC, PLATE_CUES
from radiotext.spoken import TEENS, TENS, UNITS, digit_chunks

_SEPARATORS = frozenset({",", "-", "."})
_PLATE_NUMBER_WORDS = frozenset(UNITS) | frozenset(TEENS) | frozenset(TENS)
_MIN_CHARS, _MAX_CHARS = 2, 8


def _piece(doc: Doc, j: int) -> tuple[str, str, int] | None:
    """(kind, text, tokens used) for the plate piece at token ``j``: a phonetic ``word`` or
    spoken ``letter`` with its letter, or ``digits`` with the digits or number word."""
    text = doc[j].text
    lowered = text.lower()
    if (
        lowered == "x"
        and j + 2 < len(doc)
        and doc[j + 1].text == "-"
        and doc[j + 2].lower_ == "ray"
    ):
        return "word", "X", 3
    if lowered in PHONETIC:
        return "word", PHONETIC[lowered], 1
    if len(text) == 1 and text.isalpha() and text.isupper() and text not in ("I", "A"):
        return "letter", text, 1
    if text.isdigit() or lowered in _PLATE_NUMBER_WORDS:
        return "digits", lowered, 1
    return None


def _decode(pieces: list[tuple[str, str]]) -> str:
    """Letters as they are; runs of digits and number words through ``digit_chunks`` so
    "twenty three" is 23 and "one two three" is 123."""
    out: list[str] = []
    numbers: list[str] = []
    for kind, text in [*pieces, ("end", "")]:
        if kind == "digits":
            numbers.append(text)
            continue
        if numbers:
            out.extend(digit_chunks(numbers))
            numbers = []
        out.append(text)
    return "".join(out)


def plates(doc: Doc) -> list[Candidate]:
    out: list[Candidate] = []
    i = 0
    while i < len(doc):
        cue = any(t.lower_ in PLATE_CUES for t in doc[max(0, i - 3) : i])
        first = _piece(doc, i)
        if first is None or (first[0] == "digits" and not cue):
            i += 1
            continue
        pieces: list[tuple[str, str]] = []
        j = end = i
        while j < len(doc):
            piece = _piece(doc, j)
            if piece is None:
                if doc[j].text in _SEPARATORS and pieces:
                    j += 1
                    continue
                break
            kind, text, used = piece
            pieces.append((kind, text))
            j += used
            end = j
        plate = _decode(pieces)
        words = sum(1 for kind, _ in pieces if kind == "word")
        has_digit = any(ch.isdigit() for ch in plate)
        has_letter = any(ch.isalpha() for ch in plate)
        if (
            _MIN_CHARS <= len(plate) <= _MAX_CHARS
            and has_letter
            and (cue or (words >= 2 and has_digit))
        ):
            out.append(Candidate("PLATE", i, end, plate, None, 0.9 if cue else 0.7))
            i = end
        else:
            i += 1
    return out
