"""One partition of the ``entities`` table: which transcripts need extracting, and the
writes. Incremental: a transcript is extracted again only when it changed (its
``transcribed_at``) or the extractor did (its version, which covers the code tables and
the gazetteer vocabulary); ``entity_extractions`` records both for every transcript,
including those with no entities."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from assets.entities.extract import EntityExtractor, Word, entity_rows
from assets.entities.numbers import HouseNumberSettings, house_number_settings
from assets.entities.pipeline import RadioSettings
from lake import delta
from lake.effective import corrected_calls, effective_transcripts
from lake.location import LakeLocation
from lake.tables import ENTITIES, ENTITY_EXTRACTIONS, GAZETTEER, TRANSCRIPT_WORDS
from radiotext.streets import leading_number

Key = tuple[str, str]  # (call_uid, model_id)


@dataclass
class ExtractionSummary:
    transcripts: int = 0
    extracted: int = 0
    entities: int = 0
    stale_removed: int = 0
    hallucinated: int = 0  # transcripts whose text is in doubt: nothing read from them
    per_label: Counter[str] = field(default_factory=Counter)


def vocabulary(
    location: LakeLocation,
) -> tuple[tuple[str, ...], tuple[str, ...], HouseNumberSettings]:
    """Street keys, town names and each street's numbered address points of the gazetteer
    table (empty when it was never loaded)."""
    rows = delta.read(location, GAZETTEER, columns=["street_key", "city", "number"])
    keys = rows["street_key"].to_pylist()
    streets = sorted(set(keys))
    cities = sorted({c for c in rows["city"].to_pylist() if c})
    numbers = house_number_settings(keys, map(leading_number, rows["number"].to_pylist()))
    return tuple(streets), tuple(cities), numbers


def settings_for(location: LakeLocation, **options: object) -> RadioSettings:
    streets, cities, numbers = vocabulary(location)
    return RadioSettings(streets=streets, cities=cities, house_numbers=numbers, **options)  # type: ignore[arg-type]


def pending_transcripts(location: LakeLocation, day: dt.date, version: str) -> pa.Table:
    """The day's effective transcripts (an editor's correction over the machine text) that
    were not extracted as they now read: a correction moves ``transcribed_at`` up, so the
    corrected call is extracted again."""
    transcripts = effective_transcripts(
        location, day, ["call_uid", "model_id", "text", "hallucinated", "transcribed_at"]
    )
    done = delta.read(
        location,
        ENTITY_EXTRACTIONS,
        columns=["call_uid", "model_id", "extractor_version", "transcribed_at"],
        partitions={"call_date": [day]},
    )
    finished = {
        (r["call_uid"], r["model_id"]): (r["extractor_version"], r["transcribed_at"])
        for r in done.to_pylist()
    }
    keep = [
        finished.get((uid, model)) != (version, at)
        for uid, model, at in zip(
            transcripts["call_uid"].to_pylist(),
            transcripts["model_id"].to_pylist(),
            transcripts["transcribed_at"].to_pylist(),
            strict=True,
        )
    ]
    return transcripts.filter(pa.array(keep, pa.bool_()))


def words_by_transcript(
    location: LakeLocation, day: dt.date, keys: set[Key]
) -> dict[Key, list[Word]]:
    table = delta.read(
        location,
        TRANSCRIPT_WORDS,
        columns=["call_uid", "model_id", "word_index", "word", "start_s", "end_s", "probability"],
        partitions={"call_date": [day]},
    )
    if not keys or table.num_rows == 0:
        return {}
    table = table.filter(
        pc.is_in(table["call_uid"], value_set=pa.array(sorted({k[0] for k in keys}), pa.string()))
    )
    table = table.sort_by(
        [("call_uid", "ascending"), ("model_id", "ascending"), ("word_index", "ascending")]
    )
    out: dict[Key, list[Word]] = {}
    for r in table.to_pylist():
        key = (r["call_uid"], r["model_id"])
        if key in keys:
            out.setdefault(key, []).append(
                Word(r["word"], r["start_s"], r["end_s"], r["probability"])
            )
    return out


def extract_partition(
    location: LakeLocation, day: dt.date, extractor: EntityExtractor
) -> ExtractionSummary:
    summary = ExtractionSummary()
    todo = pending_transcripts(location, day, extractor.version)
    summary.transcripts = todo.num_rows
    if todo.num_rows == 0:
        return summary
    keys = list(zip(todo["call_uid"].to_pylist(), todo["model_id"].to_pylist(), strict=True))
    words = words_by_transcript(location, day, set(keys))
    # A looping or prompt-echoing decode may have replaced the speech it sat on: its words
    # are not read at all (an address in them would be geocoded from invented text). It is
    # still marked extracted, with no entities, so a better transcript replaces it cleanly.
    doubtful = [bool(h) for h in todo["hallucinated"].to_pylist()]
    summary.hallucinated = sum(doubtful)
    texts = ["" if d else t for t, d in zip(todo["text"].to_pylist(), doubtful, strict=True)]
    # A corrected text has no word timings; the machine's words belong to other text, so
    # its entities carry no audio times rather than wrong ones.
    untimed = corrected_calls(todo)
    now = dt.datetime.now(dt.UTC)
    rows: list[dict[str, object]] = []
    marks: list[dict[str, object]] = []
    results = extractor.extract_many(
        (text, [] if d or key[0] in untimed else words.get(key, []))
        for text, key, d in zip(texts, keys, doubtful, strict=True)
    )
    for (uid, model), at, found in zip(
        keys, todo["transcribed_at"].to_pylist(), results, strict=True
    ):
        rows += entity_rows(uid, day, model, found)
        summary.per_label.update(e.label for e in found)
        marks.append(
            {
                "call_uid": uid,
                "call_date": day,
                "model_id": model,
                "extractor_version": extractor.version,
                "transcribed_at": at,
                "entity_count": len(found),
                "extracted_at": now,
            }
        )
    new = pa.Table.from_pylist(rows, schema=ENTITIES.schema)
    summary.stale_removed = _remove_stale(
        location, day, set(keys), set(new["entity_id"].to_pylist())
    )
    delta.merge(location, ENTITIES, new)
    delta.merge(
        location, ENTITY_EXTRACTIONS, pa.Table.from_pylist(marks, schema=ENTITY_EXTRACTIONS.schema)
    )
    summary.extracted, summary.entities = len(keys), new.num_rows
    return summary


def _remove_stale(location: LakeLocation, day: dt.date, keys: set[Key], fresh_ids: set[str]) -> int:
    """Entities of re-extracted transcripts that the new extraction no longer finds."""
    old = delta.read(
        location,
        ENTITIES,
        columns=["entity_id", "call_uid", "model_id"],
        partitions={"call_date": [day]},
    )
    stale = [
        r["entity_id"]
        for r in old.to_pylist()
        if (r["call_uid"], r["model_id"]) in keys and r["entity_id"] not in fresh_ids
    ]
    if not stale:
        return 0
    return delta.delete_where_keys(
        location, ENTITIES, pa.table({"entity_id": pa.array(stale, pa.string())})
    )
