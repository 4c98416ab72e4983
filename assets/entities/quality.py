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
