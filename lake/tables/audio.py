"""The audio layer's tables: normalized speech audio, and calls whose audio failed."""

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
