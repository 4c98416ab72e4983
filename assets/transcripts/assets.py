"""The transcript layer: ``transcripts`` and ``transcript_words`` and their checks, wired
for Dagster.

A thin shell: pending calls, batching and the writes live in ``partition``; packing and
decoding in ``resources.asr``. Model lineage: both tables are keyed by
(call_uid, model_id), so re-transcribing a range with another model (a backfill after
changing the ``transcriber`` resource) adds rows beside the old ones; the current
transcript of a call is the row with the transcriber's ``model_id``.
"""

import datetime as dt
import hashlib
import time
from collections.abc import Iterator

import dagster as dg

from assets.lanes import ASR_QUEUE, QUEUE_TAG
from assets.partitions import call_date_partitions
from assets.transcripts import checks
from assets.transcripts.corrections import commit_day
from assets.transcripts.partition import table_counts, transcribe_partition
from lake import corrections
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
                "model is configured, otherwise from Whisper's cross-attention, so they are always set; "
                "and unit_id, the radio id that transmitted the word (the call's srcList at the word's "
                "midpoint), null when the recorder sent no srcList."
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


@dg.asset(
    key="transcript_corrections",
    group_name="transcripts",
    partitions_def=call_date_partitions,
    deps=["transcripts", "raw_calls"],
    kinds={"deltalake", "python"},
    tags={"layer": "transcripts"},
)
def transcript_corrections(
    context: dg.AssetExecutionContext, lake: LakeResource
) -> dg.MaterializeResult:
    """Editors' corrections of the day's transcripts, append-only and versioned: who, when,
    why, and which text each corrected. The Call page leaves each correction in the object
    store (``corrections/pending/``); this asset commits it as the call's next version and
    only then removes it. A request for a call no longer in the lake, or made over a version
    another editor has since replaced, is set aside under ``rejected/`` with its reason.
    Search, entities, places, incidents and alerts read the newest version over the machine
    transcript; ``correction_sensor`` runs them again for the corrected day."""
    day = dt.date.fromisoformat(context.partition_key)
    summary = commit_day(lake.location, lake.objects, day)
    for key, reason in summary.rejected.items():
        context.log.warning(f"correction {key} set aside: {reason}")
    return dg.MaterializeResult(
        metadata={
            "requests_pending": summary.pending,
            "versions_committed": len(summary.committed),
            "already_committed": summary.already_committed,
            "rejected": dg.MetadataValue.json(summary.rejected),
            "calls_corrected": dg.MetadataValue.json(summary.calls[:50]),
        }
    )


# A request whose run failed is asked for again after this long (a fresh run key);
# meanwhile one run per set of waiting requests.
_RETRY_AFTER_S = 600


@dg.sensor(
    name="correction_sensor",
    asset_selection=dg.AssetSelection.assets("transcript_corrections").downstream(),
    minimum_interval_seconds=10,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def correction_sensor(lake: LakeResource) -> dg.SensorResult | dg.SkipReason:
    """Runs ``transcript_corrections`` and every layer downstream of it (entities,
    locations, incidents, alerts) for each day with corrections waiting, so a correction is
    searchable and its places and alerts re-extracted within a tick. Alerts keep their ids
    (call and keyword group), so an alert already delivered is not delivered again; one the
    corrected text no longer raises is retracted, and its channels told once."""
    store = lake.objects
    requests = []
    for day in corrections.pending_days(store):
        keys = corrections.pending(store, day)
        if not keys:
            continue
        digest = hashlib.sha1("\n".join(keys).encode()).hexdigest()[:16]
        bucket = int(time.time() // _RETRY_AFTER_S)
        requests.append(
            dg.RunRequest(
                run_key=f"corrections-{day.isoformat()}-{digest}-{bucket}",
                partition_key=day.isoformat(),
            )
        )
    if not requests:
        return dg.SkipReason("no correction is waiting")
    return dg.SensorResult(run_requests=requests)


defs = dg.Definitions(
    assets=[transcribe_calls, transcript_corrections],
    asset_checks=checks.transcript_checks,
    sensors=[correction_sensor],
)
