"""Token patterns for UNIT, TEN_CODE, HIGHWAY, MILE_MARKER and INCIDENT_TYPE (run by a
spaCy SpanRuler), and the functions that turn each match into a normalized candidate.

Patterns may match more than the entity ("Interstate 65 176", "mile marker 42 10"), so
each normalizer reads only the number it owns and may end the span earlier.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from assets.entities.candidates import Candidate
from assets.entities.codes import IncidentTaxonomy, TenCodes
from assets.entities.lexicon import (
    HIGHWAY_SYSTEMS,
    STATE_NAMES,
    UNIT_KINDS,
    mile_marker_word,
    unit_kind,
)
from radiotext.spoken import TEENS, TENS, UNITS, is_number_token, spoken_number

NUM = {"_": {"radio_num": True}}
UNIT_WORD = {"_": {"radio_unit": {"NOT_IN": [""]}}}
_ONES = sorted(w for w in UNITS if w not in ("o",))
_WORDS = sorted(set(UNITS) | set(TEENS) | set(TENS))
_TEN_CODE_TOKEN = re.compile(r"^10-?([1-9]\d{0,2})$")
# "ten" clipped to its last sound: the recognizer writes "ten-eight" as "N-8"
_CLIPPED_TEN_CODE = re.compile(r"^[Nn]-([1-9]\d{0,2})$")
_HIGHWAY_TOKEN = re.compile(r"^([A-Za-z]{1,2})-?(\d{1,3})$")
_DECIMAL = re.compile(r"^\d+\.\d+$")


def patterns(taxonomy: IncidentTaxonomy) -> list[dict[str, object]]:
    """SpanRuler patterns: token patterns for the numbered labels, phrases for incidents."""
    num_words = {"LOWER": {"IN": _WORDS}}
    ones = {"LOWER": {"IN": _ONES}, "OP": "?"}
    dash = {"ORTH": "-", "OP": "?"}
    out: list[dict[str, object]] = [
        {"label": "UNIT", "pattern": [UNIT_WORD, NUM]},
        {
            "label": "UNIT",
            "pattern": [UNIT_WORD, {"LOWER": {"IN": sorted(TENS)}}, {"LOWER": {"IN": _ONES}}],
        },
        {"label": "TEN_CODE", "pattern": [{"ORTH": "10"}, dash, NUM]},
        {"label": "TEN_CODE", "pattern": [{"LOWER": "ten"}, dash, num_words, ones]},
        {"label": "TEN_CODE", "pattern": [{"TEXT": {"REGEX": r"^10-?[1-9]\d{0,2}$"}}]},
        {"label": "TEN_CODE", "pattern": [{"TEXT": {"REGEX": _CLIPPED_TEN_CODE.pattern}}]},
        {
            # "Unit 23, and 23,": a unit's status after its callsign, "ten" heard as "and"
            "label": "TEN_CODE",
            "id": "after_callsign",
            "pattern": [UNIT_WORD, NUM, {"ORTH": ","}, {"LOWER": {"IN": ["and", "n"]}}, NUM, {"ORTH": {"IN": [",", "."]}}],
        },
        {"label": "HIGHWAY", "pattern": [{"LOWER": {"IN": ["interstate", "i"]}}, dash, NUM, ones]},
        {"label": "HIGHWAY", "pattern": [{"TEXT": {"REGEX": r"^(?i:i|us|sr|[a-z]{2})-\d{1,3}$"}}]},
        {"label": "HIGHWAY", "pattern": [{"TEXT": {"REGEX": r"^(?i:i|us|sr)\d{1,3}$"}}]},
        {
            "label": "HIGHWAY",
            "pattern": [
                {"LOWER": {"IN": ["us", "u.s."]}},
                {"LOWER": {"IN": ["highway", "route", "hwy"]}, "OP": "?"},
                NUM,
                ones,
            ],
        },
        {
            "label": "HIGHWAY",
            "pattern": [{"LOWER": "u"}, {"LOWER": {"IN": ["s", "s."]}}, NUM, ones],
        },
        {
            "label": "HIGHWAY",
            "pattern": [{"LOWER": {"IN": ["highway", "hwy", "route", "sr"]}}, NUM, ones],
        },
        {
            "label": "HIGHWAY",
            "pattern": [
                {"LOWER": "state"},
                {"LOWER": {"IN": ["route", "highway", "road"]}},
                NUM,
                ones,
            ],
        },
        {
            "label": "HIGHWAY",
            "pattern": [
                {"LOWER": {"IN": sorted(STATE_NAMES)}},
                {"LOWER": {"IN": ["highway", "route"]}, "OP": "?"},
                NUM,
                ones,
            ],
        },
        {
            "label": "MILE_MARKER",
            "pattern": [
                {"LOWER": "mile"},
                {"LOWER": {"IN": ["marker", "markers", "maker", "post"]}},
                {**NUM, "OP": "+"},
            ],
        },
        {
            "label": "MILE_MARKER",
            "pattern": [
                {"_": {"radio_mile": True}},
                {"LOWER": {"IN": ["marker", "markers", "maker"]}},
                {**NUM, "OP": "+"},
            ],
        },
        {
            "label": "MILE_MARKER",
            "pattern": [
                {"LOWER": "mile"},
                {"LOWER": {"IN": ["marker", "post"]}},
                {**NUM, "OP": "+"},
                {"LOWER": "point"},
                {**NUM, "OP": "+"},
            ],
        },
        {
            "label": "MILE_MARKER",
            "pattern": [{"LOWER": "mm"}, {**NUM, "OP": "+"}],
        },
        {
            "label": "MILE_MARKER",
            "pattern": [{"_": {"radio_mile_marker": True}}, {**NUM, "OP": "+"}],
        },
    ]
    for code, phrases in taxonomy.phrases.items():
        out += [{"label": "INCIDENT_TYPE", "pattern": phrase, "id": code} for phrase in phrases]
    return out


def _leading_number(words: list[str], max_digits: int) -> tuple[str, int] | None:
    """The number at the start of ``words``: one digit token, or a run of number words;
    returns its digits and how many words it used."""
    if not words:
        return None
    if words[0][:1].isdigit():
        digits = spoken_number([words[0]])
        return (digits, 1) if digits and len(digits) <= max_digits else None
    used = 0
    while used < len(words) and not words[used][:1].isdigit() and is_number_token(words[used]):
        used += 1
    for k in range(used, 0, -1):
        digits = spoken_number(words[:k])
        if digits and len(digits) <= max_digits:
            return digits, k
    return None


def normalize(span: Span, codes: TenCodes, highways: frozenset[str]) -> Candidate | None:
    label = span.label_
    words = [t.text for t in span]
    if label == "UNIT":
        kind = unit_kind(words[0])
        found = _leading_number(words[1:], 3)
        if kind is None or found is None:
            return None
        exact = words[0].lower() in UNIT_KINDS[kind]
        return Candidate(
            label,
            span.start,
            span.start + 1 + found[1],
            f"{kind} {int(found[0])}",
            None,
            0.9 if exact else 0.6,
        )
    if label == "TEN_CODE":
        return _ten_code(span, words, codes)
    if label == "HIGHWAY":
        return _highway(span, words, highways)
    if label == "MILE_MARKER":
        return _mile_marker(span, words)
    if label == "INCIDENT_TYPE":
        return Candidate(label, span.start, span.end, span.id_, None, 0.85)
    return None


def _ten_code(span: Span, words: list[str], codes: TenCodes) -> Candidate | None:
    if span.id_ == "after_callsign":
        number = int(words[4]) if words[4].isdigit() and len(words[4]) == 2 else 0
        return _clipped_ten_code(span.start + 3, span.start + 5, number, codes)
    if clipped := _CLIPPED_TEN_CODE.match(words[0]):
        return _clipped_ten_code(span.start, span.end, int(clipped.group(1)), codes)
    token = _TEN_CODE_TOKEN.match(words[0])
    if token and len(words) == 1:
        number, end = int(token.group(1)), span.end
        if "-" not in words[0] and codes.meaning(number) is None:
            return None  # "1076" is a code only if the table knows 10-76
    else:
        rest = [w for w in words[1:] if w != "-"]
        found = _leading_number(rest, 3)
        if found is None:
            return None
        number = int(found[0])
        end = span.end - (len(rest) - found[1])
    meaning = codes.meaning(number)
    prior = 0.9 if meaning else 0.5
    return Candidate("TEN_CODE", span.start, end, f"10-{number}", meaning, prior)


def _clipped_ten_code(start: int, end: int, number: int, codes: TenCodes) -> Candidate | None:
    """A code whose "ten" was clipped ("N-8", "and 23"): only one the table knows, and less
    sure than one heard whole."""
    meaning = codes.meaning(number)
    return Candidate("TEN_CODE", start, end, f"10-{number}", meaning, 0.6) if meaning else None


def _highway(span: Span, words: list[str], highways: frozenset[str]) -> Candidate | None:
    lowered = [w.lower() for w in words]
    token = _HIGHWAY_TOKEN.match(words[0]) if len(words) == 1 else None
    if token:
        head, digits, used = token.group(1).lower(), token.group(2), 1
    else:
        numbers_from = next((k for k, w in enumerate(words) if is_number_token(w)), None)
        if numbers_from is None:
            return None
        found = _leading_number(words[numbers_from:], 3)
        if found is None:
            return None
        head = "us" if lowered[:2] == ["u", "s"] or lowered[0] == "u.s." else lowered[0]
        digits, used = found[0], numbers_from + found[1]
    prefix = (
        STATE_NAMES.get(head)
        or HIGHWAY_SYSTEMS.get(head)
        or (head.upper() if len(head) == 2 else None)
    )
    if prefix is None:
        return None
    name = f"{prefix}-{int(digits)}"
    if name not in highways:
        # "Highway 82" is whichever system the county's road 82 belongs to.
        same_number = [h for h in highways if h.rsplit("-", 1)[-1] == str(int(digits))]
        if len(same_number) == 1 and prefix in ("HWY", "RT", "SR"):
            name = same_number[0]
    return Candidate(
        "HIGHWAY", span.start, span.start + used, name, None, 0.9 if name in highways else 0.75
    )


def _mile_marker(span: Span, words: list[str]) -> Candidate | None:
    lowered = [w.lower() for w in words]
    first = 1 if lowered[0] == "mm" or mile_marker_word(words[0]) else 2
    rest = words[first:]
    if rest and _DECIMAL.match(rest[0]):
        return Candidate(
            "MILE_MARKER",
            span.start,
            span.start + first + 1,
            str(float(rest[0])).rstrip("0").rstrip("."),
            None,
            0.9,
        )
    found = _leading_number(rest, 4)
    if found is None:
        return None
    value, used = str(int(found[0])), found[1]
    tail = [w.lower() for w in rest[used:]]
    if tail[:1] == ["point"]:
        decimals = _leading_number(rest[used + 1 :], 2)
        if decimals:
            value, used = f"{value}.{decimals[0]}", used + 1 + decimals[1]
    return Candidate("MILE_MARKER", span.start, span.start + first + used, value, None, 0.9)
