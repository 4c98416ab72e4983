"""The names an alert gives its call: the talkgroup's imported alias (else the tag the
recorder wrote) and the units heard, each named beside its id ("Engine 12 (1201)").

Names come from ``lake.queries.aliases``, the one place ids are resolved to names (rules
included), so an alert names a unit exactly as the app does. Without imported aliases no
query is made and the recorder's own tags are used.
"""

from __future__ import annotations

import pyarrow as pa

from lake import delta
from lake.duckdb import connect
from lake.location import LakeLocation
from lake.queries.aliases import beside, talkgroup_names, unit_names
from lake.tables import TALKGROUP_ALIASES, UNIT_ALIASES

# raw_calls columns the names are made from
CALL_COLUMNS = ["call_uid", "system", "talkgroup", "talkgroup_tag", "units"]


def named_calls(location: LakeLocation, calls: pa.Table) -> pa.Table:
    """``calls`` (raw_calls rows with CALL_COLUMNS) with ``talkgroup_alias`` (null when
    none is imported) and ``unit_names``."""
    rows = calls.to_pylist()
    tg_names: dict[tuple[str, int], str] = {}
    names: dict[tuple[str, int], str] = {}
    imported = delta.exists(location, UNIT_ALIASES) or delta.exists(location, TALKGROUP_ALIASES)
    if rows and imported:
        con = connect(location, extensions=("delta",))
        try:
            tg_names = talkgroup_names(con, [(r["system"], r["talkgroup"]) for r in rows])
            names = unit_names(
                con, [(r["system"], u["unit_id"]) for r in rows for u in r["units"] or []]
            )
        finally:
            con.close()
    aliases, heard = [], []
    for r in rows:
        aliases.append(tg_names.get((r["system"], r["talkgroup"])))
        named: dict[int, str] = {}
        for u in r["units"] or []:
            if u["unit_id"] is not None:
                unit = u["unit_id"]
                named.setdefault(unit, beside(names.get((r["system"], unit)) or u.get("tag"), unit))
        heard.append(list(named.values()))
    return calls.append_column("talkgroup_alias", pa.array(aliases, pa.string())).append_column(
        "unit_names", pa.array(heard, pa.list_(pa.string()))
    )
