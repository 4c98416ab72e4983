"""The bounds every call source enforces on what it reads, and a JSON reader that keeps them.

A value the lake cannot hold (an integer past int64, a number of thousands of digits, a
label of megabytes) must become a typed error at the edge, never an ``OverflowError``
deep in a writer. The figures are settings (``SCANLAKE_MAX_*``, read once at import, so a
sensor, a run and the upload service agree) and the README states them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass(frozen=True)
class Limits:
    # A trunk-recorder call JSON is about 1-20 KiB; a long call's srcList stays far under this.
    max_json_bytes: int = _env_int("SCANLAKE_MAX_JSON_BYTES", 1 << 20)
    # Characters of one JSON number literal: int64 needs 20, a float's repr 24.
    max_number_chars: int = _env_int("SCANLAKE_MAX_NUMBER_CHARS", 64)
    # Characters of one label (system name, talkgroup tags, unit tags).
    max_label_chars: int = _env_int("SCANLAKE_MAX_LABEL_CHARS", 256)
    # Bytes of one call's audio: four hours of 8 kHz 16-bit WAV is 230 MB.
    max_audio_bytes: int = _env_int("SCANLAKE_MAX_AUDIO_BYTES", 256 << 20)
    # The first day a call may start on: the call-date partitions begin here. Early enough
    # for any digital-trunking archive; each day before it would be one more partition.
    first_call_date: dt.date = dt.date.fromisoformat(
        os.environ.get("SCANLAKE_FIRST_CALL_DATE") or "2000-01-01"
    )
    # How far ahead of this machine's clock a recorder's clock may run (a call stamped a
    # few seconds past UTC midnight arrives "tomorrow").
    max_clock_skew_s: int = _env_int("SCANLAKE_MAX_CLOCK_SKEW_S", 3600)

    def last_call_date(self, now: dt.datetime) -> dt.date:
        return (now + dt.timedelta(seconds=self.max_clock_skew_s)).astimezone(dt.UTC).date()


LIMITS = Limits()


class OutOfBounds(ValueError):
    """A value present and well-formed that scanlake will not keep (too big, too long)."""


def load_json(text: str | bytes, limits: Limits = LIMITS) -> object:
    """``json.loads`` that refuses a text over ``max_json_bytes`` and any number literal
    over ``max_number_chars`` before converting it, so neither time nor memory grows with
    what a file claims. Raises ``OutOfBounds`` or ``json.JSONDecodeError``."""
    if len(text) > limits.max_json_bytes:
        raise OutOfBounds(f"JSON of {len(text)} bytes, over the {limits.max_json_bytes} byte cap")

    def number(kind: type[int] | type[float]):  # type: ignore[no-untyped-def]
        def parse(literal: str) -> int | float:
            if len(literal) > limits.max_number_chars:
                raise OutOfBounds(
                    f"a number of {len(literal)} characters, over the {limits.max_number_chars} cap"
                )
            return kind(literal)

        return parse

    try:
        return json.loads(text, parse_int=number(int), parse_float=number(float))
    except RecursionError:
        raise OutOfBounds("JSON nested too deeply") from None


def check_call_date(start_time: dt.datetime, now: dt.datetime, limits: Limits = LIMITS) -> None:
    """Raise ``OutOfBounds`` for a call that starts before the first call date or further
    ahead of ``now`` than the allowed clock skew: its day has no partition."""
    day = start_time.astimezone(dt.UTC).date()
    if day < limits.first_call_date:
        raise OutOfBounds(f"call date {day} is before the first call date {limits.first_call_date}")
    if start_time > now + dt.timedelta(seconds=limits.max_clock_skew_s):
        raise OutOfBounds(
            f"call starts at {start_time.isoformat()}, over {limits.max_clock_skew_s} s ahead of {now.isoformat()}"
        )


def check_int64(value: int, what: str) -> int:
    if not INT64_MIN <= value <= INT64_MAX:
        raise OutOfBounds(f"{what} {short_repr(value)} does not fit a 64-bit integer")
    return value


def check_label(value: str, what: str, limits: Limits = LIMITS) -> str:
    if len(value) > limits.max_label_chars:
        raise OutOfBounds(f"{what} of {len(value)} characters, over the {limits.max_label_chars} cap")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, from a JSON "\ud800" escape
        raise OutOfBounds(f"{what} is not valid Unicode text") from None
    return value


def short_repr(value: object) -> str:
    # str() of an int past 4,300 digits raises; its bit length never does
    if isinstance(value, int) and value.bit_length() > 128:
        return f"{'-' if value < 0 else ''}~2^{value.bit_length()}"
    return repr(value)[:60]
