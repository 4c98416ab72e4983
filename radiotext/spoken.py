"""How numbers are spoken in radio addresses, unit names and plates.

Dispatchers say house numbers in pairs ("twelve twenty" is 1220, "twelve oh five" is 1205),
digit by digit ("one two two zero") or as cardinals ("twelve hundred"); speech recognizers
write them back as words, as digits, or split ("12 20", "4.56", "1-2-3"). These helpers turn
any of those into the digit string that was meant. They are shared by the entity extractor
and the street normalizer, so both read "Fifth" and "5th" the same way.
"""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "niner": 9,
}  # fmt: skip
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
}  # fmt: skip
NUMBER_WORDS = frozenset(UNITS) | frozenset(TEENS) | frozenset(TENS) | frozenset(SCALES)

_DIGITS = re.compile(r"^\d+$")
# "1,220", "4.56", "12-20", "1-2-3": digit groups an ASR joined with punctuation
_DIGIT_GROUPS = re.compile(r"^\d+(?:[.,\-]\d+)*$")
_ORDINAL_DIGITS = re.compile(r"^(\d+)(st|nd|rd|th)$", re.IGNORECASE)


def ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "TH"
    return {1: "ST", 2: "ND", 3: "RD"}.get(n % 10, "TH")


def ordinal_text(n: int) -> str:
    """``5`` becomes ``5TH``: the canonical spelling of a numbered street."""
    return f"{n}{ordinal_suffix(n)}"


def ordinal_value(words: list[str]) -> tuple[int, int] | None:
    """The ordinal at the start of ``words`` and how many words it took: ``["twenty",
    "third"]`` is (23, 2), ``["5th"]`` is (5, 1), ``["fifth"]`` is (5, 1)."""
    if not words:
        return None
    first = words[0].lower()
    found = _ORDINAL_DIGITS.match(first)
    if found:
        return int(found.group(1)), 1
    if first in ORDINAL_WORDS:
        return ORDINAL_WORDS[first], 1
    if first in TENS and len(words) > 1:
        second = words[1].lower()
        if second in ORDINAL_WORDS and ORDINAL_WORDS[second] < 10:
            return TENS[first] + ORDINAL_WORDS[second], 2
    return None


def is_number_token(word: str) -> bool:
    """A word that can be part of a spoken or written number."""
    lowered = word.lower()
    return lowered in NUMBER_WORDS or bool(_DIGIT_GROUPS.match(lowered))


def digit_chunks(words: list[str]) -> list[str]:
    """The digit strings a run of number words and digits stands for, one per spoken group.

    ``twelve twenty`` gives ["12", "20"]; ``twelve oh five`` gives ["12", "05"];
    ``one two two zero`` gives ["1", "2", "2", "0"]; ``twenty two`` gives ["22"];
    ``4.56`` gives ["4", "56"]. Cardinals with scales are handled by :func:`spoken_number`.
    """
    chunks: list[str] = []
    i = 0
    lowered = [w.lower() for w in words]
    while i < len(lowered):
        word = lowered[i]
        if _DIGIT_GROUPS.match(word):
            chunks.extend(re.split(r"[.,\-]", word))
        elif word in TENS:
            nxt = lowered[i + 1] if i + 1 < len(lowered) else ""
            if nxt in UNITS and UNITS[nxt] > 0 and nxt not in ("oh", "o"):
                chunks.append(str(TENS[word] + UNITS[nxt]))
                i += 1
            else:
                chunks.append(str(TENS[word]))
        elif word in TEENS:
            chunks.append(str(TEENS[word]))
        elif word in ("oh", "o"):
            nxt = lowered[i + 1] if i + 1 < len(lowered) else ""
            if nxt in UNITS and UNITS[nxt] > 0:
                chunks.append(f"0{UNITS[nxt]}")
                i += 1
            else:
                chunks.append("0")
        elif word in UNITS:
            chunks.append(str(UNITS[word]))
        else:
            raise ValueError(f"not a number word: {word!r}")
        i += 1
    return chunks


def spoken_number(words: list[str]) -> str | None:
    """The digits a spoken number stands for, or None if ``words`` are not a number.

    Pairs and digit runs are concatenated (house-number style); a run with "hundred" or
    "thousand" is read as a cardinal ("twelve hundred" is 1200, "one thousand two hundred
    twenty" is 1220, "twenty one hundred" is 2100).
    """
    if not words or not all(is_number_token(w) for w in words):
        return None
    lowered = [w.lower() for w in words]
    if any(w in SCALES for w in lowered):
        return _cardinal(lowered)
    return "".join(digit_chunks(words)) or None


def _cardinal(words: list[str]) -> str | None:
    total, current = 0, 0
    for word in words:
        if _DIGITS.match(word):
            current += int(word)
        elif word in UNITS:
            current += UNITS[word]
        elif word in TEENS:
            current += TEENS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return str(total + current)
