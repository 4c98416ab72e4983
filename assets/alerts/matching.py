"""Keyword matching on a transcript's words.

Words and phrases are compared as token sequences: the words of ``radiotext.words`` (the
ones search and the transcript guards read) with compounds broken into their parts, so
"Fire," matches "fire" and "10-70" matches both "10-70" and "10 70". Regexes run over the
words joined by spaces, case-insensitively, and a hit covers every word it touches.

A group matches when a positive term hits and that hit is not inside a negation ("fire"
but not "fire alarm test"), and no veto term occurs anywhere in the call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from radiotext.words import parts


def tokens(text: str) -> tuple[str, ...]:
    return tuple(parts(text))


@dataclass(frozen=True)
class Word:
    """One transcript word; times are seconds into the call audio (None if unaligned)."""

    index: int
    text: str
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True)
class Term:
    """A configured word, phrase or regex; ``label`` is how the user wrote it."""

    label: str
    sequence: tuple[str, ...] = ()
    regex: re.Pattern[str] | None = None

    @classmethod
    def phrase(cls, text: str) -> Term:
        seq = tokens(text)
        if not seq:
            raise ValueError(f"{text!r} has no letters or digits to match")
        return cls(label=text, sequence=seq)

    @classmethod
    def pattern(cls, source: str) -> Term:
        try:
            return cls(label=source, regex=re.compile(source, re.IGNORECASE))
        except re.error as exc:
            raise ValueError(f"bad regex {source!r}: {exc}") from exc


@dataclass(frozen=True)
class Hit:
    term: str
    first: int  # positions in the word list, inclusive
    last: int


@dataclass(frozen=True)
class GroupMatch:
    hits: tuple[Hit, ...]
    words: tuple[Word, ...]

    @property
    def terms(self) -> list[str]:
        return list(dict.fromkeys(h.term for h in self.hits))

    def matched_words(self) -> list[dict[str, object]]:
        return [
            {
                "term": h.term,
                "word_index": self.words[i].index,
                "word": self.words[i].text.strip(),
                "start_s": self.words[i].start_s,
                "end_s": self.words[i].end_s,
            }
            for h in self.hits
            for i in range(h.first, h.last + 1)
        ]

    @property
    def start_s(self) -> float | None:
        starts = [w["start_s"] for w in self.matched_words() if w["start_s"] is not None]
        return min(starts) if starts else None  # type: ignore[type-var]

    @property
    def end_s(self) -> float | None:
        ends = [w["end_s"] for w in self.matched_words() if w["end_s"] is not None]
        return max(ends) if ends else None  # type: ignore[type-var]

    def snippet(self, context_words: int) -> str:
        first = min(h.first for h in self.hits)
        last = min(h.last for h in self.hits if h.first == first)
        lo, hi = max(0, first - context_words), min(len(self.words), last + context_words + 1)
        text = " ".join(w.text.strip() for w in self.words[lo:hi] if w.text.strip())
        return ("… " if lo > 0 else "") + text + (" …" if hi < len(self.words) else "")


class WordIndex:
    """A transcript's words, tokenized once for every group that is tested against them."""

    def __init__(self, words: Sequence[Word]) -> None:
        self.words = tuple(words)
        self._tokens: list[tuple[str, int]] = [
            (tok, pos) for pos, w in enumerate(self.words) for tok in tokens(w.text)
        ]
        spans, parts, offset = [], [], 0
        for w in self.words:
            text = w.text.strip()
            spans.append((offset, offset + len(text)))
            parts.append(text)
            offset += len(text) + 1
        self._text = " ".join(parts)
        self._spans = spans

    def find(self, term: Term) -> list[Hit]:
        return self._find_regex(term) if term.regex is not None else self._find_sequence(term)

    def _find_sequence(self, term: Term) -> list[Hit]:
        seq, toks, n = term.sequence, self._tokens, len(term.sequence)
        return [
            Hit(term.label, toks[i][1], toks[i + n - 1][1])
            for i in range(len(toks) - n + 1)
            if all(toks[i + k][0] == seq[k] for k in range(n))
        ]

    def _find_regex(self, term: Term) -> list[Hit]:
        assert term.regex is not None
        hits = []
        for m in term.regex.finditer(self._text):
            if m.end() == m.start():
                continue
            touched = [p for p, (s, e) in enumerate(self._spans) if s < m.end() and m.start() < e]
            if touched:
                hits.append(Hit(term.label, touched[0], touched[-1]))
        return hits


def match_group(
    index: WordIndex, terms: Sequence[Term], negations: Sequence[Term], vetoes: Sequence[Term]
) -> GroupMatch | None:
    """The group's surviving hits in this transcript, or None if it does not match."""
    if any(index.find(v) for v in vetoes):
        return None
    blocked = [h for n in negations for h in index.find(n)]
    hits = [
        h
        for t in terms
        for h in index.find(t)
        if not any(h.first <= b.last and b.first <= h.last for b in blocked)
    ]
    if not hits:
        return None
    hits.sort(key=lambda h: (h.first, h.last))
    return GroupMatch(tuple(hits), index.words)


def words_from_text(text: str) -> list[Word]:
    """Words without times, for a transcript that has no word rows."""
    return [Word(i, w) for i, w in enumerate(text.split())]
