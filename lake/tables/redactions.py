"""The takedown audit table: what was removed, by whom and why."""

from __future__ import annotations

import pyarrow as pa

from lake.tables.spec import UTC_TS, _f, _spec

REMOVED_ROWS = pa.struct([_f("table_name", pa.string()), _f("rows", pa.int64())])

REDACTIONS = _spec(
    "redactions",
    [
        _f("redaction_id", pa.string(), False),
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32()),
        _f("requested_by", pa.string(), False),
        _f("reason", pa.string()),
        _f("redacted_at", UTC_TS, False),
        _f("rows_removed", pa.list_(REMOVED_ROWS)),
        _f("objects_removed", pa.list_(pa.string())),
        _f("files_vacuumed", pa.int64()),
    ],
    key=("redaction_id",),
    description="Audit trail of takedowns: who removed which call, when and why, and what was "
    "removed (rows per table, object keys). The call's own data is gone; this row stays.",
)
