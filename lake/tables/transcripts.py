"""The transcript layer's tables: one transcript per call and model, and its timed words."""

from __future__ import annotations

import pyarrow as pa

from lake.tables.spec import UTC_TS, _f, _spec

TRANSCRIPTS = _spec(
    "transcripts",
    [
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("model_id", pa.string(), False),
        _f("model_version", pa.string()),
        _f("text", pa.string(), False),
        _f("language", pa.string()),
        _f("avg_logprob", pa.float64()),
        _f("no_speech_prob", pa.float64()),
        _f("compression_ratio", pa.float64()),
        _f("confidence", pa.float64()),
        _f("flags", pa.list_(pa.string())),
        # the text is in doubt as a whole (a loop or an echoed prompt survived the re-decodes):
        # later layers read no places from it. Null in rows written before the column existed.
        _f("hallucinated", pa.bool_()),
        _f("processing_ms", pa.float64()),
        _f("transcribed_at", UTC_TS, False),
    ],
    key=("call_uid", "model_id"),
    partition_by=("call_date",),
    description="One transcript per call and model; older models stay queryable.",
)

TRANSCRIPT_WORDS = _spec(
    "transcript_words",
    [
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("model_id", pa.string(), False),
        _f("word_index", pa.int32(), False),
        _f("word", pa.string(), False),
        _f("start_s", pa.float64()),
        _f("end_s", pa.float64()),
        _f("probability", pa.float64()),
    ],
    key=("call_uid", "model_id", "word_index"),
    partition_by=("call_date",),
    description="Each transcript word with its start and end time in the call audio.",
)
