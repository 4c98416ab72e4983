"""The transcript layer's tables: one transcript per call and model, its timed words, and
editors' corrections."""

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
        # the radio id that transmitted the word (srcList joined with the word's time, see
        # assets/transcripts/speakers.py); null without a srcList and in rows written before
        # the column existed
        _f("unit_id", pa.int64()),
    ],
    key=("call_uid", "model_id", "word_index"),
    partition_by=("call_date",),
    description="Each transcript word with its start and end time in the call audio, and the "
    "unit (radio id) that transmitted it.",
)

# Append-only and versioned: an editor's correction of a call's transcript is version
# base_version + 1, and never overwrites another. The "effective transcript" of a call is
# its newest version (lake.effective); the machine rows in ``transcripts`` stay as they
# were. Written only by the ``transcript_corrections`` asset, from requests the Call page
# leaves in the object store, so the table has one writer and a lineage.
TRANSCRIPT_CORRECTIONS = _spec(
    "transcript_corrections",
    [
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        # 1, 2, ...: the newest is the call's effective text
        _f("version", pa.int32(), False),
        _f("text", pa.string(), False),
        _f("editor", pa.string(), False),
        # when the editor submitted it; committed_at is when the asset wrote it
        _f("edited_at", UTC_TS, False),
        _f("note", pa.string()),
        # what the editor corrected: 0 and the machine transcript, or an earlier version
        _f("base_version", pa.int32(), False),
        _f("base_model_id", pa.string()),
        _f("base_text_sha256", pa.string(), False),
        # the Call page's request, so a retried commit of one request is recognised
        _f("request_id", pa.string(), False),
        _f("committed_at", UTC_TS, False),
    ],
    key=("call_uid", "version"),
    partition_by=("call_date",),
    description="Editors' corrections of call transcripts, append-only: each is a new version "
    "of the call's text with who (editor), when (edited_at), why (note) and what it corrected "
    "(base version, model and a SHA-256 of the text the editor saw). Search, entities, places, "
    "incidents and alerts read the newest version over the machine transcript.",
)
