"""The audio layer's tables: normalized speech audio, calls whose audio failed, and which
copy of a transmission captured twice is kept."""

from __future__ import annotations

import pyarrow as pa

from lake.tables.spec import UTC_TS, _f, _spec

AUDIO_QUARANTINE = _spec(
    "audio_quarantine",
    [
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("processing_version", pa.int32(), False),
        _f("stage", pa.string(), False),
        _f("reason", pa.string(), False),
        _f("detail", pa.string()),
        _f("quarantined_at", UTC_TS, False),
    ],
    key=("call_uid",),
    partition_by=("call_date",),
    description="Calls whose audio could not be normalized, with the stage and reason.",
)

NORMALIZED_AUDIO = _spec(
    "normalized_audio",
    [
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("processing_version", pa.int32(), False),
        _f("audio_key", pa.string(), False),
        _f("audio_bytes", pa.int64(), False),
        _f("duration_s", pa.float64(), False),
        _f("sample_rate_hz", pa.int32(), False),
        # what came in, as probed and decoded (quality metrics below describe the input too)
        _f("input_format", pa.string()),
        _f("input_sample_rate_hz", pa.int32()),
        _f("input_channels", pa.int32()),
        _f("input_duration_s", pa.float64()),
        _f("rms_dbfs", pa.float64()),
        _f("peak_dbfs", pa.float64()),
        _f("clipping_ratio", pa.float64()),
        _f("snr_db", pa.float64()),
        _f("silence_ratio", pa.float64()),
        _f("speech_ratio", pa.float64()),
        _f("loudness_lufs", pa.float64()),
        _f("tier", pa.string(), False),
        _f("chain", pa.list_(pa.string())),
        # e.g. a truncated file that still decoded in part
        _f("warnings", pa.list_(pa.string())),
        _f("processing_ms", pa.float64()),
        _f("processed_at", UTC_TS, False),
    ],
    key=("call_uid",),
    partition_by=("call_date",),
    description="16 kHz mono FLAC speech audio per call, with quality metrics and tier.",
)

# Multi-site duplicates: one transmission captured by several sites or recorders of one
# system keeps its best copy; decided after normalization, where tier and SNR are known.
CALL_DUPLICATES = _spec(
    "call_duplicates",
    [
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        # the logical system (SCANLAKE_SYSTEMS) and this copy's capture: raw_calls' source
        # and system, e.g. ("trunk_recorder", "county-north")
        _f("system", pa.string(), False),
        _f("source", pa.string(), False),
        _f("capture_system", pa.string(), False),
        _f("talkgroup", pa.int64(), False),
        _f("start_time", UTC_TS, False),
        _f("tier", pa.string()),
        _f("snr_db", pa.float64()),
        # the copy kept for this transmission: itself when this row is the kept copy
        _f("kept_call_uid", pa.string(), False),
        _f("kept_call_date", pa.date32(), False),
        _f("is_duplicate", pa.bool_(), False),
        _f("copies", pa.int32(), False),  # copies of the transmission seen when decided
        _f("start_offset_s", pa.float64(), False),  # this copy's start minus the kept copy's
        _f("decided_at", UTC_TS, False),
    ],
    key=("call_uid",),
    partition_by=("call_date",),
    description="Each normalized call's copy decision: one transmission captured by several "
    "sites or recorders of one system (same talkgroup, starts within seconds) keeps its best "
    "copy (audio tier, then SNR); the others link to it and are not transcribed or alerted on.",
)
