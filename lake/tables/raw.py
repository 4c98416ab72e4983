"""The raw layer's tables: calls as delivered, and deliveries that could not be ingested."""

from __future__ import annotations

import pyarrow as pa

from lake.tables.spec import UTC_TS, _f, _spec

UNIT = pa.struct(
    [
        _f("unit_id", pa.int64()),
        _f("tag", pa.string()),
        _f("pos_s", pa.float64()),
        _f("emergency", pa.bool_()),
    ]
)
FREQ = pa.struct(
    [
        _f("freq_hz", pa.int64()),
        _f("pos_s", pa.float64()),
        _f("len_s", pa.float64()),
        _f("error_count", pa.int64()),
        _f("spike_count", pa.int64()),
    ]
)

RAW_CALLS = _spec(
    "raw_calls",
    [
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("call_hour", pa.int8(), False),
        _f("system", pa.string(), False),
        _f("talkgroup", pa.int64(), False),
        _f("talkgroup_tag", pa.string()),
        _f("talkgroup_description", pa.string()),
        _f("talkgroup_group", pa.string()),
        _f("talkgroup_group_tag", pa.string()),
        _f("start_time", UTC_TS, False),
        _f("stop_time", UTC_TS),
        _f("duration_s", pa.float64(), False),
        _f("freq_hz", pa.int64()),
        _f("emergency", pa.bool_()),
        _f("encrypted", pa.bool_()),
        _f("audio_type", pa.string()),
        _f("audio_key", pa.string(), False),
        _f("audio_bytes", pa.int64(), False),
        _f("units", pa.list_(UNIT)),
        _f("freqs", pa.list_(FREQ)),
        _f("source", pa.string(), False),
        _f("source_ref", pa.string()),
        _f("ingested_at", UTC_TS, False),
    ],
    key=("call_uid",),
    partition_by=("call_date",),
    description="One row per radio call, deduplicated by call_uid (system, talkgroup, start).",
)

RAW_QUARANTINE = _spec(
    "raw_quarantine",
    [
        _f("source", pa.string(), False),
        _f("source_ref", pa.string(), False),
        _f("call_uid", pa.string()),
        _f("reason", pa.string(), False),
        _f("detail", pa.string()),
        _f("quarantined_at", UTC_TS, False),
    ],
    key=("source", "source_ref", "reason"),
    description="Call deliveries that could not be ingested, with the reason.",
)
