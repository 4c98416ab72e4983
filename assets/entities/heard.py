"""The street after a house number when the recognizer split or respelled it: "1030
carrying can drive" is 1030 Carrington Drive if the county's streets and address file
say so clearly enough (see ``resources.geocoding.soundalike``)."""

from __future__ import annotations

from spacy.tokens import Doc

from assets.entities.lexicon import CONNECTORS, unit_kind
from assets.entities.phrases import StreetPhrase, Vocabulary
from resources.geocoding.soundalike import HeardStreet, best_heard, heard_streets
from resources.geocoding.streets import SUFFIXES

_MAX_WORDS = 3


def _word(doc: Doc, i: int) -> bool:
    """A token that may be part of a heard name: letters, not "and", not a unit."""
    if i >= len(doc):
        return False
    token = doc[i]
    return token.is_alpha and token.lower_ not in CONNECTORS and unit_kind(token.text) is None


def _suffix(doc: Doc, i: int) -> str:
    return SUFFIXES.get(doc[i].text.upper().rstrip("."), "") if i < len(doc) else ""


def spans(doc: Doc, k: int) -> list[tuple[list[str], str, int]]:
    """(heard words, heard suffix, end token) for each reading of the words at ``k``:
    one to three words, with the suffix that follows them or without one."""
    out = []
    for width in range(1, _MAX_WORDS + 1):
        if not all(_word(doc, i) for i in range(k, k + width)):
            break
        words = [doc[i].text for i in range(k, k + width)]
        suffix = _suffix(doc, k + width)
        out.append((words, suffix, k + width + 1 if suffix else k + width))
        if suffix:
            break
    return out


def heard_phrase(doc: Doc, k: int, number: str | None, vocab: Vocabulary) -> StreetPhrase | None:
    """The county's street heard at token ``k``, scored over every reading of the words
    there; None when no street is sure enough."""
    if not len(vocab.index):
        return None
    n = int(number) if number and number.isdigit() else None
    best: dict[str, tuple[HeardStreet, int]] = {}
    for words, suffix, end in spans(doc, k):
        for h in heard_streets(vocab.index, words, suffix, n, vocab.numbers.by_street):
            if h.key not in best or h.score > best[h.key][0].score:
                best[h.key] = (h, end)
    ranked = sorted((h for h, _ in best.values()), key=lambda h: (-h.score, h.key))
    chosen = best_heard(ranked)
    if chosen is None:
        return None
    return StreetPhrase(k, best[chosen.key][1], chosen.street, min(0.95, chosen.score), True)
