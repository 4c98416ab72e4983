"""INTERSECTION recognition over a spaCy Doc: two street phrases joined by "and" (or what a
recognizer hears for it: "in", "n", "&", "at").

Dispatchers name a corner's streets bare ("Lindett and Yarbury"), and a recognizer spells
names it does not know by ear, so a side no spelling match finds is heard by sound as an
address's street is (``heard``), with no suffix expected. A corner is only asserted when
both sides are the county's streets (with a gazetteer); beside a side that is sure, the
other may sound a little less alike, as a misheard address's street may beside its number.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from assets.entities.candidates import Candidate
from assets.entities.heard import heard_phrase
from assets.entities.lexicon import CONNECTORS, STRONG_CONNECTORS, unit_kind
from assets.entities.phrases import (
    MAX_NAME_WORDS,
    StreetPhrase,
    Vocabulary,
    completed,
    is_num,
    short_digits,
    street_phrase,
)
from assets.entities.places import city_after
from assets.entities.syllables import sound_of
from radiotext.soundalike import best_heard, heard_streets
from radiotext.spoken import ordinal_text
from radiotext.streets import StreetName

_CORNER_FUZZY = 0.72
_SURE = 0.85  # a side this sure lets the other sound less alike
_BESIDE_SURE = 0.75  # the sound-alike bar for a side beside a sure one
# "and"/"in" run into a name: "Pennardin Branson" (Pennard and Branston), "Wilford
# Impressley" (Wilford and Presley; "in" before a P is heard "im").
_FUSED_AFTER = re.compile(r"^([a-z]{4,})(?:in|and)$", re.IGNORECASE)
_FUSED_BEFORE = re.compile(r"^(?:in|im|and)([a-z]{4,})$", re.IGNORECASE)
# "and" clipped to "n" and run into a numbered street's ordinal: "Court N-8" is Court and
# 8th, "Magnolia, N5" Magnolia and 5th (a unit's "N-8" after its callsign is ten-eight)
_FUSED_ORDINAL = re.compile(r"^n-?(\d{1,2})(?:st|nd|rd|th)?$", re.IGNORECASE)


def intersections(doc: Doc, vocab: Vocabulary) -> list[Candidate]:
    out: list[Candidate] = []
    for c in range(1, len(doc) - 1):
        connector = doc[c].lower_
        if connector not in CONNECTORS:
            continue
        end = c - 1 if doc[c - 1].text == "," else c  # "Jefferson Street, and Hamilton Street"
        right = street_phrase(doc, c + 1, vocab)
        left = _phrase_ending_at(doc, end, vocab)
        # Beside a street the county surely has, a misheard one may sound less alike
        # ("Mole and Poplar" is Mill and Poplar), and a numbered one may have lost its
        # ordinal ("Pine and 7").
        if left is None and right is not None and right.evidence >= _SURE:
            left = _phrase_ending_at(doc, end, vocab, _CORNER_FUZZY) or _bare_numbered(
                doc, end - 1, vocab
            )
        if right is None and left is not None and left.evidence >= _SURE:
            right = street_phrase(doc, c + 1, vocab, _CORNER_FUZZY) or _bare_numbered(
                doc, c + 1, vocab
            )
        if len(vocab.index):
            # with a gazetteer, each side is the county's street or the corner is doubtful
            left = (left and _known(doc, left, vocab)) or _heard_ending_at(doc, end, vocab)
            right = (right and _known(doc, right, vocab)) or heard_phrase(
                doc, c + 1, None, vocab, bare=True
            )
            if left is None and right is not None and right.evidence >= _SURE:
                left = _heard_ending_at(doc, end, vocab, _BESIDE_SURE)
            if right is None and left is not None and left.evidence >= _SURE:
                right = heard_phrase(doc, c + 1, None, vocab, bare=True, accept=_BESIDE_SURE)
        if right is None or left is None:
            continue
        out += _corner(doc, left, right, connector in STRONG_CONNECTORS, vocab)
    return out + _fused(doc, vocab) + _fused_ordinal(doc, vocab)


def _corner(
    doc: Doc, left: StreetPhrase, right: StreetPhrase, strong_connector: bool, vocab: Vocabulary
) -> list[Candidate]:
    if right.street.key == left.street.key or not (left.strong or right.strong):
        return []
    both = left.strong and right.strong
    prior = (0.9 if both else 0.65) - (0 if strong_connector else 0.1)
    normalized = f"{left.street.key} & {right.street.key}"
    city = city_after(doc, right.end, vocab)
    return [Candidate("INTERSECTION", left.start, right.end, normalized, city, prior)]


def _fused(doc: Doc, vocab: Vocabulary) -> list[Candidate]:
    """Corners whose "and" the recognizer ran into a name; both sides must be heard as the
    county's streets at the sound-alike scorer's own bar, the reading being a guess."""
    if not len(vocab.index):
        return []
    out: list[Candidate] = []
    for i, token in enumerate(doc):
        after, before = _FUSED_AFTER.match(token.text), _FUSED_BEFORE.match(token.text)
        if after and token.lower_ not in CONNECTORS:
            left = _heard_word(after.group(1), i, vocab)
            k = i + 2 if i + 1 < len(doc) and doc[i + 1].text == "," else i + 1
            right = heard_phrase(doc, k, None, vocab, bare=True) if left else None
        elif before:
            right = _heard_word(before.group(1), i, vocab)
            left = _heard_ending_at(doc, i, vocab) if right else None
        else:
            continue
        if left is not None and right is not None:
            out += _corner(doc, left, right, False, vocab)
    return out


def _fused_ordinal(doc: Doc, vocab: Vocabulary) -> list[Candidate]:
    """Corners whose "and" the recognizer clipped into the second street's ordinal ("Court
    N-8"): the numbered street must be the county's, and the first side a street heard."""
    out: list[Candidate] = []
    for i, token in enumerate(doc):
        fused = _FUSED_ORDINAL.match(token.text)
        if i == 0 or fused is None:
            continue
        right = _numbered_street(i, int(fused.group(1)), vocab)
        if right is None:
            continue
        end = i - 1 if doc[i - 1].text == "," else i
        left = _phrase_ending_at(doc, end, vocab)
        if len(vocab.index):
            left = (left and _known(doc, left, vocab)) or _heard_ending_at(doc, end, vocab)
        if left is not None:
            out += _corner(doc, left, right, False, vocab)
    return out


def _heard_word(text: str, i: int, vocab: Vocabulary) -> StreetPhrase | None:
    """The county's street heard in part of token ``i`` (the rest was a connector)."""
    chosen = best_heard(heard_streets(vocab.index, [text], bare=True))
    return StreetPhrase(i, i + 1, chosen.street, min(0.95, chosen.score), True) if chosen else None


def _known(doc: Doc, phrase: StreetPhrase, vocab: Vocabulary) -> StreetPhrase | None:
    """The phrase if it names a street the county has, else the street it was heard for
    over the same words, if that is sure (see ``heard``)."""
    if phrase.street.key in vocab.index:
        return phrase
    return heard_phrase(doc, phrase.start, None, vocab, bare=True, until=phrase.end)


def _heard_ending_at(
    doc: Doc, end: int, vocab: Vocabulary, accept: float | None = None
) -> StreetPhrase | None:
    """The county's street heard by sound over words ending at ``end`` (a corner's first
    side), the surest, on a tie the longer; none after a house number (an address). A
    digit hyphened before the words may be the name's first syllable: "1-Aven Way" is
    Wenhaven Way (WUN AVEN)."""
    found = []
    for start in range(max(0, end - 4), end):
        if _after_house_number(doc, start):
            continue
        lead = sound_of(doc[start - 2].text) if start > 1 and doc[start - 1].text == "-" else None
        for syllable in (None, lead) if lead else (None,):
            phrase = heard_phrase(
                doc, start, None, vocab, syllable, bare=True, accept=accept, until=end
            )
            if phrase is not None:
                found.append(replace(phrase, start=start - 2) if syllable else phrase)
    return max(found, key=lambda p: (p.evidence, -p.start), default=None)


def _bare_numbered(doc: Doc, i: int, vocab: Vocabulary) -> StreetPhrase | None:
    """A one- or two-digit number standing for a numbered street the county has."""
    if not (0 <= i < len(doc) and short_digits(doc[i])) or (i > 0 and is_num(doc[i - 1])):
        return None
    return _numbered_street(i, int(doc[i].text), vocab)


def _numbered_street(i: int, number: int, vocab: Vocabulary) -> StreetPhrase | None:
    """The county's street named by the ordinal of ``number``, heard at token ``i``."""
    name = ordinal_text(number)
    keys = vocab.index.by_name.get(name)
    return (
        StreetPhrase(i, i + 1, completed(StreetName(name), keys, vocab), 0.7, True)
        if keys
        else None
    )


def _phrase_ending_at(
    doc: Doc, end: int, vocab: Vocabulary, fuzzy: float = 0.85
) -> StreetPhrase | None:
    """The surest street phrase ending at ``end``, the longer on a tie: "Responded
    Jefferson Street" is Jefferson Street."""
    found = []
    for start in range(max(0, end - MAX_NAME_WORDS - 2), end):
        if _after_house_number(doc, start):
            continue
        phrase = street_phrase(doc, start, vocab, fuzzy)
        if phrase is not None and phrase.end == end:
            found.append(phrase)
    return max(found, key=lambda p: (p.evidence, -p.start), default=None)


def _after_house_number(doc: Doc, start: int) -> bool:
    """A number (or a number and a comma) before a street makes it an address, not a
    corner's side ("Respond 4, Fort in Bramington Way" is four fourteen Brammington
    Way); a unit's number ("Unit 14, Oak and Main") does not."""
    if start > 0 and is_num(doc[start - 1]):
        return True
    return (
        start > 1
        and doc[start - 1].text == ","
        and is_num(doc[start - 2])
        and not (start > 2 and unit_kind(doc[start - 3].text))
    )
