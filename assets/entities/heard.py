"""The street after a house number when the recognizer split or respelled it: "1030
carrying can drive" is 1030 Carrington Drive if the county's streets and address file
say so clearly enough (see ``radiotext.soundalike``); and a house number the
recognizer broke into groups ("27, 9-7, Ashfield Lane"), read as the street allows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from spacy.tokens import Doc

from assets.entities.lexicon import CONNECTORS, unit_kind
from assets.entities.numbers import teen_ty_readings
from assets.entities.phrases import StreetPhrase, Vocabulary, lower, street_phrase
from assets.entities.syllables import respelled, sound_of
from radiotext.soundalike import (
    CANDIDATE_FLOOR,
    HELD,
    HeardStreet,
    best_heard,
    heard_streets,
    number_fit,
)
from radiotext.streets import SUFFIXES

_MAX_WORDS = 3
# The name bar for a street the house number singles out: any candidate the scorer keeps.
# The number and the suffix do the choosing (one street near the name holds the number,
# with the suffix heard); a name bar of its own (0.6 until round 6) only turned away
# streets those two had already singled out ("661 however street" is Tolliver Street).
NARROWED_ACCEPT = CANDIDATE_FLOOR
_MAX_DIGITS = 5
# A tens word written as the letters it sounds like, with the group said after it: base
# writes "eighty-four forty-three" as "AD-443" and "eighty-five eighty-three" as "AD-5, AD-3".
_TENS_APART = re.compile(r"^([2-9])0([1-9])$")  # "803": eighty, then three
_HEARD_TENS = re.compile(r"^(?:AD|A\.D\.)(?:-(\d{1,3}))?$")


def _word(doc: Doc, i: int) -> bool:
    """A token that may be part of a heard name: letters, not "and", not a unit."""
    if i >= len(doc):
        return False
    token = doc[i]
    return token.is_alpha and token.lower_ not in CONNECTORS and unit_kind(token.text) is None


def _suffix(doc: Doc, i: int) -> str:
    return SUFFIXES.get(doc[i].text.upper().rstrip("."), "") if i < len(doc) else ""


def _ends_a_name(word: str, vocab: Vocabulary) -> bool:
    """Whether a county street's name ends in ``word`` (Brockgrove in GROVE)."""
    tail = word.upper()
    return any(name.endswith(tail) and name != tail for name in vocab.index.by_name)


def spans(doc: Doc, k: int) -> list[tuple[list[str], str, int]]:
    """(heard words, heard suffix, end token) for each reading of the words at ``k``:
    one to three words, with the suffix that follows them (a comma may stand between:
    "Carver, Place") or without one. A suffix word no other suffix follows may also be the
    name's last syllable: "Brock Grove" is Brockgrove (``heard_phrase`` reads it so only
    where a county name ends in it)."""
    out = []
    for width in range(1, _MAX_WORDS + 1):
        if not all(_word(doc, i) for i in range(k, k + width)):
            break
        words = [doc[i].text for i in range(k, k + width)]
        at = k + width
        comma = not _suffix(doc, at) and at < len(doc) and doc[at].text == ","
        at += comma
        suffix = _suffix(doc, at)
        out.append((words, suffix, at + 1 if suffix else k + width))
        if suffix:
            if not comma and not _suffix(doc, at + 1):
                out.append(([*words, doc[at].text], "", at + 1))
            break
    return out


def heard_phrase(
    doc: Doc,
    k: int,
    number: str | None,
    vocab: Vocabulary,
    lead: str | None = None,
    bare: bool = False,
    accept: float | None = None,
    until: int | None = None,
) -> StreetPhrase | None:
    """The county's street heard at token ``k``, scored over every reading of the words
    there (number words also as they sound: "one would" is WUN WOULD); ``lead`` is a
    syllable heard just before them as a digit ("4-Field Lane"); ``bare``: a corner's
    side, where names are said without suffixes; ``accept``: the bar, if not the
    sound-alike scorer's own; ``until``: only readings that end at that token (a corner's
    first side ends at its "and"). None when no street is sure enough."""
    if not len(vocab.index):
        return None
    n = int(number) if number and number.isdigit() else None
    best: dict[str, tuple[HeardStreet, int]] = {}
    # A lone letter before the words may be the name's first sound: "N orally Place" is
    # Norley Place (the letter is otherwise a directional or a connector).
    single = k < len(doc) and len(doc[k].text) == 1 and doc[k].is_alpha
    letter = doc[k].text if single and not lead else None
    tries = [(lead, span) for span in spans(doc, k)]
    tries += [(letter, span) for span in spans(doc, k + 1)] if letter else []
    heard_with: list[tuple[HeardStreet, str]] = []
    for first, (heard, suffix, end) in tries:
        if until is not None and end != until:
            continue
        if not suffix and _suffix(doc, end - 1) and not _ends_a_name(heard[-1], vocab):
            continue  # "however street" is no Tolliver Street: no name ends in STREET
        words = [first, *heard] if first else heard
        for variant in (words, respelled(words)):
            if variant is None:
                continue
            for h in heard_streets(vocab.index, variant, suffix, n, vocab.numbers.by_street, bare):
                heard_with.append((h, suffix))
                if h.key not in best or h.score > best[h.key][0].score:
                    best[h.key] = (h, end)
    ranked = sorted((h for h, _ in best.values()), key=lambda h: (-h.score, h.key))
    chosen = best_heard(ranked, accept)
    if chosen is None and (key := singled_out(heard_with, n, vocab.numbers.by_street)):
        chosen = best[key][0]
    if chosen is None:
        return None
    return StreetPhrase(k, best[chosen.key][1], chosen.street, min(0.95, chosen.score), True)


def singled_out(
    heard: Iterable[tuple[HeardStreet, str]],
    number: int | None,
    numbers: Mapping[str, frozenset[int]],
    bar: float = NARROWED_ACCEPT,
) -> str | None:
    """The one street among the sound-alikes at or above ``bar`` (each given with the
    suffix heard after its words, "" for none) whose address file lists the house number or
    holds it between its listed numbers, taken when the suffix heard is its own ("117-9,
    London Street" is 1179 Lindett Street when no street near the name but Lindett Street
    holds 1179). None with no number, with no suffix heard (words with neither may be no street
    at all: "Mile Marker 240, 1 lane block"), with another suffix heard, or when no street
    or more than one holds the number, whatever its suffix (the name may be the heard
    street's and the suffix the misheard part): a doubtful match is left unplaced rather
    than placed wrong."""
    if number is None:
        return None
    alike = [(h, suffix) for h, suffix in heard if h.name_score >= bar]
    holding = {h.key for h, _ in alike if number_fit(numbers.get(h.key), number) >= HELD}
    if len(holding) != 1:
        return None
    key = holding.pop()
    return (
        key
        if any(h.key == key and suffix == h.street.suffix != "" for h, suffix in alike)
        else None
    )


def heard_tens(text: str) -> str | None:
    """The digits of a tens word written as it sounds ("AD" for eighty) and the group
    written after it: "AD-443" is 8443 (eighty-four forty-three), "AD-5" 85, "AD-05" 8005,
    a bare "AD" 80. None for any other token."""
    found = _HEARD_TENS.match(text)
    if not found:
        return None
    tail = found.group(1) or ""
    return f"8{tail}" if tail[:1] not in ("", "0") else f"80{tail}"


def _group(text: str) -> str | None:
    return text if text.isdigit() else heard_tens(text)


def _digit_groups(doc: Doc, start: int) -> tuple[list[str], int]:
    """Digit groups from ``start`` joined by commas and hyphens in any mix ("27, 9-7",
    "4, 183", "10-4, 7", "AD-5, AD-3"), at most five digits in all, and the token after
    them."""
    groups: list[str] = []
    j = start
    while j < len(doc) and (group := _group(doc[j].text)):
        if sum(map(len, groups)) + len(group) > _MAX_DIGITS:
            break
        groups.append(group)
        j += 1
        if j + 1 < len(doc) and doc[j].text in (",", "-") and _group(doc[j + 1].text):
            j += 1
    return groups, j


def readings(groups: list[str]) -> list[str]:
    """What digit groups a recognizer broke up may have been: all of them run together,
    or the last few (the first may be a unit's or a code's), each with its teen/ty swaps;
    and each with a tens word and its unit written apart read together ("eighty three oh
    five" written "803-05" is 8305)."""
    tens = [_TENS_APART.sub(r"\1\2", g) for g in groups]
    out = []
    for parts in (groups, tens) if tens != groups else (groups,):
        whole = ["".join(parts[i:]) for i in range(len(parts))]
        out += [r for w in whole for r in (w, *teen_ty_readings(w))]
    return [r for r in dict.fromkeys(out) if r.isdigit() and int(r) > 0]


def loose_address(doc: Doc, start: int, vocab: Vocabulary) -> tuple[str, StreetPhrase] | None:
    """A house number broken into comma- and hyphen-joined groups, then a street: taken
    only when the street is the county's and one reading of the groups is a number on
    it (listed, or between its listed numbers). Which reading and which street win is
    decided together: the number narrows the streets, the street the readings."""
    groups, j = _digit_groups(doc, start)
    heard = any(not doc[t].text.isdigit() for t in range(start, j) if doc[t].text not in ",-")
    if len(groups) < 2 and not heard:
        return None
    k = j + 1 if lower(doc, j) in (",", "-") else j
    known = street_phrase(doc, k, vocab)
    # The last group may be a syllable of the name said as a digit: "60-6-9-4-Field Lane"
    # is 6069 Thornfield Lane. Then the groups before it are the number.
    lead = sound_of(groups[-1]) if doc[k - 1].text != "," else None
    tries = [(r, None) for r in readings(groups)]
    tries += [(r, lead) for r in readings(groups[:-1])] if lead else []
    best: tuple[float, str, StreetPhrase] | None = None
    for reading, syllable in tries:
        phrase = known if known and known.street.key in vocab.index and not syllable else None
        phrase = phrase or heard_phrase(doc, k, reading, vocab, syllable)
        if phrase is None:
            continue
        fit = number_fit(vocab.numbers.by_street.get(phrase.street.key), int(reading))
        if fit >= HELD and (best is None or (fit, phrase.evidence) > (best[0], best[2].evidence)):
            best = (fit, reading, phrase)
    return (best[1], best[2]) if best else None
