"""The transcript layer: ``transcripts`` and ``transcript_words`` and their checks, wired
for Dagster.

A thin shell: pending calls, batching and the writes live in ``partition``; packing in
``packing``; decoding in ``resources.asr``. Model lineage: both tables are keyed by
(call_uid, model_id), so re-transcribing a range with another model (a backfill after
changing the ``transcriber`` resource) adds rows beside the old ones; the current
transcript of a call is the row with the transcriber's ``model_id``.
"""

import datetime as dt
from collections.abc import Iterator

import dagster as dg

from assets.raw.lanes import ASR_QUEUE, QUEUE_TAG
from assets.raw.partitions import call_date_partitions
from assets.transcripts import checks
from assets.transcripts.partition import table_counts, transcribe_partition
from resources.asr.resource import TranscriberResource
from resources.lake import LakeResource

_DEPS = ["normalized_audio", "raw_calls", "call_duplicates"]
_COMMON = {
    "group_name": "transcripts",
    "kinds": {"deltalake", "python"},
    "tags": {"layer": "transcripts"},
    "deps": _DEPS,
}


@dg.multi_asset(
    name="transcribe_calls",
    partitions_def=call_date_partitions,
    # Under the Celery executor this step goes to the workers that hold the ASR model.
    op_tags={QUEUE_TAG: ASR_QUEUE},
    specs=[
        dg.AssetSpec(
            "transcripts",
            description=(
                "One transcript per call and model (WhisperX, by default faster-whisper tiny.en on the CPU): "
                "text, language, model id and version, avg_logprob, no_speech_prob, compression ratio, a "
                "confidence score, hallucination flags (no_speech, repetition_loop, phantom_phrase, "
                "prompt_echo, implausible_rate, low_confidence, unreadable_audio) and processing time. "
                "Keyed by (call_uid, model_id): transcripts of older models stay queryable."
            ),
            **_COMMON,
        ),
        dg.AssetSpec(
            "transcript_words",
            description=(
                "Every transcript word with its index, start_s and end_s in the call's normalized audio, "
                "and Whisper's probability. Times come from wav2vec2 forced alignment when an alignment "
                "model is configured, otherwise from Whisper's cross-attention, so they are always set."
            ),
            **_COMMON,
        ),
    ],
)
def transcribe_calls(
    context: dg.AssetExecutionContext, lake: LakeResource, transcriber: TranscriberResource
) -> Iterator[dg.MaterializeResult]:
    """Transcribes the partition's calls that have normalized audio but no transcript by the
    current model, except copies ``call_duplicates`` links to a kept copy. Calls are batched across, and packed several to a 30 s Whisper window;
    each word is mapped back to its own call by the window layout. Silence gives an empty,
    flagged transcript; invented text (loops, phantom phrases, prompt echoes) is removed and
    flagged. Per-talkgroup domain vocabulary (units, service jargon, 10-codes, gazetteer
    streets) is Whisper's prompt."""
    day = dt.date.fromisoformat(context.partition_key)

    def progress(done: int, total: int) -> None:
        context.log.info(f"transcribed {done}/{total} calls of {day}")

    summary = transcribe_partition(
        lake.location,
        day,
        transcriber.engine(),
        packing=transcriber.packing(),
        vocabulary=transcriber.vocabulary(),
        calls_per_batch=transcriber.calls_per_batch,
        progress=progress,
    )
    for uid, reason in summary.unreadable.items():
        context.log.warning(f"call {uid}: unreadable audio ({reason})")
    counts = table_counts(lake.location, day)
    speed = round(summary.audio_s / summary.seconds, 2) if summary.seconds else 0.0
    yield dg.MaterializeResult(
        asset_key="transcripts",
        metadata={
            "model_id": summary.model_id,
            "model_version": transcriber.identity.model_version,
            "calls_pending": summary.pending,
            "calls_transcribed": summary.transcribed,
            "empty_transcripts": summary.empty,
            "retried": summary.retried,
            "flags": dg.MetadataValue.json(dict(sorted(summary.flags.items()))),
            "unreadable_audio": dg.MetadataValue.json(dict(list(summary.unreadable.items())[:20])),
            "audio_s": round(summary.audio_s, 2),
            "processing_s": round(summary.seconds, 2),
            "audio_s_per_s": speed,
            "partition_rows": counts["transcripts"],
        },
    )
    yield dg.MaterializeResult(
        asset_key="transcript_words",
        metadata={
            "model_id": summary.model_id,
            "words_written": summary.words,
            "partition_rows": counts["transcript_words"],
        },
    )


defs = dg.Definitions(assets=[transcribe_calls], asset_checks=checks.transcript_checks)
