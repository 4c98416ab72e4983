"""The entity layer's tables: entities found in transcripts, and the record of which
transcript each call's entities came from."""

from __future__ import annotations

import pyarrow as pa

from lake.tables.spec import UTC_TS, _f, _spec

ENTITIES = _spec(
    "entities",
    [
        _f("entity_id", pa.string(), False),
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("model_id", pa.string(), False),
        _f("label", pa.string(), False),
        _f("text", pa.string(), False),
        _f("normalized", pa.string()),
        _f("detail", pa.string()),
        _f("start_char", pa.int32()),
        _f("end_char", pa.int32()),
        _f("start_s", pa.float64()),
        _f("end_s", pa.float64()),
        _f("confidence", pa.float64()),
    ],
    key=("entity_id",),
    partition_by=("call_date",),
    description="Addresses, intersections, units, 10-codes, incident types and plates.",
)

ENTITY_EXTRACTIONS = _spec(
    "entity_extractions",
    [
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("model_id", pa.string(), False),
        _f("extractor_version", pa.string(), False),
        _f("transcribed_at", UTC_TS, False),
        _f("entity_count", pa.int32(), False),
        _f("extracted_at", UTC_TS, False),
    ],
    key=("call_uid", "model_id"),
    partition_by=("call_date",),
    description="Which transcript (and which version of it) each call's entities came from, "
    "including calls with none: the record that makes entity extraction incremental.",
)
