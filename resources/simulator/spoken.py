"""How dispatchers say numbers, codes and plates: the words a voice is given.

Every function returns plain words separated by single spaces, with no digits or
hyphens, because the voices read exactly these tokens and the ground truth's word list
is these tokens one by one.
"""

from __future__ import annotations

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_ONES = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
    "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
_ORDINAL_TENS = (
    "_ _ twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()
)

# APCO phonetic alphabet, the one US police radio uses ("Adam Boy Charles").
PHONETIC = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "Adam Boy Charles David Edward Frank George Henry Ida John King Lincoln Mary "
        "Nora Ocean Paul Queen Robert Sam Tom Union Victor William X-ray Young Zebra".split(),
        strict=True,
    )
)
# "X-ray" is one word on the air but the hyphen would split it for a tokenizer.
PHONETIC["X"] = "Xray"


def cardinal(n: int) -> str:
    """``1220`` -> ``one thousand two hundred twenty`` (American, no "and")."""
    if n < 0:
        raise ValueError(f"negative number: {n}")
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f" {_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {cardinal(rest)}" if rest else "")
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        return f"{cardinal(thousands)} thousand" + (f" {cardinal(rest)}" if rest else "")
    raise ValueError(f"number too large to speak: {n}")


def ordinal(n: int) -> str:
    """``5`` -> ``fifth``, ``21`` -> ``twenty first``."""
    if n < 20:
        return _ORDINAL_ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return f"{_TENS[tens]} {_ORDINAL_ONES[ones]}" if ones else _ORDINAL_TENS[tens]
    raise ValueError(f"ordinal too large: {n}")


def ordinal_suffix(n: int) -> str:
    """``5`` -> ``5th``, as street signs and gazetteers write it."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def digits(text: str) -> str:
    """``1220`` -> ``one two two zero``: each digit on its own, as for plates and IDs."""
    return " ".join(_ONES[int(ch)] for ch in text)


def paired(n: int) -> str:
    """A house number the way people read it: ``1220`` -> ``twelve twenty``,
    ``405`` -> ``four oh five``, ``1200`` -> ``twelve hundred``, ``2450`` -> ``twenty four fifty``.
    Five digits and more are read digit by digit."""
    if n < 100:
        return cardinal(n)
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        if rest == 0:
            return f"{_ONES[hundreds]} hundred"
        return f"{_ONES[hundreds]} " + (f"oh {_ONES[rest]}" if rest < 10 else cardinal(rest))
    if n < 10_000:
        high, low = divmod(n, 100)
        if low == 0:
            return f"{cardinal(high)} hundred" if high % 10 else f"{cardinal(high // 10)} thousand"
        return f"{cardinal(high)} " + (f"oh {_ONES[low]}" if low < 10 else cardinal(low))
    return digits(str(n))


def house_number(n: int, style: str) -> str:
    """A house number in one of the styles dispatchers use: ``paired``, ``digits`` or
    ``cardinal``."""
    if style == "paired":
        return paired(n)
    if style == "digits":
        return digits(str(n))
    if style == "cardinal":
        return cardinal(n)
    raise ValueError(f"unknown number style: {style}")


def ten_code(code: int) -> str:
    """``23`` -> ``ten twenty three`` (the code 10-23)."""
    return f"ten {cardinal(code)}"


def plate(chars: str) -> str:
    """``ABC123`` -> ``Adam Boy Charles one two three``."""
    words = []
    for ch in chars.upper():
        if ch.isdigit():
            words.append(_ONES[int(ch)])
        elif ch in PHONETIC:
            words.append(PHONETIC[ch])
        else:
            raise ValueError(f"plate character {ch!r} has no phonetic word")
    return " ".join(words)


def plate_written(chars: str) -> str:
    """How a transcriber writes a spoken plate: ``Adam Boy Charles 1 2 3``."""
    return " ".join(ch if ch.isdigit() else PHONETIC[ch].replace("Xray", "X-ray") for ch in chars)


def clock(hour: int, minute: int) -> str:
    """24-hour time as dispatch reads it: ``08:14`` -> ``zero eight fourteen``."""
    head = f"zero {_ONES[hour]}" if hour < 10 else cardinal(hour)
    if minute == 0:
        return f"{head} hundred"
    return f"{head} " + (f"zero {_ONES[minute]}" if minute < 10 else cardinal(minute))
