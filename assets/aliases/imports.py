"""Importing alias files into ``unit_aliases`` and ``talkgroup_aliases``.

Each configured file is read whole and replaces its system's rows: a line removed from the
file is gone from the table after the next import. A file that cannot be read leaves its
system's rows as they were (a file briefly missing while an editor saves it must not wipe
every name). Bad lines are reported with their file and line number; the rest is imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from lake import delta
from lake.location import LakeLocation
from lake.tables import UNIT_ALIASES, TableSpec, conform
from resources.aliases import AliasFile
from resources.bounds import OutOfBounds
from resources.trunk_recorder.tags import Parsed, parse_talkgroups, parse_unit_tags


@dataclass(frozen=True)
class Problem:
    """A line (0: the whole file) that was not imported, and why."""

    table: str
    system: str
    path: str
    line: int
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"file": self.path, "system": self.system, "line": self.line, "reason": self.reason}


@dataclass
class Imported:
    spec: TableSpec
    rows: pa.Table
    systems: list[str] = field(default_factory=list)  # whose rows these replace
    problems: list[Problem] = field(default_factory=list)


def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8", errors="strict")


def import_files(
    spec: TableSpec,
    files: Sequence[AliasFile],
    now: dt.datetime,
    read: Callable[[str], str] = _read,
) -> Imported:
    """Every row of ``files`` (unit tags for UNIT_ALIASES, talkgroups otherwise)."""
    parse = parse_unit_tags if spec is UNIT_ALIASES else parse_talkgroups
    out = Imported(spec, spec.empty())
    rows: list[dict[str, Any]] = []
    for f in files:
        try:
            parsed: Parsed[Any] = parse(read(f.path))
        except (OSError, UnicodeDecodeError, OutOfBounds) as exc:
            out.problems.append(Problem(spec.name, f.system, f.path, 0, f"not read: {exc}"))
            continue
        out.systems.append(f.system)
        out.problems.extend(
            Problem(spec.name, f.system, f.path, bad.line, bad.reason) for bad in parsed.bad
        )
        common = {"system": f.system, "source_file": f.path, "imported_at": now}
        rows.extend({**vars(r), **common} for r in parsed.rows)
    out.rows = conform(pa.Table.from_pylist(rows, schema=spec.schema), spec) if rows else spec.empty()
    return out


def write(location: LakeLocation, imported: Imported) -> int:
    """Replace the imported systems' rows: the new rows merged, the ones no longer in their
    file deleted. Returns the rows deleted."""
    spec = imported.spec
    if not imported.systems:
        return 0
    existing = delta.read(location, spec, list(spec.key))
    mine = existing.filter(pc.is_in(existing["system"], pa.array(imported.systems, pa.string())))
    new_keys = set(zip(*(imported.rows[k].to_pylist() for k in spec.key), strict=True))
    stale = mine.filter(
        pa.array(
            [key not in new_keys for key in zip(*(mine[k].to_pylist() for k in spec.key), strict=True)],
            pa.bool_(),
        )
    )
    delta.merge(location, spec, imported.rows)
    return delta.delete_where_keys(location, spec, stale)
