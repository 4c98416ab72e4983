"""The tone layer's tables: paging tones heard in calls, and which calls were scanned."""

from __future__ import annotations

import pyarrow as pa

from lake.tables.spec import UTC_TS, _f, _spec

TONES = _spec(
    "tones",
    [
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("tone_index", pa.int32(), False),
        _f("tone_type", pa.string(), False),
        _f("freqs_hz", pa.list_(pa.float64())),
        _f("start_s", pa.float64(), False),
        _f("end_s", pa.float64(), False),
        _f("station", pa.string()),
        _f("detail", pa.string()),
        _f("detector_version", pa.int32(), False),
        _f("detected_at", UTC_TS, False),
    ],
    key=("call_uid", "tone_index"),
    partition_by=("call_date",),
    description="Paging tones heard in a call's raw audio: two-tone (Quick Call II), long, "
    "hi-low, pulsed, DTMF (digits in detail) and MDC1200 (op/arg/unit in detail), with times in "
    "seconds into the call and the named station a two-tone or long tone pages.",
)

TONE_SCANS = _spec(
    "tone_scans",
    [
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("detector_version", pa.int32(), False),
        _f("tones", pa.int32(), False),
        _f("error", pa.string()),
        _f("scanned_at", UTC_TS, False),
    ],
    key=("call_uid",),
    partition_by=("call_date",),
    description="One row per call scanned for tones (with how many were found, or why the "
    "audio could not be scanned), so a call without tones is not scanned again.",
)
