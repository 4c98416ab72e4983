"""ADDRESS recognition over a spaCy Doc: a house number run followed by a street phrase
(see ``phrases``), as a recognizer writes them (see ``misheard`` and ``heard``). Corners are
in ``corners``.
"""

from __future__ import annotations

from spacy.tokens import Doc

from assets.entities.candidates import Candidate
from assets.entities.heard import heard_phrase, heard_tens, loose_address
from assets.entities.lexicon import unit_kind
from assets.entities.misheard import fused_address, heard_four, merge_tens, reread
from assets.entities.numbers import confirmed, teen_ty_readings
from assets.entities.phrases import (
    MIN_ADDRESS_EVIDENCE,
    StreetPhrase,
    Vocabulary,
    continues_run,
    is_num,
    lower,
    number_run,
    street_phrase,
    token_after,
)
from radiotext.soundalike import OUTSIDE, joined, number_fit
from radiotext.spoken import TENS, UNITS, spoken_number
from radiotext.streets import DIRECTIONALS, SUFFIXES

_MAX_HOUSE_DIGITS = 5


def house_number(words: list[str]) -> str | None:
    """The house number a run stands for; leading words that would make it too long are
    someone else's (a unit's number, a code) and are dropped."""
    words = merge_tens(words)
    for start in range(len(words)):
        number = spoken_number(words[start:])
        if number and len(number) <= _MAX_HOUSE_DIGITS and int(number) > 0:
            return str(int(number))
    return None


def addresses(doc: Doc, vocab: Vocabulary) -> list[Candidate]:
    out: list[Candidate] = []
    i = 0
    while i < len(doc):
        if not is_num(doc[i]) or continues_run(doc, i):
            fused = fused_address(doc, i, vocab)
            if fused is None and heard_tens(doc[i].text) and not continues_run(doc, i):
                fused = loose_address(doc, i, vocab)  # "AD-443, Sherage Drive"
            if fused is not None:
                out += _address(doc, i, *fused, vocab)
                i = max(i, fused[1].end - 1)
            i += 1
            continue
        start = i
        if i > 0 and unit_kind(doc[i - 1].text):
            # The unit owns its number: "Engine 12 1220 Oak", "Unit thirty five, en route".
            two = i + 1 < len(doc) and doc[i].lower_ in TENS and doc[i + 1].lower_ in UNITS
            start = token_after(doc, i, 2 if two else 1)
            if start >= len(doc) or not is_num(doc[start]):
                i = start
                continue
        run, after = heard_four(doc, *number_run(doc, start), vocab)
        k = after + 1 if lower(doc, after) in ("-", ",") else after  # "158-7th", "309, Elm Street"
        k = k + 2 if lower(doc, k) == "block" and lower(doc, k + 1) == "of" else k
        phrase = street_phrase(doc, k, vocab) if run else None
        if run:
            run, phrase = reread(doc, run, after, k, phrase, vocab)
        if run and (
            phrase is None
            or phrase.street.key not in vocab.index
            or refuted(doc, phrase, house_number(run), vocab)
        ):
            # a name the county does not have may be one it has, split or respelled
            phrase = heard_phrase(doc, k, house_number(run), vocab) or phrase
        number = house_number(run) if phrase else None
        # "10-5, mile" is a ten-code and a word; "10-65, Oak Street" is a misheard address.
        code_shaped = run[:1] == ["10"] and lower(doc, start + 1) == "-"
        sure = (
            phrase and number and phrase.evidence >= (0.85 if code_shaped else MIN_ADDRESS_EVIDENCE)
        )
        settled = (
            sure and phrase.street.key in vocab.index and not refuted(doc, phrase, number, vocab)
        )
        loose = None if settled else loose_address(doc, start, vocab)
        if loose is not None:
            # groups and a street the county has, read together, beat an unknown street
            out += _address(doc, start, *loose, vocab)
            after = max(after, loose[1].end)
        elif sure:
            out += _address(doc, start, number, phrase, vocab)
        i = after
    return out


def _address(
    doc: Doc, start: int, number: str, phrase: StreetPhrase, vocab: Vocabulary
) -> list[Candidate]:
    """The ADDRESS candidate, its number checked against the county's address file; none
    when the county's streets and numbers make it doubtful (see ``doubtful``)."""
    number = confirmed(number, phrase.street.key, vocab.numbers, teen_ty_readings(number))
    if doubtful(number, phrase.street.key, vocab):
        return []
    city = city_after(doc, phrase.end, vocab)
    return [
        Candidate(
            "ADDRESS", start, phrase.end, f"{number} {phrase.street.key}", city, phrase.evidence
        )
    ]


def refuted(doc: Doc, phrase: StreetPhrase, number: str | None, vocab: Vocabulary) -> bool:
    """A street the heard name or suffix was respelled into ("Malwood Court" into Malwood Drive)
    whose listed numbers are nowhere near the house number: the number says the words
    meant another street (Malwick Court holds 4183), so the heard words are weighed again
    with the number. A name heard exactly is kept: the number is the likelier error."""
    if not (number and number.isdigit()):
        return False
    tokens = [t.text.upper() for t in doc[phrase.start : phrase.end] if t.is_alpha]
    name = [t for t in tokens if t not in SUFFIXES and t not in DIRECTIONALS]
    suffixes = {SUFFIXES[t] for t in tokens if t in SUFFIXES}
    if joined(name) == joined(phrase.street.name.split()) and (
        not suffixes or phrase.street.suffix in suffixes
    ):
        return False
    listed = vocab.numbers.by_street.get(phrase.street.key)
    return number_fit(listed, int(number)) == OUTSIDE


def doubtful(number: str, street_key: str, vocab: Vocabulary) -> bool:
    """With a gazetteer loaded, an address on a street the county does not have (a name
    misheard past matching: "Rendro Street"), or a number far off the numbers its file
    lists on the street ("575" for fifty seventy five), is more likely wrong than right:
    it is not asserted, as the geocoder would not place it."""
    if not len(vocab.index):
        return False
    if street_key not in vocab.index:
        return True
    listed = vocab.numbers.by_street.get(street_key)
    return number.isdigit() and number_fit(listed, int(number)) == OUTSIDE


def city_after(doc: Doc, i: int, vocab: Vocabulary) -> str | None:
    """A known town named right after a place ("1220 Oak Street, Autaugaville")."""
    j = i + 1 if i < len(doc) and doc[i].text == "," else i
    for width in (3, 2, 1):
        name = " ".join(t.text for t in doc[j : j + width]).upper()
        if name in vocab.cities:
            return name
    return None
