"""The alert layer's tables: keyword matches and their delivery log."""

from __future__ import annotations

import pyarrow as pa

from lake.tables.spec import UTC_TS, _f, _spec

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
        _f("talkgroup_tag", pa.string()),  # the imported alias, else the recorder's tag
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
        # the units heard on the call, named beside their ids: "Engine 12 (1201)"
        _f("units", pa.list_(pa.string())),
        # set when a correction of the call's text no longer raises the alert; cleared when a
        # later correction raises it again. The row stays, so what was sent stays explained.
        _f("retracted_at", UTC_TS),
        _f("retraction_reason", pa.string()),
    ],
    key=("alert_id",),
    partition_by=("call_date",),
    description="Keyword-group matches on transcripts: the matched words with their audio "
    "times, the call, the location, and the channels subscribed to the match; retracted_at and "
    "retraction_reason when a correction of the call's text no longer raises it.",
)

ALERT_DELIVERIES = _spec(
    "alert_deliveries",
    [
        _f("alert_id", pa.string(), False),
        _f("channel", pa.string(), False),
        # 0 is the planned delivery; 1, 2, ... are send attempts, each claimed in its own commit
        _f("attempt", pa.int32(), False),
        _f("call_date", pa.date32(), False),
        # which message the row sends: 0 (or null, in rows written before notices) the alert,
        # odd a retraction, even past 0 the alert restored; the receiver's idempotency key is
        # (alert_id, notice)
        _f("notice", pa.int32()),
        # the attempt that planned the notice (null: 0); its attempts, backoff and give-up
        # count from there, not from the alert's
        _f("notice_from_attempt", pa.int32()),
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
    "delivery's state (pending, sending, sent, failed, suppressed, in_doubt) and its notice the "
    "message it carries (the alert, a retraction, the alert restored). Each attempt row "
    "is committed with a Delta app transaction that claims it, so no attempt is sent twice.",
)
