"""Street phrases and number runs: the pieces addresses and intersections are made of.

A street phrase is an optional directional, one to four name words (ordinals such as
"Fifth" or "twenty third" become ``5TH``/``23RD``) and an optional suffix. How sure we are
that it is a street (its ``evidence``) comes from the suffix, from the county's street
vocabulary (exact or by sound), or only from capitalisation. A number run is the spoken
or written digits of a house number as a recognizer writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from assets.entities.lexicon import CONNECTORS, unit_kind
from assets.entities.numbers import HouseNumbers
from radiotext.fuzzy import StreetIndex
from radiotext.spoken import is_number_token, ordinal_text, ordinal_value, spoken_number
from radiotext.streets import DIRECTIONALS, SUFFIXES, StreetName

MIN_ADDRESS_EVIDENCE = 0.45
MAX_NAME_WORDS = 4
SPELLING_FUZZY = 0.75  # the geocoder's default min_street_score


@dataclass(frozen=True)
class Vocabulary:
    """The county's streets, towns and house numbers, which turn weak guesses into sure ones."""

    index: StreetIndex
    cities: frozenset[str]  # upper case
    numbers: HouseNumbers = field(default_factory=HouseNumbers)

    @classmethod
    def of(
        cls,
        streets: list[str] | tuple[str, ...] = (),
        cities: list[str] | tuple[str, ...] = (),
        numbers: HouseNumbers | None = None,
    ) -> Vocabulary:
        return cls(
            StreetIndex(streets),
            frozenset(c.upper() for c in cities if c),
            numbers or HouseNumbers(),
        )


@dataclass(frozen=True)
class StreetPhrase:
    start: int
    end: int  # token index, exclusive
    street: StreetName
    evidence: float
    strong: bool  # a suffix, a known street or a numbered street: street-like on its own


def lower(doc: Doc, i: int) -> str:
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def is_num(token: Token) -> bool:
    return is_number_token(token.text)


def _directional(doc: Doc, i: int) -> str:
    return DIRECTIONALS.get(doc[i].text.upper().rstrip("."), "") if 0 <= i < len(doc) else ""


def _name_word(token: Token) -> bool:
    text = token.text
    return (
        token.is_alpha
        and not token.is_stop
        and len(text) > 1
        and not is_number_token(text)
        and token.lower_ not in CONNECTORS
        and unit_kind(text) is None
    )


def street_phrase(doc: Doc, i: int, vocab: Vocabulary, fuzzy: float = 0.85) -> StreetPhrase | None:
    """The street phrase starting at token ``i``, if there is one; ``fuzzy`` is the least
    similarity at which an unsuffixed name is taken for a known street."""
    n = len(doc)
    j = i
    predir = _directional(doc, j)
    if predir and j + 1 < n and (_name_word(doc[j + 1]) or ordinal_value([doc[j + 1].text])):
        j += 1
    else:
        predir = ""
    if lower(doc, j) == "county":
        # "County Road 40", and as recognizers write it: "County Route 40", "County, Road 40"
        k = j + 2 if lower(doc, j + 1) == "," else j + 1
        if lower(doc, k) in ("road", "rd", "route", "rte"):
            return _numbered_road(doc, i, k + 1, vocab)
    words: list[tuple[str, int]] = []  # (canonical word, token end after it)
    suffix = postdir = ""
    ordinal = False
    while j < n and len(words) < MAX_NAME_WORDS:
        token = doc[j]
        found = ordinal_value([t.text for t in doc[j : j + 2]])
        if found:
            value, used = found
            words.append((ordinal_text(value), j + used))
            ordinal = ordinal or len(words) == 1
            j += used
            continue
        upper = token.text.upper().rstrip(".")
        if words and upper in SUFFIXES and not (j + 1 < n and doc[j + 1].text.upper() in SUFFIXES):
            suffix = SUFFIXES[upper]
            j += 1
            # "Main Street North" ends with its directional; "Oak Street, North Fifth" does not.
            postdir = "" if j + 1 < n and _name_word(doc[j + 1]) else _directional(doc, j)
            j += 1 if postdir else 0
            break
        if not _name_word(token):
            break
        words.append((upper, j + 1))
        j += 1
    if not words:
        return None
    if len(words) == 1 and len(words[0][0]) < 3 and words[0][0] not in vocab.index.by_name:
        return None  # "en route" is no street; Ox Road is rare enough to need the gazetteer
    if suffix:
        street = StreetName(" ".join(w for w, _ in words), suffix, predir, postdir)
        if street.key in vocab.index:
            return StreetPhrase(i, j, street, 1.0, True)
        # A misheard name is normalized to the county's spelling when one known street is
        # the best match at the geocoder's own threshold ("Calhound Street" is Calhoun
        # Street, "Milk Street" Mill Street), so the entity names the street it is placed on.
        near = vocab.index.match(street, limit=3, min_score=SPELLING_FUZZY)
        if near and (len(near) == 1 or near[1].score < near[0].score):
            if not suffix_in_doubt(suffix, near[0].street, [m.street for m in near[1:]]):
                return StreetPhrase(i, j, near[0].street, 0.95, True)
        return StreetPhrase(i, j, street, 0.85, True)
    return _unsuffixed(doc, i, predir, words, ordinal, vocab, fuzzy)


def suffix_in_doubt(heard: str, best: StreetName, others: list[StreetName]) -> bool:
    """Whether respelling a heard street into ``best`` changes its suffix while another
    close street keeps it: "Wenmoor Way" is Wenmoor Place by name or Winmere Way by suffix
    and sound, so spelling alone cannot choose (the sound-alike scorer and the house
    number weigh it again)."""
    return best.suffix != heard and any(s.suffix == heard for s in others)


def _unsuffixed(
    doc: Doc,
    i: int,
    predir: str,
    words: list[tuple[str, int]],
    ordinal: bool,
    vocab: Vocabulary,
    fuzzy: float,
) -> StreetPhrase | None:
    # The longest run of name words the county knows wins ("Martin Luther King" before "Martin").
    for k in range(len(words), 0, -1):
        name = " ".join(w for w, _ in words[:k])
        keys = vocab.index.by_name.get(name)
        if keys:
            street = completed(StreetName(name, predir=predir), keys, vocab)
            return StreetPhrase(i, words[k - 1][1], street, 0.85, True)
    first, end = words[0]
    if first in SUFFIXES:
        return None  # a lone "Avenue" or "Street" names no street the county does not list
    for k in range(len(words), 0, -1):
        name = " ".join(w for w, _ in words[:k])
        heard = StreetName(name, predir=predir)
        matches = vocab.index.match(heard, limit=2, min_score=fuzzy) if len(name) > 3 else []
        if matches:
            best = matches[0]
            sure = (best.score >= 0.9 or fuzzy < 0.85) and (
                len(matches) == 1 or matches[1].score < best.score
            )
            return StreetPhrase(i, words[k - 1][1], best.street if sure else heard, 0.7, True)
    if ordinal:
        return StreetPhrase(i, end, StreetName(first, predir=predir), 0.6, True)
    token = doc[end - 1]
    if not len(vocab.index) and (token.is_title or token.pos_ == "PROPN"):
        # Without a gazetteer a capitalised word is the only hint; with one, an unknown
        # unsuffixed word is not a street ("Two Vehicle Wreck" is not 2 Vehicle).
        return StreetPhrase(i, end, StreetName(first, predir=predir), MIN_ADDRESS_EVIDENCE, False)
    return None


def completed(street: StreetName, keys: list[str], vocab: Vocabulary) -> StreetName:
    """Add the suffix the county's only street of that name has ("Oak" -> "OAK ST")."""
    fitting = [
        vocab.index.streets[k]
        for k in keys
        if not street.predir or vocab.index.streets[k].predir == street.predir
    ]
    return fitting[0] if len(fitting) == 1 else street


def _numbered_road(doc: Doc, i: int, j: int, vocab: Vocabulary) -> StreetPhrase | None:
    run, end = number_run(doc, j)
    number = spoken_number(run) if run else None
    if not number or len(number) > 3:
        return None
    street = StreetName(f"COUNTY ROAD {int(number)}")
    return StreetPhrase(i, end, street, 1.0 if street.key in vocab.index else 0.9, True)


def number_run(doc: Doc, i: int) -> tuple[list[str], int]:
    """The number words and digit groups from token ``i`` on, and the token index after
    them. Recognizers join spoken groups with hyphens ("12-20") and write digit-by-digit
    numbers with commas ("1, 6, 0"), sometimes both ("3, 1-2"); a comma only joins short
    digit groups."""
    words: list[str] = []
    # one run is joined by hyphens or by commas ("10-40, 1-5th" is two), unless digit by digit
    joiner = ""
    j = i
    while j < len(doc):
        text = doc[j].text
        if is_num(doc[j]):
            words.append(text)
            j += 1
        elif (
            words
            and j + 1 < len(doc)
            and is_num(doc[j + 1])
            and (joiner in ("", text) or _digit_by_digit(words, doc[j + 1].text))
            and (
                text == "-"
                or (text == "," and short_digits(doc[j - 1]) and short_digits(doc[j + 1]))
            )
        ):
            joiner = text
            j += 1
        else:
            break
    return words, j


def _digit_by_digit(words: list[str], following: str) -> bool:
    """Single digits so far and one more: a number read digit by digit may be written with
    commas and hyphens at once ("three one two" as "3, 1-2")."""
    return all(len(w) == 1 and w.isdigit() for w in (*words, following))


def continues_run(doc: Doc, i: int) -> bool:
    """Token ``i`` carries on a number run ("12 20", "10-40", "1, 6") rather than starting one."""
    if i > 0 and is_num(doc[i - 1]):
        return True
    return i > 1 and doc[i - 1].text in ("-", ",") and is_num(doc[i - 2])


def token_after(doc: Doc, i: int, numbers: int) -> int:
    """The first token of the run after its first ``numbers`` number tokens."""
    j = i
    while numbers and j < len(doc):
        numbers -= is_num(doc[j])
        j += 1
    while j < len(doc) and doc[j].text in ("-", ","):
        j += 1
    return j


def short_digits(token: Token) -> bool:
    return token.text.isdigit() and len(token.text) <= 2
