"""The entity layer: ``entities`` and its checks, wired for Dagster.

A thin shell: the pipeline is built by ``pipeline``, extraction is ``extract``, pending
transcripts and the writes are ``partition``.
"""

import datetime as dt
from collections.abc import Iterator

import dagster as dg
import pyarrow as pa

from assets.entities import quality
from assets.entities.extract import extractor_for
from assets.entities.partition import extract_partition, settings_for
from assets.entities.pipeline import DEFAULT_MODEL, RadioSettings
from assets.partitions import call_date_partitions
from assets.results import paired_specs, report
from lake import delta
from lake.effective import effective_transcripts
from lake.location import LakeLocation
from lake.tables import ENTITIES, ENTITY_EXTRACTIONS, TRANSCRIPTS, TableSpec
from resources.lake import LakeResource


class EntitiesConfig(dg.Config):
    """How entities are recognized. Paths default to the tables shipped in
    ``assets/entities/data``; highways are the county's canonical names (I-65, US-82), so
    "Highway 82" resolves to its system."""

    spacy_model: str = DEFAULT_MODEL
    ten_codes_path: str | None = None
    incident_types_path: str | None = None
    highways: list[str] = []

    def settings(self, location: LakeLocation) -> RadioSettings:
        """The extractor's settings: this config plus the lake's gazetteer vocabulary."""
        return settings_for(
            location,
            model=self.spacy_model,
            ten_codes_path=self.ten_codes_path,
            incident_types_path=self.incident_types_path,
            highways=tuple(self.highways),
        )


_SPECS = paired_specs(
    "entities", ENTITIES, ENTITY_EXTRACTIONS,
    deps=["transcripts", "transcript_words", "transcript_corrections", "gazetteer"],
    kinds={"deltalake", "spacy"},
)


@dg.multi_asset(specs=_SPECS, name="entities", can_subset=True)
def entities(
    context: dg.AssetExecutionContext, config: EntitiesConfig, lake: LakeResource
) -> Iterator[dg.MaterializeResult]:
    """Addresses, intersections, units, 10-codes (with their meaning), incident types (a
    small taxonomy), plates (phonetic alphabet decoded) , highways and mile markers found in
    each transcript by a spaCy pipeline for radio speech. Each row has the raw and
    normalized text, its character span, its start and end time in the call audio (from
    ``transcript_words``) and a confidence. Street and town names come from the gazetteer.
    Incremental: only new or changed transcripts are read. A transcript flagged
    ``hallucinated`` (a loop or an echoed prompt survived its re-decodes) yields nothing."""
    day = dt.date.fromisoformat(context.partition_key)
    settings = config.settings(lake.location)
    summary = extract_partition(lake.location, day, extractor_for(settings))
    yield from report(
        context,
        [
            dg.MaterializeResult(
                asset_key=ENTITIES.name,
                metadata={
                    "transcripts_extracted": summary.extracted,
                    "entities_written": summary.entities,
                    "stale_entities_removed": summary.stale_removed,
                    "hallucinated_transcripts_skipped": summary.hallucinated,
                    "per_label": dg.MetadataValue.json(dict(summary.per_label)),
                    "extractor_version": settings.version,
                    "vocabulary_streets": len(settings.streets),
                },
            ),
            dg.MaterializeResult(
                asset_key=ENTITY_EXTRACTIONS.name,
                metadata={
                    "transcripts_extracted": summary.extracted,
                    "extractor_version": settings.version,
                },
            ),
        ],
    )


def _read(context: dg.AssetCheckExecutionContext, lake: LakeResource, spec: TableSpec) -> pa.Table:
    return delta.read(
        lake.location,
        spec,
        partitions={"call_date": [dt.date.fromisoformat(context.partition_key)]},
    )


@dg.asset_check(asset="entities", partitions_def=call_date_partitions)
def entity_counts_per_type(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """Entity counts per type for the day; fails on a malformed row (unknown label, empty
    span or normalized text, reversed times, confidence outside [0, 1])."""
    found = quality.counts_per_type(
        _read(context, lake, ENTITIES), _read(context, lake, TRANSCRIPTS).num_rows
    )
    return dg.AssetCheckResult(passed=found.passed, metadata=found.metadata)


@dg.asset_check(asset="entities", partitions_def=call_date_partitions)
def entity_spans_match_transcripts(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """Every entity's text is exactly its span of its transcript's text (an editor's
    correction, where the call has one: the text its entities were read from)."""
    day = dt.date.fromisoformat(context.partition_key)
    found = quality.spans_match_transcripts(
        _read(context, lake, ENTITIES), effective_transcripts(lake.location, day, ["model_id"])
    )
    return dg.AssetCheckResult(passed=found.passed, metadata=found.metadata)


@dg.asset_check(asset="entity_extractions", partitions_def=call_date_partitions)
def extractions_match_entities(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """Each transcript is recorded as extracted once, with as many entities as the
    ``entities`` table holds for it."""
    found = quality.extractions_match_entities(
        _read(context, lake, ENTITY_EXTRACTIONS), _read(context, lake, ENTITIES)
    )
    return dg.AssetCheckResult(passed=found.passed, metadata=found.metadata)


defs = dg.Definitions(
    assets=[entities],
    asset_checks=[entity_counts_per_type, entity_spans_match_transcripts, extractions_match_entities],
)
