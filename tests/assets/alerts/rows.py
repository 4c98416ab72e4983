"""Upstream rows for alert tests, shaped by the lake's own schemas: a call, its transcript
with timed words, and optionally an incident type and a geocoded location."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyarrow as pa

from assets.alerts.evaluate import AlertInputs
from lake import LakeLocation, delta
from lake.tables import (
    ENTITIES,
    LOCATIONS,
    RAW_CALLS,
    TRANSCRIPT_WORDS,
    TRANSCRIPTS,
    TableSpec,
    conform,
)

MODEL = "tiny.en"


@dataclass
class Call:
    text: str
    talkgroup: int = 1201
    system: str = "metro"
    start: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    incident: str | None = None
    place: tuple[str, float, float] | None = None  # query, lat, lon
    model_id: str = MODEL
    transcribed_at: dt.datetime | None = None
    units: list[dict] | None = None  # raw_calls.units (srcList)

    @property
    def uid(self) -> str:
        return f"{self.system}-{self.talkgroup}-{int(self.start.timestamp())}"

    @property
    def day(self) -> dt.date:
        return self.start.date()


def _table(rows: list[dict], spec: TableSpec) -> pa.Table:
    filled = [{name: r.get(name) for name in spec.columns} for r in rows]
    return conform(pa.Table.from_pylist(filled, schema=spec.schema), spec)


def tables(calls: list[Call]) -> dict[str, pa.Table]:
    now = dt.datetime.now(dt.UTC)
    raw, transcripts, words, entities, locations = [], [], [], [], []
    for c in calls:
        raw.append(
            {
                "call_uid": c.uid,
                "call_date": c.day,
                "call_hour": c.start.hour,
                "system": c.system,
                "talkgroup": c.talkgroup,
                "talkgroup_tag": "Metro Fire Disp",
                "start_time": c.start,
                "duration_s": 6.0,
                "audio_key": f"audio/raw/system={c.system}/date={c.day}/{c.uid}.wav",
                "audio_bytes": 1000,
                "source": "test",
                "ingested_at": now,
                "units": c.units,
            }
        )
        transcripts.append(
            {
                "call_uid": c.uid,
                "call_date": c.day,
                "model_id": c.model_id,
                "text": c.text,
                "transcribed_at": c.transcribed_at or now,
            }
        )
        for i, w in enumerate(c.text.split()):
            words.append(
                {
                    "call_uid": c.uid,
                    "call_date": c.day,
                    "model_id": c.model_id,
                    "word_index": i,
                    "word": f" {w}",
                    "start_s": 0.5 * i,
                    "end_s": 0.5 * i + 0.4,
                    "probability": 0.9,
                }
            )
        if c.incident:
            entities.append(
                {
                    "entity_id": f"{c.uid}-{c.model_id}-inc",
                    "call_uid": c.uid,
                    "call_date": c.day,
                    "model_id": c.model_id,
                    "label": "INCIDENT_TYPE",
                    "text": c.incident,
                    "normalized": c.incident,
                }
            )
        if c.place:
            query, lat, lon = c.place
            # a place is geocoded from an ADDRESS entity of the same transcript
            entities.append(
                {
                    "entity_id": f"{c.uid}-{c.model_id}-loc",
                    "call_uid": c.uid,
                    "call_date": c.day,
                    "model_id": c.model_id,
                    "label": "ADDRESS",
                    "text": query,
                    "normalized": query.upper(),
                }
            )
            locations.append(
                {
                    "entity_id": f"{c.uid}-{c.model_id}-loc",
                    "call_uid": c.uid,
                    "call_date": c.day,
                    "query": query,
                    "lat": lat,
                    "lon": lon,
                    "precision": "rooftop",
                    "backend": "test",
                    "score": 0.9,
                    "geocoded_at": now,
                }
            )
    return {
        "raw_calls": _table(raw, RAW_CALLS),
        "transcripts": _table(transcripts, TRANSCRIPTS),
        "transcript_words": _table(words, TRANSCRIPT_WORDS),
        "entities": _table(entities, ENTITIES),
        "locations": _table(locations, LOCATIONS),
    }


def inputs(calls: list[Call]) -> AlertInputs:
    t = tables(calls)
    return AlertInputs(
        t["transcripts"], t["transcript_words"], t["raw_calls"], t["entities"], t["locations"]
    )


def write(lake: LakeLocation, calls: list[Call]) -> None:
    specs = {s.name: s for s in (RAW_CALLS, TRANSCRIPTS, TRANSCRIPT_WORDS, ENTITIES, LOCATIONS)}
    for name, table in tables(calls).items():
        if table.num_rows:
            delta.merge(lake, specs[name], table)
