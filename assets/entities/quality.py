"""What the entity asset checks assert, as plain functions over Arrow tables."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa

from assets.entities.candidates import LABELS


@dataclass(frozen=True)
class Finding:
    passed: bool
    metadata: dict[str, object] = field(default_factory=dict)


def counts_per_type(entities: pa.Table, transcripts: int) -> Finding:
    """Entity counts per label, and whether every row is well formed: a known label, a
    non-empty span and normalized text, ordered times and a confidence in [0, 1]."""
    counts = Counter(entities["label"].to_pylist())
    problems: Counter[str] = Counter()
    for r in entities.to_pylist():
        if r["label"] not in LABELS:
            problems["unknown_label"] += 1
        if r["start_char"] is None or r["end_char"] is None or r["start_char"] >= r["end_char"]:
            problems["bad_span"] += 1
        if not r["normalized"]:
            problems["empty_normalized"] += 1
        if r["start_s"] is not None and r["end_s"] is not None and r["start_s"] > r["end_s"]:
            problems["times_reversed"] += 1
        if r["confidence"] is None or not 0.0 <= r["confidence"] <= 1.0:
            problems["bad_confidence"] += 1
    metadata: dict[str, object] = {label: counts.get(label, 0) for label in LABELS}
    metadata["total"] = entities.num_rows
    metadata["transcripts"] = transcripts
    metadata["problems"] = dict(problems)
    return Finding(not problems, metadata)


def spans_match_transcripts(entities: pa.Table, transcripts: pa.Table) -> Finding:
    """Each entity's text is exactly its span of its transcript: entities never outlive a
    re-transcription."""
    texts = {
        (u, m): t
        for u, m, t in zip(
            transcripts["call_uid"].to_pylist(),
            transcripts["model_id"].to_pylist(),
            transcripts["text"].to_pylist(),
            strict=True,
        )
    }
    orphans = mismatched = 0
    for r in entities.to_pylist():
        text = texts.get((r["call_uid"], r["model_id"]))
        if text is None:
            orphans += 1
        elif text[r["start_char"] : r["end_char"]] != r["text"]:
            mismatched += 1
    return Finding(orphans == 0 and mismatched == 0, {"orphans": orphans, "mismatched": mismatched})


def extractions_match_entities(extractions: pa.Table, entities: pa.Table) -> Finding:
    """Each (call, model) is recorded once in ``entity_extractions``, with the number of
    entity rows it has: the record and the rows were written by one step, so a difference
    means a write was lost or doubled, and the incremental skip would hide it for good."""
    rows = Counter(zip(entities["call_uid"].to_pylist(), entities["model_id"].to_pylist(), strict=True))
    keys = list(zip(extractions["call_uid"].to_pylist(), extractions["model_id"].to_pylist(), strict=True))
    counted = dict(zip(keys, extractions["entity_count"].to_pylist(), strict=True))
    twice = sorted(f"{u}/{m}" for (u, m), n in Counter(keys).items() if n > 1)
    unrecorded = sorted(f"{u}/{m}" for u, m in rows if (u, m) not in counted)
    mismatched = sorted(f"{u}/{m}" for (u, m), n in counted.items() if rows.get((u, m), 0) != n)
    return Finding(
        not (twice or unrecorded or mismatched),
        {
            "extractions": extractions.num_rows,
            "recorded_twice": twice[:20],
            "entities_without_record": unrecorded[:20],
            "count_mismatch": mismatched[:20],
        },
    )
