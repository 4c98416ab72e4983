"""The one registry of lake tables: name, explicit schema, key and partition columns.

A table's layout is declared here and nowhere else: one module per layer holds its tables'
schemas (``raw``, ``audio``, ``transcripts``, ``entities``, ``geo``, ``tones``,
``incidents``, ``alerts``, ``aliases``, plus the ``redactions`` audit), ``spec`` holds what
a table is, and ``TABLES`` below lists them all. Writers conform their data to these schemas before
every commit, so a column that drifts in type fails loudly at the write.

Every name is re-exported here: ``from lake.tables import RAW_CALLS`` is the import to use.
"""

from __future__ import annotations

from lake.tables.alerts import ALERT_DELIVERIES, ALERTS, MATCHED_WORD
from lake.tables.aliases import TALKGROUP_ALIASES, UNIT_ALIASES
from lake.tables.audio import AUDIO_QUARANTINE, CALL_DUPLICATES, NORMALIZED_AUDIO
from lake.tables.entities import ENTITIES, ENTITY_EXTRACTIONS
from lake.tables.geo import GAZETTEER, GEOCODE_CACHE, LOCATIONS
from lake.tables.incidents import CALL_INCIDENTS, INCIDENTS
from lake.tables.raw import FREQ, RAW_CALLS, RAW_QUARANTINE, UNIT
from lake.tables.redactions import REDACTIONS, REMOVED_ROWS
from lake.tables.spec import UTC_TS, TableSpec, conform
from lake.tables.tones import TONE_SCANS, TONES
from lake.tables.transcripts import TRANSCRIPT_CORRECTIONS, TRANSCRIPT_WORDS, TRANSCRIPTS

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        RAW_CALLS,
        RAW_QUARANTINE,
        AUDIO_QUARANTINE,
        NORMALIZED_AUDIO,
        CALL_DUPLICATES,
        TRANSCRIPTS,
        TRANSCRIPT_WORDS,
        TRANSCRIPT_CORRECTIONS,
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
        UNIT_ALIASES,
        TALKGROUP_ALIASES,
    )
}

__all__ = [
    "ALERTS",
    "ALERT_DELIVERIES",
    "AUDIO_QUARANTINE",
    "CALL_DUPLICATES",
    "CALL_INCIDENTS",
    "ENTITIES",
    "ENTITY_EXTRACTIONS",
    "FREQ",
    "GAZETTEER",
    "GEOCODE_CACHE",
    "INCIDENTS",
    "LOCATIONS",
    "MATCHED_WORD",
    "NORMALIZED_AUDIO",
    "RAW_CALLS",
    "RAW_QUARANTINE",
    "REDACTIONS",
    "REMOVED_ROWS",
    "TALKGROUP_ALIASES",
    "TONES",
    "TONE_SCANS",
    "TRANSCRIPTS",
    "TRANSCRIPT_CORRECTIONS",
    "TRANSCRIPT_WORDS",
    "UNIT",
    "UNIT_ALIASES",
    "TABLES",
    "TableSpec",
    "UTC_TS",
    "conform",
]
