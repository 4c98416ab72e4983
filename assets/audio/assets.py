"""The audio layer: ``normalized_audio`` and its checks, wired for Dagster.

A thin shell: pending calls, the process pool and the writes live in ``partition`` and
``pool``; the signal processing in ``normalize`` and its neighbours.
"""

import datetime as dt
from collections.abc import Iterator

import dagster as dg
from pydantic import Field

from assets.audio import checks
from assets.audio.normalize import PROCESSING_VERSION
from assets.audio.partition import run_partition
from assets.results import paired_specs, report
from lake.tables import AUDIO_QUARANTINE, NORMALIZED_AUDIO, RAW_CALLS
from resources.lake import LakeResource


class NormalizedAudioConfig(dg.Config):
    workers: int = Field(default=0, description="Worker processes; 0 means one per core.")
    commit_every: int = Field(default=200, description="Calls per Delta commit.")
    min_pool_calls: int = Field(
        default=32,
        description="Smaller batches run in the asset's own process: starting a worker "
        "(torch, scipy) costs seconds, more than a micro-batch of calls.",
    )


_SPECS = paired_specs(
    "audio", NORMALIZED_AUDIO, AUDIO_QUARANTINE, deps=[RAW_CALLS.name],
    kinds={"deltalake", "python"},
)


@dg.multi_asset(specs=_SPECS, name="normalized_audio", can_subset=True)
def normalized_audio(
    context: dg.AssetExecutionContext, config: NormalizedAudioConfig, lake: LakeResource
) -> Iterator[dg.MaterializeResult]:
    """Each raw call as clean 16 kHz mono speech, stored as FLAC under
    ``audio/normalized/system=…/date=…/``, with its quality (levels, clipping, SNR, silence
    and speech ratios, loudness) and a tier: clean, moderate or poor. The tier picks the chain:
    band-pass, spectral-gate denoising, trimming of dead air and squelch tails, loudness
    normalization. Audio that is empty, broken, too long, silent or without speech goes to
    ``audio_quarantine`` with the stage and reason instead. Incremental: only calls not yet
    settled at the current processing version are processed; bump the version and backfill
    to reprocess a range."""
    day = dt.date.fromisoformat(context.partition_key)

    def progress(done: int, total: int) -> None:
        context.log.info(f"normalized {done}/{total} calls of {day}")

    summary = run_partition(
        lake.location,
        day,
        workers=config.workers,
        commit_every=config.commit_every,
        min_pool_calls=config.min_pool_calls,
        progress=progress,
    )
    finished = summary.processed + summary.quarantined
    reasons = dg.MetadataValue.json(dict(sorted(summary.reasons.items())))
    yield from report(
        context,
        [
            dg.MaterializeResult(
                asset_key=NORMALIZED_AUDIO.name,
                metadata={
                    "processing_version": PROCESSING_VERSION,
                    "calls_pending": summary.pending,
                    "calls_already_settled": summary.skipped,
                    "processed": summary.processed,
                    "quarantined": summary.quarantined,
                    "tiers": dg.MetadataValue.json(dict(sorted(summary.tiers.items()))),
                    "quarantine_reasons": reasons,
                    "processing_s": round(summary.seconds, 3),
                    "calls_per_s": round(finished / summary.seconds, 2) if summary.seconds else 0.0,
                    "step_share": dg.MetadataValue.json(_shares(summary.step_ms)),
                },
            ),
            dg.MaterializeResult(
                asset_key=AUDIO_QUARANTINE.name,
                metadata={
                    "processing_version": PROCESSING_VERSION,
                    "quarantined": summary.quarantined,
                    "quarantine_reasons": reasons,
                },
            ),
        ],
    )


def _shares(step_ms: dict[str, float]) -> dict[str, float]:
    total = sum(step_ms.values())
    return {k: round(v / total, 3) for k, v in sorted(step_ms.items())} if total else {}


defs = dg.Definitions(
    assets=[normalized_audio],
    asset_checks=[*checks.normalized_audio_checks, *checks.audio_quarantine_checks],
)
