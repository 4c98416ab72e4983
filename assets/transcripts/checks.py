"""Asset checks on ``transcripts`` and ``transcript_words``, run per partition."""

import datetime as dt

import dagster as dg
import pyarrow as pa

from assets.partitions import call_date_partitions
from assets.transcripts import quality
from lake import delta
from lake.tables import NORMALIZED_AUDIO, TRANSCRIPT_WORDS, TRANSCRIPTS, TableSpec
from resources.asr.resource import TranscriberResource
from resources.lake import LakeResource


def _read(context: dg.AssetCheckExecutionContext, lake: LakeResource, spec: TableSpec) -> pa.Table:
    day = dt.date.fromisoformat(context.partition_key)
    return delta.read(lake.location, spec, partitions={"call_date": [day]})


def _result(finding: quality.Finding) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=finding.passed, metadata=finding.metadata)


@dg.asset_check(asset="transcripts", partitions_def=call_date_partitions, blocking=True)
def unique_transcript_per_model(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """At most one transcript per call and model: re-runs and retries never duplicate."""
    return _result(quality.unique_keys(_read(context, lake, TRANSCRIPTS), TRANSCRIPTS.key))


@dg.asset_check(asset="transcripts", partitions_def=call_date_partitions)
def every_call_transcribed(
    context: dg.AssetCheckExecutionContext, lake: LakeResource, transcriber: TranscriberResource
) -> dg.AssetCheckResult:
    """Every call with normalized audio has a transcript by the current model."""
    return _result(
        quality.every_call_transcribed(
            _read(context, lake, NORMALIZED_AUDIO),
            _read(context, lake, TRANSCRIPTS),
            transcriber.model_id,
        )
    )


@dg.asset_check(asset="transcripts", partitions_def=call_date_partitions)
def empty_transcripts_flagged(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """An empty transcript always carries a flag saying why; reports the flag counts."""
    return _result(quality.empty_means_flagged(_read(context, lake, TRANSCRIPTS)))


@dg.asset_check(asset="transcript_words", partitions_def=call_date_partitions, blocking=True)
def unique_word_index(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """One row per (call, model, word index)."""
    return _result(
        quality.unique_keys(_read(context, lake, TRANSCRIPT_WORDS), TRANSCRIPT_WORDS.key)
    )


@dg.asset_check(asset="transcript_words", partitions_def=call_date_partitions)
def words_spell_transcript(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """Each transcript's words, indexed 0..n-1, spell exactly its text."""
    return _result(
        quality.words_match_text(
            _read(context, lake, TRANSCRIPTS), _read(context, lake, TRANSCRIPT_WORDS)
        )
    )


@dg.asset_check(asset="transcript_words", partitions_def=call_date_partitions)
def word_times_in_order(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """Word start times never go back within a call, and every word lies inside its call's audio."""
    return _result(
        quality.word_times_sane(
            _read(context, lake, TRANSCRIPT_WORDS), _read(context, lake, NORMALIZED_AUDIO)
        )
    )


transcript_checks = [
    unique_transcript_per_model,
    every_call_transcribed,
    empty_transcripts_flagged,
    unique_word_index,
    words_spell_transcript,
    word_times_in_order,
]
