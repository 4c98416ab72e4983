"""Unit and talkgroup names for the app, notebooks and alerts: the imported aliases
(``unit_aliases``, ``talkgroup_aliases``) of the ids a result shows, found in one query.

A unit's name is the first line of its system's unitTagsFile that names it (an exact id, or
a rule matched with RE2, DuckDB's linear-time regular expressions), else the first line of
a file for every system ("*"). An imported name comes before the tag the recorder wrote
into the call (which was its own unitTagsFile when it recorded): the import is the
current naming, and it also names calls from sources without tags. Names are shown
beside the id, "Engine 12 (1201)", so the id stays searchable and checkable.

Names are user text: the app escapes them like every other label.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import duckdb
import pandas as pd

UNIT_NAMES_SQL = """
WITH u AS (
    SELECT DISTINCT unnest($systems) AS system, unnest($ids) AS unit_id
), rules AS (
    SELECT system, line, pattern, partial, alias FROM unit_aliases WHERE pattern IS NOT NULL
), named AS (
    SELECT u.system, u.unit_id, a.system = '*' AS fallback, a.line, a.alias
    FROM u JOIN unit_aliases a
      ON a.unit_id = u.unit_id AND a.pattern IS NULL AND a.system IN (u.system, '*')
    UNION ALL
    SELECT u.system, u.unit_id, r.system = '*', r.line,
           CASE WHEN r.partial
                THEN regexp_replace(regexp_extract(u.unit_id::VARCHAR, r.pattern), r.pattern, r.alias)
                ELSE regexp_replace(u.unit_id::VARCHAR, r.pattern, r.alias) END
    FROM u JOIN rules r ON r.system IN (u.system, '*')
    WHERE CASE WHEN r.partial THEN regexp_matches(u.unit_id::VARCHAR, r.pattern)
               ELSE regexp_full_match(u.unit_id::VARCHAR, r.pattern) END
)
SELECT system, unit_id, arg_min(alias, (CASE WHEN fallback THEN 1 ELSE 0 END) * 4294967296 + line) AS alias
FROM named
GROUP BY system, unit_id
"""

TALKGROUP_NAMES_SQL = """
WITH t AS (
    SELECT DISTINCT unnest($systems) AS system, unnest($talkgroups) AS talkgroup
)
SELECT t.system, t.talkgroup, arg_min(a.alias, a.system = '*') AS alias
FROM t JOIN talkgroup_aliases a ON a.talkgroup = t.talkgroup AND a.system IN (t.system, '*')
GROUP BY t.system, t.talkgroup
"""

Pair = tuple[str, int]


def _lookup(con: duckdb.DuckDBPyConnection, sql: str, ids: str, pairs: Iterable[Pair]) -> dict[Pair, str]:
    wanted = sorted({(str(s), int(i)) for s, i in pairs if s is not None and i is not None})
    if not wanted:
        return {}
    params = {"systems": [s for s, _ in wanted], ids: [i for _, i in wanted]}
    return {(s, int(i)): alias for s, i, alias in con.execute(sql, params).fetchall() if alias}


def unit_names(con: duckdb.DuckDBPyConnection, pairs: Iterable[Pair]) -> dict[Pair, str]:
    """The imported name of each (system, unit id) that has one."""
    return _lookup(con, UNIT_NAMES_SQL, "ids", pairs)


def talkgroup_names(con: duckdb.DuckDBPyConnection, pairs: Iterable[Pair]) -> dict[Pair, str]:
    """The imported name (Alpha Tag) of each (system, talkgroup) that has one."""
    return _lookup(con, TALKGROUP_NAMES_SQL, "talkgroups", pairs)


def beside(name: str | None, ident: object) -> str:
    """A name beside its id, or the id alone."""
    return f"{name} ({ident})" if name else str(ident)


def _id(value: object) -> int | None:
    """An id from a result cell: None for a missing one (None, NaN, NA)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return None
    return int(value)  # type: ignore[call-overload]


def _present(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _units(row: Mapping[str, object]) -> list[tuple[int, str | None]]:
    ids = row.get("unit_ids")
    tags = row.get("unit_tags")
    ids = [] if ids is None else list(ids)  # type: ignore[call-overload]
    tags = [None] * len(ids) if tags is None else list(tags)  # type: ignore[call-overload]
    pairs = [(_id(i), t if _present(t) else None) for i, t in zip(ids, tags, strict=False)]
    return [(i, t) for i, t in pairs if i is not None]


def name_rows(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """Rows with ``system`` and ``talkgroup`` (and optionally ``talkgroup_tag``,
    ``unit_ids``, ``unit_tags``), each given ``talkgroup_name`` ("Fire Dispatch (101)"),
    ``unit_names`` (["Engine 12 (1201)", ...], in srcList order, each unit once) and
    ``unit_name_of`` (unit id -> its name beside its id)."""
    tg_pairs = [(r.get("system"), _id(r.get("talkgroup"))) for r in rows]
    unit_pairs = [(r.get("system"), u) for r in rows for u, _ in _units(r)]
    talkgroups = talkgroup_names(con, tg_pairs)  # type: ignore[arg-type]
    units = unit_names(con, unit_pairs)  # type: ignore[arg-type]
    out = []
    for r in rows:
        system, tg = r.get("system"), _id(r.get("talkgroup"))
        recorded = r.get("talkgroup_tag")
        tg_alias = talkgroups.get((system, tg)) if tg is not None else None  # type: ignore[arg-type]
        named: dict[int, str] = {}
        for unit, tag in _units(r):
            named.setdefault(unit, beside(units.get((system, unit)) or tag, unit))  # type: ignore[arg-type]
        out.append(
            {
                **r,
                "talkgroup_name": beside(tg_alias or (recorded if _present(recorded) else None), tg)
                if tg is not None
                else None,
                "unit_names": list(named.values()),
                "unit_name_of": named,
            }
        )
    return out


def name_frame(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> pd.DataFrame:
    """``name_rows`` over a query result (an empty one gains the two columns too)."""
    if frame.empty:
        return frame.assign(talkgroup_name=pd.Series(dtype=object), unit_names=pd.Series(dtype=object))
    named = name_rows(con, frame.to_dict("records"))
    return frame.assign(
        talkgroup_name=[r["talkgroup_name"] for r in named],
        unit_names=[r["unit_names"] for r in named],
    )
