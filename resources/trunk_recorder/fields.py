"""Typed reads of one JSON object's fields, each failure naming the field and its value.

Strict where trunk-recorder is (a bool is not a number, 1.5 is not an integer), lenient
only where real files are not: flags as 0/1 or booleans, counts as numeric strings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import TypeVar

from resources.bounds import OutOfBounds, check_int64, check_label, short_repr

T = TypeVar("T")


class FieldError(ValueError):
    pass


class FieldOutOfRange(FieldError):
    """A well-formed value scanlake will not keep: past int64, or a label too long."""


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
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise FieldError(f"{where}{key} is {short_repr(v)}, not a number")
    if isinstance(v, int):
        # a number is stored as an int64 or a float64; an int past int64 fits neither exactly
        _in_bounds(check_int64, v, f"{where}{key}")
    elif not math.isfinite(v):
        raise FieldError(f"{where}{key} is {v!r}, not a number")
    return v


def _in_bounds(check: Callable[[T, str], T], value: T, what: str) -> T:
    try:
        return check(value, what)
    except OutOfBounds as exc:
        raise FieldOutOfRange(str(exc)) from None


def integer(
    d: Mapping[str, object], key: str, required: bool = False, where: str = "", numeric_text: bool = False
) -> int | None:
    v = get(d, key, required, where)
    if v is None:
        return None
    if numeric_text and isinstance(v, str) and re.fullmatch(r"-?\d{1,19}", v.strip()):
        return _in_bounds(check_int64, int(v), f"{where}{key}")
    value = number(d, key, required, where)
    if value is None or value != int(value):
        raise FieldError(f"{where}{key} is {v!r}, not an integer")
    return _in_bounds(check_int64, int(value), f"{where}{key}")


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
        raise FieldError(f"{where}{key} is {short_repr(v)}, not a string")
    return _in_bounds(check_label, v, f"{where}{key}")


def items(d: Mapping[str, object], key: str) -> list[object]:
    v = get(d, key, False, "")
    if v is None:
        return []
    if not isinstance(v, list):
        raise FieldError(f"{key} is {type(v).__name__}, not a list")
    return v
