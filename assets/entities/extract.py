"""Entity extraction as a pure function: a transcript's text and timed words in, entities
with character spans, audio times and confidences out.

Times come from the transcript's words: each word is found in the text (in order), and an
entity takes the start of its first overlapping word and the end of its last, so a player
can jump to the moment it was said. Confidence is the rule's prior times the recognizer's
mean word probability over the span.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from assets.entities.pipeline import RadioSettings, build_pipeline

_WORD_EDGES = re.compile(r"^\W+|\W+$")


@dataclass(frozen=True)
class Word:
    word: str
    start_s: float | None = None
    end_s: float | None = None
    probability: float | None = None


@dataclass(frozen=True)
class Entity:
    label: str
    text: str
    normalized: str
    detail: str | None
    start_char: int
    end_char: int
    start_s: float | None
    end_s: float | None
    confidence: float


class EntityExtractor:
    """A built pipeline and the version of everything it was built from."""

    def __init__(self, settings: RadioSettings) -> None:
        self.settings = settings
        self.version = settings.version
        self.nlp = build_pipeline(settings)

    def extract(self, text: str, words: Sequence[Word] = ()) -> list[Entity]:
        return entities_of(self.nlp(text or ""), words)

    def extract_many(
        self, items: Iterable[tuple[str, Sequence[Word]]], batch_size: int = 64
    ) -> Iterator[list[Entity]]:
        """Entities for each (text, words), in order, through ``nlp.pipe`` batches."""
        pairs = list(items)
        docs = self.nlp.pipe((text or "" for text, _ in pairs), batch_size=batch_size)
        for doc, (_, words) in zip(docs, pairs, strict=True):
            yield entities_of(doc, words)


@lru_cache(maxsize=2)
def _built(settings: RadioSettings, version: str) -> EntityExtractor:
    return EntityExtractor(settings)


def extractor_for(settings: RadioSettings) -> EntityExtractor:
    """The extractor for ``settings``, built once per process while its inputs (code
    tables, vocabulary) are unchanged: loading spaCy costs about a second, which a resident
    worker should pay once, not every micro-batch."""
    return _built(settings, settings.version)


def extract_entities(text: str, words: Sequence[Word], nlp: Language) -> list[Entity]:
    """The entities of one transcript (empty or nonsense text gives none)."""
    return entities_of(nlp(text or ""), words)


def entities_of(doc: Doc, words: Sequence[Word]) -> list[Entity]:
    spans = align_words(doc.text, words)
    out = []
    for ent in doc.ents:
        start, end = ent.start_char, ent.end_char
        inside = [w for w, s in zip(words, spans, strict=True) if s and s[0] < end and s[1] > start]
        starts = [w.start_s for w in inside if _time(w.start_s) is not None]
        ends = [w.end_s for w in inside if _time(w.end_s) is not None]
        probs = [w.probability for w in inside if _time(w.probability) is not None]
        prior = float(ent._.radio_prior)
        confidence = prior * (sum(probs) / len(probs)) if probs else prior
        out.append(
            Entity(
                label=ent.label_,
                text=ent.text,
                normalized=ent._.radio_normalized,
                detail=ent._.radio_detail,
                start_char=start,
                end_char=end,
                start_s=min(starts) if starts else None,
                end_s=max(ends) if ends else None,
                confidence=round(max(0.0, min(1.0, confidence)), 4),
            )
        )
    return out


def _time(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) and value >= 0 else None


def align_words(text: str, words: Sequence[Word]) -> list[tuple[int, int] | None]:
    """Each word's (start, end) character span in ``text``, searched in order; None for a
    word the text does not contain where expected (the text and the words disagree)."""
    lowered = text.lower()
    cursor = 0
    spans: list[tuple[int, int] | None] = []
    for w in words:
        needle = w.word.strip().lower()
        at = lowered.find(needle, cursor) if needle else -1
        if at < 0 and needle:
            # Words carry punctuation the text may not ("12." vs "12"): match the bare word.
            needle = _WORD_EDGES.sub("", needle)
            at = lowered.find(needle, cursor) if needle else -1
        if at < 0 or at - cursor > 40 + len(needle):
            spans.append(None)
            continue
        spans.append((at, at + len(needle)))
        cursor = at + len(needle)
    return spans


def entity_id(call_uid: str, model_id: str, label: str, start_char: int, end_char: int) -> str:
    """Stable per transcript and span: re-extracting the same transcript rewrites the same rows."""
    raw = f"{call_uid}|{model_id}|{label}|{start_char}|{end_char}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def entity_rows(
    call_uid: str, call_date: dt.date, model_id: str, entities: Iterable[Entity]
) -> list[dict[str, object]]:
    """Rows of the ``entities`` table for one transcript."""
    return [
        {
            "entity_id": entity_id(call_uid, model_id, e.label, e.start_char, e.end_char),
            "call_uid": call_uid,
            "call_date": call_date,
            "model_id": model_id,
            "label": e.label,
            "text": e.text,
            "normalized": e.normalized,
            "detail": e.detail,
            "start_char": e.start_char,
            "end_char": e.end_char,
            "start_s": e.start_s,
            "end_s": e.end_s,
            "confidence": e.confidence,
        }
        for e in entities
    ]
