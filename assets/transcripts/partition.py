"""Transcribing one call-date partition: pending calls in, rows committed batch by batch.

Incremental: only calls with a ``normalized_audio`` row and no transcript by the current
model (or one older than their audio) are transcribed. Each batch commits its words
first and its transcripts second; a transcript row is what marks a call done, so a run
that dies between the two commits redoes that batch and leaves no duplicates (both
writes are MERGEs on the table keys).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from assets.duplicates.partition import duplicate_uids
from assets.transcripts.audio import UnreadableAudio, read_call_audio
from assets.transcripts.rows import (
    call_prompts,
    call_speakers,
    pending_calls,
    stale_words,
    transcript_rows,
    unreadable,
    word_rows,
)
from assets.transcripts.transcribe import (
    CallAudio,
    CallTranscript,
    transcribe_calls,
)
from lake import delta
from lake.errors import ObjectNotFound
from lake.location import LakeLocation
from lake.objects import ObjectStore
from lake.tables import NORMALIZED_AUDIO, RAW_CALLS, TRANSCRIPT_WORDS, TRANSCRIPTS
from resources.asr.engine import WhisperEngine
from resources.asr.packing import PackingOptions
from resources.asr.vocabulary import Vocabulary

_RAW_COLUMNS = [
    "call_uid",
    "talkgroup",
    "talkgroup_tag",
    "talkgroup_group",
    "talkgroup_description",
    "units",
    "duration_s",
]


@dataclass
class Summary:
    model_id: str
    pending: int = 0
    transcribed: int = 0
    empty: int = 0
    words: int = 0
    retried: int = 0
    audio_s: float = 0.0
    seconds: float = 0.0
    flags: Counter = field(default_factory=Counter)
    unreadable: dict[str, str] = field(default_factory=dict)

    def add(self, results: list[CallTranscript], audio_s: float) -> None:
        self.transcribed += len(results)
        self.empty += sum(1 for r in results if not r.text)
        self.words += sum(len(r.words) for r in results)
        self.retried += sum(1 for r in results if r.retried)
        self.flags.update(f for r in results for f in r.flags)
        self.audio_s += audio_s


def transcribe_partition(
    location: LakeLocation,
    day: dt.date,
    engine: WhisperEngine,
    packing: PackingOptions | None = None,
    vocabulary: Vocabulary | None = None,
    calls_per_batch: int = 200,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    started = time.perf_counter()
    part = {"call_date": [day]}
    model = engine.identity
    summary = Summary(model_id=model.model_id)
    normalized = delta.read(
        location,
        NORMALIZED_AUDIO,
        ["call_uid", "audio_key", "duration_s", "processed_at", "chain"],
        part,
    )
    # a second site's copy of a transmission already kept is never transcribed
    copies = duplicate_uids(location, [day])
    if copies:
        normalized = normalized.filter(
            pc.invert(pc.is_in(normalized["call_uid"], pa.array(sorted(copies), pa.string())))
        )
    done = delta.read(location, TRANSCRIPTS, ["call_uid", "model_id", "transcribed_at"], part)
    todo = pending_calls(normalized, done, model.model_id)
    summary.pending = todo.num_rows
    if todo.num_rows == 0:
        return summary

    raw = delta.read(location, RAW_CALLS, _RAW_COLUMNS, part)
    prompts = call_prompts(raw, vocabulary) if vocabulary else {}
    speakers = call_speakers(raw, normalized)
    redo = set(todo["call_uid"].to_pylist()) & set(done["call_uid"].to_pylist())
    old_words = (
        delta.read(location, TRANSCRIPT_WORDS, list(TRANSCRIPT_WORDS.key), part)
        if redo
        else TRANSCRIPT_WORDS.empty()
    )
    store = ObjectStore(location)
    for begin in range(0, todo.num_rows, calls_per_batch):
        rows = todo.slice(begin, calls_per_batch).to_pylist()
        calls, failed = _load(rows, store, prompts, engine.language, summary)
        results = transcribe_calls(calls, engine, packing) + failed
        dates = {r["call_uid"]: day for r in rows}
        stale = stale_words(
            old_words, [r["call_uid"] for r in rows if r["call_uid"] in redo], model.model_id
        )
        delta.delete_where_keys(location, TRANSCRIPT_WORDS, stale)
        delta.merge(location, TRANSCRIPT_WORDS, word_rows(results, dates, model.model_id, speakers))
        delta.merge(
            location, TRANSCRIPTS, transcript_rows(results, dates, model, dt.datetime.now(dt.UTC))
        )
        summary.add(results, sum(c.duration_s for c in calls))
        if progress:
            progress(begin + len(rows), todo.num_rows)
    summary.seconds = time.perf_counter() - started
    return summary


def _load(
    rows: list[dict],
    store: ObjectStore,
    prompts: dict[str, str | None],
    language: str,
    summary: Summary,
) -> tuple[list[CallAudio], list[CallTranscript]]:
    calls, failed = [], []
    for row in rows:
        uid = row["call_uid"]
        try:
            audio = read_call_audio(store.get(row["audio_key"]))
        except ObjectNotFound as exc:
            summary.unreadable[uid] = f"missing_object: {exc.key}"
            failed.append(unreadable(uid, language))
        except UnreadableAudio as exc:
            summary.unreadable[uid] = f"{exc.reason}: {exc.detail}"
            failed.append(unreadable(uid, language))
        else:
            calls.append(CallAudio(uid, audio, prompts.get(uid)))
    return calls, failed


def table_counts(location: LakeLocation, day: dt.date) -> dict[str, int]:
    """Rows of each transcript table in the partition, for the run's metadata."""
    part = {"call_date": [day]}
    return {
        spec.name: delta.read(location, spec, ["call_uid"], part).num_rows
        for spec in (TRANSCRIPTS, TRANSCRIPT_WORDS)
    }
