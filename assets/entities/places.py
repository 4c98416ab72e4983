"""ADDRESS and INTERSECTION recognition over a spaCy Doc.

An ADDRESS is a house number run followed by a street phrase (see ``phrases``); an
INTERSECTION is two street phrases joined by "and" (or what a recognizer hears for it:
"in", "n", "&", "at").
"""

from __future__ import annotations

from spacy.tokens import Doc

from assets.entities.candidates import Candidate
from assets.entities.heard import heard_phrase, loose_address
from assets.entities.lexicon import CONNECTORS, STRONG_CONNECTORS, unit_kind
from assets.entities.misheard import fused_address, heard_four, merge_tens, reread
from assets.entities.numbers import confirmed, teen_ty_readings
from assets.entities.phrases import (
    MAX_NAME_WORDS,
    MIN_ADDRESS_EVIDENCE,
    StreetPhrase,
    Vocabulary,
    completed,
    continues_run,
    is_num,
    lower,
    number_run,
    short_digits,
    street_phrase,
    token_after,
)
from radiotext.soundalike import OUTSIDE, joined, number_fit
from radiotext.spoken import TENS, UNITS, ordinal_text, spoken_number
from radiotext.streets import DIRECTIONALS, SUFFIXES, StreetName

_MAX_HOUSE_DIGITS = 5
_CORNER_FUZZY = 0.72


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
            if fused is not None:
                out += _address(doc, i, *fused, vocab)
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
        if left is None and right is not None and right.evidence >= 0.85:
            left = _phrase_ending_at(doc, end, vocab, _CORNER_FUZZY) or _bare_numbered(
                doc, end - 1, vocab
            )
        if right is None and left is not None and left.evidence >= 0.85:
            right = street_phrase(doc, c + 1, vocab, _CORNER_FUZZY) or _bare_numbered(
                doc, c + 1, vocab
            )
        if right is None or left is None:
            continue
        if len(vocab.index):
            # with a gazetteer, each side is the county's street or the corner is doubtful
            left, right = _known(doc, left, vocab), _known(doc, right, vocab)
            if left is None or right is None:
                continue
        if right.street.key == left.street.key:
            continue
        if not (left.strong or right.strong):
            continue
        both = left.strong and right.strong
        prior = (0.9 if both else 0.65) - (0 if connector in STRONG_CONNECTORS else 0.1)
        normalized = f"{left.street.key} & {right.street.key}"
        out.append(
            Candidate(
                "INTERSECTION",
                left.start,
                right.end,
                normalized,
                city_after(doc, right.end, vocab),
                prior,
            )
        )
    return out


def _known(doc: Doc, phrase: StreetPhrase, vocab: Vocabulary) -> StreetPhrase | None:
    """The phrase if it names a street the county has, else the street it was heard for
    over the same words, if that is sure (see ``heard``)."""
    if phrase.street.key in vocab.index:
        return phrase
    heard = heard_phrase(doc, phrase.start, None, vocab)
    return heard if heard is not None and heard.end == phrase.end else None


def _bare_numbered(doc: Doc, i: int, vocab: Vocabulary) -> StreetPhrase | None:
    """A one- or two-digit number standing for a numbered street the county has."""
    if not (0 <= i < len(doc) and short_digits(doc[i])) or (i > 0 and is_num(doc[i - 1])):
        return None
    name = ordinal_text(int(doc[i].text))
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
        if start > 0 and is_num(doc[start - 1]):
            continue  # a house number before it makes it an address, not a corner
        phrase = street_phrase(doc, start, vocab, fuzzy)
        if phrase is not None and phrase.end == end:
            found.append(phrase)
    return max(found, key=lambda p: (p.evidence, -p.start), default=None)


def city_after(doc: Doc, i: int, vocab: Vocabulary) -> str | None:
    """A known town named right after a place ("1220 Oak Street, Autaugaville")."""
    j = i + 1 if i < len(doc) and doc[i].text == "," else i
    for width in (3, 2, 1):
        name = " ".join(t.text for t in doc[j : j + width]).upper()
        if name in vocab.cities:
            return name
    return None
