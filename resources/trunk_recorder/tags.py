"""trunk-recorder's alias files, read as trunk-recorder reads them: ``unitTagsFile`` (unit
names, with regular-expression rules) and ``talkgroupsFile`` (talkgroup names), the latter
also in the CSV that RadioReference exports for a system's talkgroups.

unitTagsFile (docs/CONFIGURE.md, trunk-recorder/unit_tags.cc): no header; two columns,
``unit,name``. The unit is a decimal radio id, or a regular expression that must match the
whole id, or ``/regex/`` that may match part of it. In the name, ``$1``, ``$2`` ... are the
capture groups. The first line that matches an id names it, so a specific id written
above a rule wins over it. RadioReference publishes no unit ids, so there is no RR unit
format to import.

talkgroupsFile: a header on the first line naming the columns (``Decimal`` first; also
Hex, Alpha Tag, Mode, Description, Tag, Category, Priority, Preferred NAC, Comment), which
is also RadioReference's talkgroup CSV (``"Decimal","Hex","Alpha Tag","Mode",
"Description","Tag","Category"``). A file without a header is read in trunk-recorder's older
fixed order: Decimal, Hex, Mode, Alpha Tag, Description, Tag, Group, Priority.

Bad lines are data, not exceptions: each becomes a ``BadLine`` with its line number, and
the rest of the file is read. Rules are user text run against every unit id shown, so they
are bounded in length and must compile under RE2 (DuckDB's regular expressions, which the
lake's queries evaluate them with): RE2 runs in time linear in the input, so no rule can
backtrack catastrophically, and the backtracking-only features (back-references,
look-around) are refused at import with their line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import duckdb

from resources.bounds import OutOfBounds, check_int64, check_label

T = TypeVar("T")
MAX_RULE_CHARS = 200
MAX_FILE_BYTES = 16 << 20
_DECIMAL = re.compile(r"[0-9]+")
# boost's format_all template escapes, as RE2's: $n -> \n, $& -> \0, $$ -> $, \ -> \\
_TEMPLATE = re.compile(r"\$([0-9])|\$&|\$\$|\\")


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str
    text: str = ""

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class UnitTag:
    """One line of a unitTagsFile: an exact id (``unit_id``) or a rule (``pattern``, RE2,
    searched when ``partial`` else fully matched; ``alias`` is then an RE2 template)."""

    line: int
    alias: str
    unit_id: int | None = None
    pattern: str | None = None
    partial: bool = False


@dataclass(frozen=True)
class TalkgroupTag:
    line: int
    talkgroup: int
    alias: str
    description: str | None = None
    tag: str | None = None
    category: str | None = None
    mode: str | None = None


@dataclass
class Parsed(Generic[T]):
    rows: list[T] = field(default_factory=list)
    bad: list[BadLine] = field(default_factory=list)


def _checked_re2() -> Callable[[str, str], str | None]:
    con = duckdb.connect()

    def check(pattern: str, template: str) -> str | None:
        try:
            con.execute("SELECT regexp_replace('0', $p, $t)", {"p": pattern, "t": template})
        except duckdb.Error as exc:
            return str(exc).split("Error: ", 1)[-1]
        return None

    return check


def re2_template(name: str) -> str:
    """A unitTagsFile name as an RE2 replacement template."""

    def swap(m: re.Match[str]) -> str:
        token = m.group(0)
        if m.group(1) is not None:
            return "\\" + m.group(1)
        return {"$&": "\\0", "$$": "$", "\\": "\\\\"}[token]

    return _TEMPLATE.sub(swap, name)


def _lines(text: str) -> list[str]:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise OutOfBounds(f"file of over {MAX_FILE_BYTES} bytes")
    return text.lstrip("\ufeff").splitlines()


def _fields(line: str) -> list[str]:
    # trunk-recorder separates with commas (quoted fields allowed) or, in old files, tabs
    row = next(csv.reader([line]), [])
    if len(row) < 2 and "\t" in line:
        row = line.split("\t")
    return [f.strip(" \t") for f in row]


def parse_unit_tags(text: str) -> Parsed[UnitTag]:
    """Every line of a unitTagsFile, in file order (the order that decides which names)."""
    out: Parsed[UnitTag] = Parsed()
    check = _checked_re2()
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = _fields(line)
        try:
            out.rows.append(_unit_tag(number, row, check))
        except (ValueError, OutOfBounds) as exc:
            out.bad.append(BadLine(number, str(exc), line[:120]))
    return out


def _unit_tag(number: int, row: list[str], check: Callable[[str, str], str | None]) -> UnitTag:
    if len(row) < 2 or not row[0] or not row[1]:
        raise ValueError("expected two columns: unit id (or rule), name")
    unit, name = row[0], check_label(row[1], "unit name")
    if _DECIMAL.fullmatch(unit):
        return UnitTag(number, name, unit_id=check_int64(int(unit), "unit id"))
    if len(unit) > MAX_RULE_CHARS:
        raise ValueError(f"rule of {len(unit)} characters, over the {MAX_RULE_CHARS} cap")
    partial = len(unit) >= 2 and unit.startswith("/") and unit.endswith("/")
    pattern = unit[1:-1] if partial else unit
    template = re2_template(name)
    problem = check(pattern, template)
    if problem:
        raise ValueError(f"rule {unit!r} is not a regular expression RE2 accepts: {problem}")
    wanted = max((int(g) for g in re.findall(r"\$([0-9])", name)), default=0)
    if wanted > _groups(pattern):
        raise ValueError(f"name {name!r} uses ${wanted} but rule {unit!r} has fewer groups")
    return UnitTag(number, template, pattern=pattern, partial=partial)


def _groups(pattern: str) -> int:
    """Capture groups of an RE2 pattern, counted by Python's compiler (compiling matches
    nothing, so it cannot backtrack); a pattern only RE2 reads is not checked."""
    try:
        return re.compile(pattern).groups
    except re.error:
        return 9


# header names (lowercase) -> our field; "dec" and "group" are older trunk-recorder names
_TG_COLUMNS = {
    "decimal": "talkgroup", "dec": "talkgroup", "alpha tag": "alias", "description": "description",
    "tag": "tag", "category": "category", "group": "category", "mode": "mode",
}
_TG_LEGACY = ["talkgroup", "hex", "mode", "alias", "description", "tag", "category", "priority"]


def parse_talkgroups(text: str) -> Parsed[TalkgroupTag]:
    """Every talkgroup of a talkgroupsFile or a RadioReference talkgroup CSV. A talkgroup
    listed twice keeps its first line; the second is reported."""
    out: Parsed[TalkgroupTag] = Parsed()
    lines = _lines(text)
    rows = list(csv.reader(lines))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if header and header[0] in ("decimal", "dec"):
        names, first = [_TG_COLUMNS.get(h, h) for h in header], 1
    else:
        names, first = _TG_LEGACY, 0
    seen: dict[int, int] = {}
    for number, row in enumerate(rows[first:], start=first + 1):
        if not any(c.strip() for c in row):
            continue
        values = dict(zip(names, (c.strip() for c in row), strict=False))
        try:
            tg = _talkgroup(number, values)
        except (ValueError, OutOfBounds) as exc:
            out.bad.append(BadLine(number, str(exc), lines[number - 1][:120]))
            continue
        if tg.talkgroup in seen:
            out.bad.append(BadLine(number, f"talkgroup {tg.talkgroup} already named on line {seen[tg.talkgroup]}"))
            continue
        seen[tg.talkgroup] = number
        out.rows.append(tg)
    return out


def _talkgroup(number: int, values: dict[str, str]) -> TalkgroupTag:
    decimal = values.get("talkgroup", "")
    if not _DECIMAL.fullmatch(decimal):
        raise ValueError(f"Decimal {decimal[:40]!r} is not a decimal talkgroup number")
    alias = values.get("alias") or values.get("description")
    if not alias:
        raise ValueError("neither an Alpha Tag nor a Description")
    opt = {k: check_label(values[k], k) or None for k in ("description", "tag", "category", "mode") if k in values}
    return TalkgroupTag(
        number, check_int64(int(decimal), "talkgroup"), check_label(alias, "alpha tag"), **opt
    )

