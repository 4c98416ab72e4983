"""Names for radio ids: unit and talkgroup aliases imported from alias files.

Unit and talkgroup names come from trunk-recorder's unitTagsFile and talkgroupsFile (or a
RadioReference talkgroup CSV), written by the ``aliases`` asset (assets/aliases). Small and
unpartitioned: an import replaces the rows of the systems whose files it read. ``system``
is a trunk-recorder shortName, or "*" for a file naming every system's ids.
"""

from __future__ import annotations

import pyarrow as pa

from lake.tables.spec import UTC_TS, _f, _spec

UNIT_ALIASES = _spec(
    "unit_aliases",
    [
        _f("system", pa.string(), False),
        # the file's line: the first line that matches an id names it
        _f("line", pa.int32(), False),
        # an exact radio id, or null for a rule
        _f("unit_id", pa.int64()),
        # a rule: an RE2 pattern over the decimal id, matched whole unless ``partial``
        _f("pattern", pa.string()),
        _f("partial", pa.bool_()),
        # the name; for a rule, an RE2 template (\1 is the first capture group)
        _f("alias", pa.string(), False),
        _f("source_file", pa.string(), False),
        _f("imported_at", UTC_TS, False),
    ],
    key=("system", "line"),
    description="Unit (radio id) names from a unitTagsFile: exact ids and regular-expression "
    "rules, one row per line, in file order.",
)

TALKGROUP_ALIASES = _spec(
    "talkgroup_aliases",
    [
        _f("system", pa.string(), False),
        _f("talkgroup", pa.int64(), False),
        _f("alias", pa.string(), False),  # the Alpha Tag (else the Description)
        _f("description", pa.string()),
        _f("tag", pa.string()),
        _f("category", pa.string()),
        _f("mode", pa.string()),
        _f("line", pa.int32(), False),
        _f("source_file", pa.string(), False),
        _f("imported_at", UTC_TS, False),
    ],
    key=("system", "talkgroup"),
    description="Talkgroup names from a talkgroupsFile or a RadioReference talkgroup CSV.",
)
