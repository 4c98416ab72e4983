"""Typed reads of one JSON object's fields, each failure naming the field and its value.

Strict where trunk-recorder is (a bool is not a number, 1.5 is not an integer), lenient
only where real files are not: flags as 0/1 or booleans, counts as numeric strings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping


class FieldError(ValueError):
    pass


def get(d: Mapping[str, object], key: str, required: bool, where: str) -> object:
    if key not in d or d[key] is None:
        if required:
            raise FieldError(f"missing {where}{key}")
        return None
    return d[key]


def number(d: Mapping[str, object], key: str, required: bool = False, where: str = "") -> float | None:
    v = get(d, key, required, where)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise FieldError(f"{where}{key} is {v!r}, not a number")
    return v


def integer(
    d: Mapping[str, object], key: str, required: bool = False, where: str = "", numeric_text: bool = False
) -> int | None:
    v = get(d, key, required, where)
    if v is None:
        return None
    if numeric_text and isinstance(v, str) and re.fullmatch(r"-?\d+", v.strip()):
        return int(v)
    value = number(d, key, required, where)
    if value is None or value != int(value):
        raise FieldError(f"{where}{key} is {v!r}, not an integer")
    return int(value)


def req_number(d: Mapping[str, object], key: str, where: str = "") -> float:
    v = number(d, key, True, where)
    assert v is not None  # number raised for a missing required field
    return v


def req_int(d: Mapping[str, object], key: str, where: str = "") -> int:
    v = integer(d, key, True, where)
    assert v is not None  # integer raised for a missing required field
    return v


def floating(d: Mapping[str, object], key: str, where: str = "") -> float | None:
    v = number(d, key, False, where)
    return None if v is None else float(v)


def flag(d: Mapping[str, object], key: str, where: str = "") -> bool:
    v = get(d, key, False, where)
    if v is None:
        return False
    if isinstance(v, bool) or v in (0, 1):
        return bool(v)
    raise FieldError(f"{where}{key} is {v!r}, not 0/1")


def string(d: Mapping[str, object], key: str, required: bool = False, where: str = "") -> str | None:
    v = get(d, key, required, where)
    if v is None:
        return None
    if not isinstance(v, str):
        raise FieldError(f"{where}{key} is {v!r}, not a string")
    return v


def items(d: Mapping[str, object], key: str) -> list[object]:
    v = get(d, key, False, "")
    if v is None:
        return []
    if not isinstance(v, list):
        raise FieldError(f"{key} is {type(v).__name__}, not a list")
    return v
