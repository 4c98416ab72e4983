"""Addresses as speech recognizers garble them, read back as the county's streets allow.

tiny.en writes a house number and a numbered street in regular wrong ways; each form
below was seen on the simulator's radio calls ("six seventy Fifth Street" and so on):
- a tens word fused into the ordinal: "6-75th Street" is 670 5th Street;
- the whole number fused into it: "635th Street" is 630 5th, "2024th Street" 202 4th;
- the ordinal written as a bare number before the suffix: "4, 10-8, Street" and
  "410-8, Street" are 410 8th Street, "868 Street" is 860 8th Street;
- a tens group then its unit: "290-2" is 292 ("two ninety two"), "270 for" is 274;
- "four" heard as "for": "48 for Walnut Street" is 484 Walnut Street.
A numbered street is only read out of a number when the county has that street and not
the one the recognizer wrote (there is a 5th Street, no 75th or 635th).
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from assets.entities.heard import heard_phrase
from assets.entities.phrases import (
    StreetPhrase,
    Vocabulary,
    completed,
    lower,
    short_digits,
    street_phrase,
)
from radiotext.spoken import ordinal_text, spoken_number
from radiotext.streets import SUFFIXES, StreetName

_TWO_DIGIT_ORDINAL = re.compile(r"^([2-9])([1-9])(ST|ND|RD|TH)$")
_LONG_ORDINAL = re.compile(r"^(\d{2,4})([1-9])(st|nd|rd|th)$", re.IGNORECASE)
_FOUR = ("for", "fore")


def merge_tens(groups: list[str]) -> list[str]:
    """A digit group of hundreds and tens followed by a lone digit is one number, as said
    ("two ninety two" written "290-2", "one twenty five" written "120 5")."""
    out: list[str] = []
    for g in groups:
        prev = out[-1] if out else ""
        if len(prev) >= 3 and prev.isdigit() and prev.endswith("0") and _one_digit(g):
            out[-1] = prev[:-1] + g
        else:
            out.append(g)
    return out


def heard_four(doc: Doc, run: list[str], after: int, vocab: Vocabulary) -> tuple[list[str], int]:
    """The run with a "for" after it taken as its last digit, when a street follows: one
    written as a street, or one the county has heard with that number ("1470 for one
    more place" is 1474 Wenmoor Place, "fourteen seventy-four")."""
    if not run or lower(doc, after) not in _FOUR:
        return run, after
    four = [*run, "4"]
    number = spoken_number(merge_tens(four))
    if street_phrase(doc, after + 1, vocab) is not None or (
        number and heard_phrase(doc, after + 1, number, vocab) is not None
    ):
        return four, after + 1
    return run, after


def reread(
    doc: Doc, run: list[str], after: int, k: int, phrase: StreetPhrase | None, vocab: Vocabulary
) -> tuple[list[str], StreetPhrase | None]:
    """The run and street phrase after the numbered street is read out of what the
    recognizer ran together with the number (``k`` is where the street was looked for)."""
    if phrase is not None:
        fused = _TWO_DIGIT_ORDINAL.match(phrase.street.name)
        leading = spoken_number(run) or ""
        # only the first pair of a paired number ("six" of "six seventy") takes the tens
        if not fused or phrase.street.key in vocab.index or len(leading) > 2:
            return run, phrase
        street = _numbered(int(fused.group(2)), phrase.street, vocab)
        if street is None:
            return run, phrase
        return [*run, f"{fused.group(1)}0"], replace(phrase, street=street, evidence=0.85)
    numbered = _numbered_before_suffix(doc, k, vocab)
    if numbered is not None:
        return run, numbered
    # the run's own last group may be the ordinal ("410-8, Street", "868 Street")
    last = doc[after - 1].text
    numbered = _numbered_before_suffix(doc, after - 1, vocab) if len(run) > 1 else None
    if numbered is not None:
        return run[:-1], numbered
    prefix = _prefix_number(last[:-1]) if last.isdigit() and last == run[-1] else None
    street = _suffixed(doc, after, int(last[-1]), vocab) if prefix and last[-1] != "0" else None
    return ([*run[:-1], prefix], street) if prefix and street else (run, None)


def fused_address(doc: Doc, i: int, vocab: Vocabulary) -> tuple[str, StreetPhrase] | None:
    """A house number and ordinal written as one ordinal the county has no street for
    ("635th Street"): the number and the street phrase, or None."""
    found = _LONG_ORDINAL.match(doc[i].text)
    if not found:
        return None
    whole = StreetName(ordinal_text(int(found.group(1) + found.group(2))))
    if vocab.index.by_name.get(whole.name):
        return None
    j = i + 1
    suffix = SUFFIXES.get(doc[j].text.upper().rstrip(".")) if j < len(doc) else None
    street = _numbered(int(found.group(2)), StreetName(whole.name, suffix or ""), vocab)
    number = _prefix_number(found.group(1))
    if street is None or number is None:
        return None
    end = j + 1 if suffix else j
    return number, StreetPhrase(i, end, street, 0.8, True)


def _prefix_number(prefix: str) -> str | None:
    """What was said before the ordinal took the last digit: "63" of "635th" was "six
    thirty", "202" of "2024th" was "two oh two". "10" of "108" would be "one hundred",
    which no ordinal swallows: not a house number."""
    if len(prefix) == 3:
        return prefix
    return f"{prefix}0" if len(prefix) == 2 and prefix[1] != "0" else None


def _numbered(ones: int, heard: StreetName, vocab: Vocabulary) -> StreetName | None:
    """The county's numbered street ``ones`` with what was heard of its suffix."""
    street = replace(heard, name=ordinal_text(ones))
    if street.key in vocab.index:
        return street
    keys = vocab.index.by_name.get(street.name) if not street.suffix else None
    street = completed(street, keys, vocab) if keys else street
    return street if street.key in vocab.index else None


def _suffixed(doc: Doc, j: int, ones: int, vocab: Vocabulary) -> StreetPhrase | None:
    """The county's numbered street ``ones`` when a street suffix stands at token ``j``
    (after an optional comma)."""
    j = j + 1 if lower(doc, j) == "," else j
    suffix = SUFFIXES.get(doc[j].text.upper().rstrip(".")) if j < len(doc) else None
    street = StreetName(ordinal_text(ones), suffix or "")
    if not suffix or street.key not in vocab.index:
        return None
    return StreetPhrase(j, j + 1, street, 0.8, True)  # below a "10-8, Street" code's bar


def _numbered_before_suffix(doc: Doc, i: int, vocab: Vocabulary) -> StreetPhrase | None:
    """A one- or two-digit number and a street suffix ("8, Street") naming a numbered
    street the county has."""
    if not (0 <= i < len(doc) and short_digits(doc[i])) or int(doc[i].text) == 0:
        return None
    found = _suffixed(doc, i + 1, int(doc[i].text), vocab)
    return replace(found, start=i) if found is not None else None


def _one_digit(text: str) -> bool:
    return len(text) == 1 and text in "123456789"
