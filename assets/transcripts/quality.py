"""Data-quality rules for ``transcripts`` and ``transcript_words`` (pure; the Dagster
checks wrap them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

# Word times are rounded to milliseconds; audio durations are not.
_TIME_SLACK_S = 0.01


@dataclass
class Finding:
    passed: bool
    metadata: dict[str, object] = field(default_factory=dict)


def unique_keys(rows: pa.Table, key: tuple[str, ...]) -> Finding:
    counts = Counter(zip(*(rows[k].to_pylist() for k in key), strict=True))
    dupes = [list(k) for k, n in counts.items() if n > 1]
    return Finding(not dupes, {"duplicate_keys": dupes[:20], "duplicates": len(dupes)})


def every_call_transcribed(normalized: pa.Table, transcripts: pa.Table, model_id: str) -> Finding:
    """Every normalized call of the partition has a transcript by the current model."""
    done = set(
        transcripts.filter(pc.equal(transcripts["model_id"], model_id))["call_uid"].to_pylist()
    )
    missing = sorted(set(normalized["call_uid"].to_pylist()) - done)
    return Finding(
        not missing, {"model_id": model_id, "missing": len(missing), "missing_calls": missing[:20]}
    )


def empty_means_flagged(transcripts: pa.Table) -> Finding:
    """An empty transcript always says why (no speech, a guard, unreadable audio)."""
    bad = [
        uid
        for uid, text, flags in zip(
            transcripts["call_uid"].to_pylist(),
            transcripts["text"].to_pylist(),
            transcripts["flags"].to_pylist(),
            strict=True,
        )
        if not text and not flags
    ]
    flags = Counter(f for fs in transcripts["flags"].to_pylist() for f in fs or [])
    return Finding(
        not bad, {"unflagged_empty": bad[:20], "flag_counts": dict(sorted(flags.items()))}
    )


def words_match_text(transcripts: pa.Table, words: pa.Table) -> Finding:
    """Each transcript's words, in index order, spell its text; an empty text has none."""
    by_call: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for uid, model, idx, word in zip(
        words["call_uid"].to_pylist(),
        words["model_id"].to_pylist(),
        words["word_index"].to_pylist(),
        words["word"].to_pylist(),
        strict=True,
    ):
        by_call.setdefault((uid, model), []).append((idx, word))
    bad = []
    for uid, model, text in zip(
        transcripts["call_uid"].to_pylist(),
        transcripts["model_id"].to_pylist(),
        transcripts["text"].to_pylist(),
        strict=True,
    ):
        found = sorted(by_call.get((uid, model), []))
        indices_ok = [i for i, _ in found] == list(range(len(found)))
        if not indices_ok or " ".join(w for _, w in found).split() != text.split():
            bad.append(uid)
    return Finding(not bad, {"mismatched_calls": bad[:20], "mismatched": len(bad)})


def word_times_sane(words: pa.Table, durations: pa.Table) -> Finding:
    """Word times are in order within each call and inside the call's audio."""
    length = dict(
        zip(durations["call_uid"].to_pylist(), durations["duration_s"].to_pylist(), strict=True)
    )
    rows = words.sort_by(
        [("call_uid", "ascending"), ("model_id", "ascending"), ("word_index", "ascending")]
    )
    bad: set[str] = set()
    previous: tuple[str, str, float] | None = None
    for uid, model, start, end in zip(
        rows["call_uid"].to_pylist(),
        rows["model_id"].to_pylist(),
        rows["start_s"].to_pylist(),
        rows["end_s"].to_pylist(),
        strict=True,
    ):
        limit = length.get(uid)
        if start is None or end is None or start < 0 or end < start:
            bad.add(uid)
        elif limit is not None and end > limit + _TIME_SLACK_S:
            bad.add(uid)
        elif previous and previous[:2] == (uid, model) and start < previous[2]:
            bad.add(uid)
        previous = (uid, model, start if start is not None else 0.0)
    return Finding(not bad, {"bad_calls": sorted(bad)[:20], "bad": len(bad)})
