"""A search box's text as phrases: parsing, the patterns that find them, the spans to
highlight, and where a phrase is first spoken in a transcript's timed words.

Pure Python, no DuckDB: ``lake.queries.search`` runs the patterns against the lake, and a
benchmark or a test can parse and highlight without one. Every pattern is valid for both
RE2 (DuckDB's regexp functions) and Python's ``re``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from radiotext.words import TYPOGRAPHIC_APOSTROPHE, word_key, words

MAX_PHRASES = 8
MAX_WORDS_PER_PHRASE = 8
_QUOTED = re.compile(r'"([^"]*)"')


class EmptySearch(ValueError):
    """The search text has no word to look for."""


@dataclass(frozen=True)
class SearchQuery:
    phrases: tuple[tuple[str, ...], ...]

    @property
    def patterns(self) -> list[str]:
        """One case-insensitive pattern per phrase, valid for both RE2 (DuckDB) and ``re``."""
        return [r"(?i)\b" + _body(phrase) + r"\b" for phrase in self.phrases]

    @property
    def lead_pattern(self) -> str:
        """The longest phrase's pattern: the most selective one to scan with first."""
        return max(zip(self.patterns, self.phrases, strict=True), key=lambda p: len(p[1]))[0]

    @property
    def any_pattern(self) -> str:
        """Any phrase, longest first, so a match names the phrase it belongs to."""
        ordered = sorted(self.phrases, key=len, reverse=True)
        return r"(?i)\b(?:" + "|".join(_body(phrase) for phrase in ordered) + r")\b"

    @property
    def repeat_pattern(self) -> str:
        """Two occurrences of any phrase: RE2 answers it with its DFA alone, far cheaper
        than extracting the occurrences, so only transcripts holding two are counted."""
        body = self.any_pattern.removeprefix("(?i)")
        return "(?is)" + body + ".*" + body

    @property
    def terms(self) -> list[str]:
        return sorted({word for phrase in self.phrases for word in phrase})


def _body(phrase: tuple[str, ...]) -> str:
    return r"\W+".join(escape_word(word) for word in phrase)


def escape_word(word: str) -> str:
    """A pattern for one word as ``radiotext.words`` reads it: the text may spell its
    apostrophe either way."""
    return re.escape(word).replace("'", f"['{TYPOGRAPHIC_APOSTROPHE}]")


def normalize_word(word: str) -> str:
    """A transcript word as search compares it (``radiotext.words.word_key``)."""
    return word_key(word)


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return n < len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def parse_query(text: str) -> SearchQuery:
    """Words and "quoted phrases" of a search box, each phrase as normalized words. A phrase
    inside a longer one is dropped: the longer one already requires it."""
    phrases: list[tuple[str, ...]] = []
    quoted = [tuple(words(q))[:MAX_WORDS_PER_PHRASE] for q in _QUOTED.findall(text)]
    loose = [(w,) for w in words(_QUOTED.sub(" ", text))]
    seen: set[str] = set()
    for phrase in quoted + loose:
        # "10-50" and "10 50" are the same phrase to the patterns
        key = " ".join(re.split(r"\W+", " ".join(phrase)))
        if phrase and key not in seen:
            seen.add(key)
            phrases.append(phrase)
    phrases = [p for p in phrases if not any(_inside(p, other) for other in phrases)]
    if not phrases:
        raise EmptySearch(f"nothing to search for in {text!r}")
    return SearchQuery(tuple(phrases[:MAX_PHRASES]))


def highlight_spans(text: str, patterns: list[re.Pattern[str]]) -> list[tuple[int, int]]:
    """Merged, sorted character spans of every phrase occurrence in ``text``."""
    spans = sorted(m.span() for p in patterns for m in p.finditer(text))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def phrase_start(words: list[str], starts: list[float | None], query: SearchQuery) -> float | None:
    """When the query's first phrase is first spoken, from a transcript's timed words."""
    terms = [normalize_word(w) for w in words]
    for phrase in query.phrases:
        n = len(phrase)
        for i in range(len(terms) - n + 1):
            if tuple(terms[i : i + n]) == phrase and pd.notna(starts[i]):
                return float(starts[i])
    return None
