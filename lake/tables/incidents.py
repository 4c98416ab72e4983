"""The incident layer's tables: calls grouped into incidents, and each call's incident."""

from __future__ import annotations

import pyarrow as pa

from lake.tables.spec import UTC_TS, _f, _spec

INCIDENTS = _spec(
    "incidents",
    [
        _f("incident_id", pa.string(), False),
        # the day whose run wrote the row: an incident crossing UTC midnight has a row in
        # each day it has calls, the later one seeing every call (see assets/incidents)
        _f("call_date", pa.date32(), False),
        _f("incident_type", pa.string()),
        _f("place", pa.string()),
        _f("lat", pa.float64()),
        _f("lon", pa.float64()),
        _f("first_call_uid", pa.string(), False),
        _f("first_call_time", UTC_TS, False),
        _f("last_call_uid", pa.string(), False),
        _f("last_call_time", UTC_TS, False),
        _f("units", pa.list_(pa.string())),
        _f("talkgroups", pa.list_(pa.int64())),
        _f("status", pa.string(), False),  # dispatched, en_route, on_scene, cleared
        _f("call_count", pa.int32(), False),
        _f("grouped_at", UTC_TS, False),
    ],
    key=("incident_id", "call_date"),
    partition_by=("call_date",),
    description="Calls grouped into incidents (same place in a time window, shared units, "
    "talkgroup group, the dispatch/en route/on scene/clear sequence): type, place, first and "
    "last call, units and status. The id is 'inc-' plus the earliest call's call_uid.",
)

CALL_INCIDENTS = _spec(
    "call_incidents",
    [
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("incident_id", pa.string(), False),
        _f("grouped_at", UTC_TS, False),
    ],
    key=("call_uid",),
    partition_by=("call_date",),
    description="Each grouped call's incident, in the call's own call_date partition.",
)
