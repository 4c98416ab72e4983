"""The one registry of lake tables: name, explicit schema, key and partition columns.

A table's layout is declared here and nowhere else. Writers conform their data to these
schemas before every commit, so a column that drifts in type fails loudly at the write.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

UTC_TS = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class TableSpec:
    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    partition_by: tuple[str, ...] = ()
    description: str = ""

    @property
    def columns(self) -> list[str]:
        return list(self.schema.names)

    def empty(self) -> pa.Table:
        return self.schema.empty_table()


def _spec(
    name: str,
    fields: list[pa.Field],
    key: tuple[str, ...],
    partition_by: tuple[str, ...] = (),
    description: str = "",
) -> TableSpec:
    schema = pa.schema(fields)
    for col in (*key, *partition_by):
        if col not in schema.names:
            raise ValueError(f"{name}: key or partition column {col!r} is not in the schema")
    return TableSpec(name, schema, key, partition_by, description)


def _f(name: str, type_: pa.DataType, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable)


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

LOCATIONS = _spec(
    "locations",
    [
        _f("entity_id", pa.string(), False),
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("query", pa.string(), False),
        _f("lat", pa.float64(), False),
        _f("lon", pa.float64(), False),
        _f("precision", pa.string(), False),
        _f("backend", pa.string(), False),
        _f("score", pa.float64()),
        _f("jurisdiction", pa.string()),
        _f("matched", pa.string()),
        _f("geocoded_at", UTC_TS, False),
    ],
    key=("entity_id",),
    partition_by=("call_date",),
    description="Geocoded address and intersection entities.",
)

GEOCODE_CACHE = _spec(
    "geocode_cache",
    [
        _f("query_key", pa.string(), False),
        _f("backend", pa.string(), False),
        _f("found", pa.bool_(), False),
        _f("lat", pa.float64()),
        _f("lon", pa.float64()),
        _f("precision", pa.string()),
        _f("score", pa.float64()),
        _f("matched", pa.string()),
        _f("cached_at", UTC_TS, False),
    ],
    key=("query_key", "backend"),
    description="Every geocoder answer, hits and misses, so no query is sent twice.",
)

GAZETTEER = _spec(
    "gazetteer",
    [
        _f("source", pa.string(), False),
        _f("row_id", pa.int64(), False),
        _f("kind", pa.string(), False),
        _f("number", pa.string()),
        _f("street", pa.string(), False),
        _f("street_key", pa.string(), False),
        _f("unit", pa.string()),
        _f("city", pa.string()),
        _f("district", pa.string()),
        _f("region", pa.string()),
        _f("postcode", pa.string()),
        _f("lon", pa.float64()),
        _f("lat", pa.float64()),
        _f("from_number", pa.int64()),
        _f("to_number", pa.int64()),
        _f("parity", pa.string()),
        _f("line_wkt", pa.string()),
        _f("file_sha256", pa.string(), False),
        _f("loaded_at", UTC_TS, False),
    ],
    key=("source", "row_id"),
    description="The local geocoder's reference data: OpenAddresses points (kind 'point') and "
    "TIGER-style address ranges along street lines (kind 'range'), one source per file.",
)

MATCHED_WORD = pa.struct(
    [
        _f("term", pa.string()),
        _f("word_index", pa.int32()),
        _f("word", pa.string()),
        _f("start_s", pa.float64()),
        _f("end_s", pa.float64()),
    ]
)

ALERTS = _spec(
    "alerts",
    [
        _f("alert_id", pa.string(), False),
        _f("call_uid", pa.string(), False),
        _f("call_date", pa.date32(), False),
        _f("keyword_group", pa.string(), False),
        _f("model_id", pa.string()),
        _f("matched_terms", pa.list_(pa.string())),
        _f("matched_words", pa.list_(MATCHED_WORD)),
        _f("match_start_s", pa.float64()),
        _f("match_end_s", pa.float64()),
        _f("snippet", pa.string()),
        _f("system", pa.string()),
        # "talkgroup@system", the string talkgroup filters are matched against
        _f("talkgroup", pa.string()),
        _f("talkgroup_tag", pa.string()),
        _f("call_start_time", UTC_TS),
        _f("audio_key", pa.string()),
        _f("incident_types", pa.list_(pa.string())),
        _f("location", pa.string()),
        _f("location_entity_id", pa.string()),
        _f("lat", pa.float64()),
        _f("lon", pa.float64()),
        _f("channels", pa.list_(pa.string())),
        _f("created_at", UTC_TS, False),
        _f("evaluated_at", UTC_TS, False),
    ],
    key=("alert_id",),
    partition_by=("call_date",),
    description="Keyword-group matches on transcripts: the matched words with their audio "
    "times, the call, the location, and the channels subscribed to the match.",
)

ALERT_DELIVERIES = _spec(
    "alert_deliveries",
    [
        _f("alert_id", pa.string(), False),
        _f("channel", pa.string(), False),
        # 0 is the planned delivery; 1, 2, ... are send attempts, each claimed in its own commit
        _f("attempt", pa.int32(), False),
        _f("call_date", pa.date32(), False),
        _f("status", pa.string(), False),
        _f("tries", pa.int32(), False),
        _f("last_error", pa.string()),
        _f("run_id", pa.string()),
        _f("next_attempt_at", UTC_TS),
        _f("sent_at", UTC_TS),
        _f("updated_at", UTC_TS, False),
    ],
    key=("alert_id", "channel", "attempt"),
    partition_by=("call_date",),
    description="Delivery log per alert and channel: one row per attempt, the newest being the "
    "delivery's state (pending, sending, sent, failed, suppressed, in_doubt). Each attempt row "
    "is committed with a Delta app transaction that claims it, so no attempt is sent twice.",
)

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

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        RAW_CALLS,
        RAW_QUARANTINE,
        AUDIO_QUARANTINE,
        NORMALIZED_AUDIO,
        TRANSCRIPTS,
        TRANSCRIPT_WORDS,
        ENTITIES,
        ENTITY_EXTRACTIONS,
        LOCATIONS,
        GEOCODE_CACHE,
        GAZETTEER,
        ALERTS,
        ALERT_DELIVERIES,
        TONES,
        TONE_SCANS,
        REDACTIONS,
        INCIDENTS,
        CALL_INCIDENTS,
    )
}


def conform(data: pa.Table, spec: TableSpec) -> pa.Table:
    """Select and cast ``data`` to the table's schema, in its column order.

    Missing nullable columns are filled with nulls; a missing required column is an error.
    """
    columns = []
    for field in spec.schema:
        if field.name in data.column_names:
            columns.append(data.column(field.name).cast(field.type))
        elif field.nullable:
            columns.append(pa.nulls(data.num_rows, field.type))
        else:
            raise ValueError(f"{spec.name}: required column {field.name!r} is missing")
    return pa.Table.from_arrays(columns, schema=spec.schema)


# ---------------------------------------------------------------------------------------
# Multi-site duplicates (issue 19, section 4). One block, appended here so the split of this
# file into a package can port it whole: the schema, then its entry in the registry.
# ---------------------------------------------------------------------------------------

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

TABLES[CALL_DUPLICATES.name] = CALL_DUPLICATES
