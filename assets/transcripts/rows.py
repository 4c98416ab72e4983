"""Table logic of the transcript layer: which calls still need a transcript, which prompt
each call gets, and the rows of ``transcripts`` and ``transcript_words``.

Model lineage: both tables are keyed by (call_uid, model_id). A new model id (another
Whisper model, or alignment switched on) makes every call pending again; a backfill over a
date range then adds the new transcripts beside the old ones, which stay queryable.
``current`` picks, per call, the transcript of the model the transcriber runs now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from assets.transcripts.audio import UNREADABLE_AUDIO
from assets.transcripts.guards import hallucinated
from assets.transcripts.speakers import lead_trim_s, word_units
from assets.transcripts.transcribe import CallTranscript
from lake.tables import TRANSCRIPT_WORDS, TRANSCRIPTS, conform
from resources.asr.models import ModelIdentity
from resources.asr.vocabulary import TalkgroupInfo, Vocabulary, top_units
from resources.asr.words import WordTiming


def pending_calls(normalized: pa.Table, transcribed: pa.Table, model_id: str) -> pa.Table:
    """Normalized calls with no transcript for ``model_id``, or whose audio was
    re-normalized after that transcript was made. ``normalized`` needs call_uid and
    processed_at; ``transcribed`` call_uid, model_id and transcribed_at."""
    mine = transcribed.filter(pc.equal(transcribed["model_id"], model_id))
    made = dict(zip(mine["call_uid"].to_pylist(), mine["transcribed_at"].to_pylist(), strict=True))
    keep = [
        uid not in made or (processed is not None and processed > made[uid])
        for uid, processed in zip(
            normalized["call_uid"].to_pylist(), normalized["processed_at"].to_pylist(), strict=True
        )
    ]
    return normalized.filter(pa.array(keep, pa.bool_())).sort_by("call_uid")


def call_prompts(raw: pa.Table, vocabulary: Vocabulary) -> dict[str, str | None]:
    """The prompt of every call: one per talkgroup, naming the units heard on it that day.
    ``raw`` holds raw_calls' call_uid, talkgroup, talkgroup_tag, talkgroup_group,
    talkgroup_description and units."""
    rows = raw.to_pylist()
    tags: dict[int, list[str | None]] = {}
    for row in rows:
        tags.setdefault(row["talkgroup"], []).extend(u.get("tag") for u in row.get("units") or [])
    prompts: dict[int, str | None] = {}
    out: dict[str, str | None] = {}
    for row in rows:
        tg = row["talkgroup"]
        if tg not in prompts:
            prompts[tg] = vocabulary.prompt(
                TalkgroupInfo(
                    talkgroup=tg,
                    tag=row.get("talkgroup_tag"),
                    group=row.get("talkgroup_group"),
                    description=row.get("talkgroup_description"),
                    units=top_units(tags[tg], vocabulary.max_units),
                )
            )
        out[row["call_uid"]] = prompts[tg]
    return out


def unreadable(call_uid: str, language: str, processing_ms: float = 0.0) -> CallTranscript:
    """The transcript of a call whose audio cannot be read: empty, flagged, never guessed."""
    return CallTranscript(
        call_uid=call_uid,
        text="",
        language=language,
        words=(),
        avg_logprob=None,
        no_speech_prob=None,
        compression_ratio=None,
        confidence=None,
        flags=(UNREADABLE_AUDIO,),
        processing_ms=processing_ms,
        speech_s=0.0,
    )


def transcript_rows(
    results: Sequence[CallTranscript],
    call_dates: Mapping[str, dt.date],
    model: ModelIdentity,
    now: dt.datetime,
) -> pa.Table:
    return conform(
        pa.Table.from_pylist(
            [
                {
                    "call_uid": r.call_uid,
                    "call_date": call_dates[r.call_uid],
                    "model_id": model.model_id,
                    "model_version": model.model_version,
                    "text": r.text,
                    "language": r.language,
                    "avg_logprob": r.avg_logprob,
                    "no_speech_prob": r.no_speech_prob,
                    "compression_ratio": r.compression_ratio,
                    "confidence": r.confidence,
                    "flags": list(r.flags),
                    "hallucinated": hallucinated(r.flags),
                    "processing_ms": r.processing_ms,
                    "transcribed_at": now,
                }
                for r in results
            ],
            schema=TRANSCRIPTS.schema,
        ),
        TRANSCRIPTS,
    )


def word_rows(
    results: Sequence[CallTranscript],
    call_dates: Mapping[str, dt.date],
    model_id: str,
    speakers: Mapping[str, CallSpeakers] | None = None,
) -> pa.Table:
    """Every word of every result, each with the unit that transmitted it when the call's
    ``speakers`` (its srcList) are known."""
    unit_ids = {
        r.call_uid: speakers[r.call_uid].word_units(r.words)
        if speakers and r.call_uid in speakers
        else [None] * len(r.words)
        for r in results
    }
    return conform(
        pa.Table.from_pylist(
            [
                {
                    "call_uid": r.call_uid,
                    "call_date": call_dates[r.call_uid],
                    "model_id": model_id,
                    "word_index": i,
                    "word": w.word.strip(),
                    "start_s": w.start_s,
                    "end_s": w.end_s,
                    "probability": w.probability,
                    "unit_id": unit_ids[r.call_uid][i],
                }
                for r in results
                for i, w in enumerate(r.words)
            ],
            schema=TRANSCRIPT_WORDS.schema,
        ),
        TRANSCRIPT_WORDS,
    )


@dataclass(frozen=True)
class CallSpeakers:
    """What attributing a call's words needs: its srcList (``raw_calls.units``), its
    length, and how much the audio layer trimmed from its start."""

    units: tuple[Mapping[str, object], ...]
    duration_s: float | None = None
    lead_s: float = 0.0

    def word_units(self, words: Sequence[WordTiming]) -> list[int | None]:
        return word_units(
            [(w.start_s, w.end_s) for w in words], self.units, self.lead_s, self.duration_s
        )


def call_speakers(raw: pa.Table, normalized: pa.Table) -> dict[str, CallSpeakers]:
    """Each call's speakers. ``raw`` holds raw_calls' call_uid, units and duration_s;
    ``normalized`` normalized_audio's call_uid and chain."""
    chains = dict(
        zip(normalized["call_uid"].to_pylist(), normalized["chain"].to_pylist(), strict=True)
    )
    return {
        row["call_uid"]: CallSpeakers(
            tuple(row["units"] or ()), row["duration_s"], lead_trim_s(chains.get(row["call_uid"]))
        )
        for row in raw.select(["call_uid", "units", "duration_s"]).to_pylist()
    }


def stale_words(existing: pa.Table, call_uids: Sequence[str], model_id: str) -> pa.Table:
    """Word keys of earlier transcripts (same model) of calls being transcribed again:
    they go before the new words arrive, so a shorter transcript leaves no tail behind."""
    if existing.num_rows == 0 or not call_uids:
        return existing.slice(0, 0)
    mask = pc.and_(
        pc.equal(existing["model_id"], model_id),
        pc.is_in(existing["call_uid"], value_set=pa.array(list(call_uids), pa.string())),
    )
    return existing.filter(mask)


def current(transcripts: pa.Table, model_id: str) -> pa.Table:
    """The current transcript per call: the one made by ``model_id`` (the transcriber's)."""
    return transcripts.filter(pc.equal(transcripts["model_id"], model_id))
