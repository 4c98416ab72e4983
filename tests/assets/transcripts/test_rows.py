import datetime as dt

import pyarrow as pa

from assets.transcripts import quality
from assets.transcripts.rows import (
    call_prompts,
    current,
    pending_calls,
    stale_words,
    transcript_rows,
    unreadable,
    word_rows,
)
from assets.transcripts.transcribe import CallTranscript
from lake.tables import TRANSCRIPT_WORDS, TRANSCRIPTS
from resources.asr.models import ModelIdentity
from resources.asr.vocabulary import Vocabulary
from resources.asr.words import WordTiming

DAY = dt.date(2024, 5, 1)
T0 = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
MODEL = ModelIdentity("tiny.en", "test")


def result(uid: str, *spoken: str) -> CallTranscript:
    words = tuple(
        WordTiming(" " + w, i * 0.5, i * 0.5 + 0.4, 0.9, -0.1, 1) for i, w in enumerate(spoken)
    )
    return CallTranscript(
        call_uid=uid,
        text=" ".join(spoken),
        language="en",
        words=words,
        avg_logprob=-0.1,
        no_speech_prob=0.01,
        compression_ratio=1.0,
        confidence=0.9,
        flags=(),
        processing_ms=5.0,
        speech_s=2.0,
    )


def test_pending_means_no_transcript_for_this_model_or_an_older_one_than_the_audio():
    normalized = pa.table(
        {
            "call_uid": ["a", "b", "c", "d"],
            "processed_at": [T0, T0, T0 + dt.timedelta(hours=2), T0],
        }
    )
    transcribed = pa.table(
        {
            "call_uid": ["a", "b", "c"],
            "model_id": ["tiny.en", "small.en", "tiny.en"],
            "transcribed_at": [T0 + dt.timedelta(hours=1)] * 3,
        }
    )
    todo = pending_calls(normalized, transcribed, "tiny.en")
    # a: done; b: only another model's transcript; c: audio re-normalized since; d: never
    assert todo["call_uid"].to_pylist() == ["b", "c", "d"]


def test_prompts_are_per_talkgroup_with_the_units_heard_there():
    raw = pa.table(
        {
            "call_uid": ["a", "b", "c"],
            "talkgroup": [101, 101, 200],
            "talkgroup_tag": ["Fire Dispatch", "Fire Dispatch", "PD Main"],
            "talkgroup_group": ["Fire", "Fire", "Police"],
            "talkgroup_description": [None, None, None],
            "units": [
                [{"tag": "Engine 12"}],
                [{"tag": "Ladder 7"}, {"tag": "Engine 12"}],
                [{"tag": None}],
            ],
        }
    )
    prompts = call_prompts(raw, Vocabulary())
    assert prompts["a"] == prompts["b"]
    assert prompts["a"].startswith("Engine 12, Ladder 7, Engine, Ladder")
    assert prompts["c"].startswith("Unit, traffic stop")


def test_rows_follow_the_registry_and_words_are_numbered_per_call():
    results = [result("a", "Engine", "12,", "respond."), unreadable("b", "en")]
    dates = {"a": DAY, "b": DAY}
    t = transcript_rows(results, dates, MODEL, T0)
    w = word_rows(results, dates, MODEL.model_id)
    assert t.schema == TRANSCRIPTS.schema and w.schema == TRANSCRIPT_WORDS.schema
    assert t.to_pylist()[1]["flags"] == ["unreadable_audio"] and t.to_pylist()[1]["text"] == ""
    assert w["word"].to_pylist() == ["Engine", "12,", "respond."]
    assert w["word_index"].to_pylist() == [0, 1, 2]
    assert quality.words_match_text(t, w).passed
    assert quality.empty_means_flagged(t).passed
    assert quality.unique_keys(w, TRANSCRIPT_WORDS.key).passed


def test_stale_words_are_those_of_the_same_model_for_the_redone_calls():
    existing = pa.table(
        {
            "call_uid": ["a", "a", "b", "a"],
            "model_id": ["m1", "m1", "m1", "m2"],
            "word_index": [0, 1, 0, 0],
        }
    )
    stale = stale_words(existing, ["a"], "m1")
    assert stale.to_pylist() == [
        {"call_uid": "a", "model_id": "m1", "word_index": i} for i in (0, 1)
    ]
    assert stale_words(existing, [], "m1").num_rows == 0


def test_current_is_the_transcribers_model():
    t = pa.table({"call_uid": ["a", "a"], "model_id": ["m1", "m2"], "text": ["old", "new"]})
    assert current(t, "m2")["text"].to_pylist() == ["new"]


def test_quality_rules_catch_broken_rows():
    t = transcript_rows([result("a", "one", "two")], {"a": DAY}, MODEL, T0)
    w = word_rows([result("a", "one", "three")], {"a": DAY}, MODEL.model_id)
    assert not quality.words_match_text(t, w).passed
    empty = transcript_rows([result("b")], {"b": DAY}, MODEL, T0)
    assert not quality.empty_means_flagged(empty).passed
    words = pa.table(
        {
            "call_uid": ["a", "a", "b"],
            "model_id": ["m"] * 3,
            "word_index": [0, 1, 0],
            "start_s": [1.0, 0.5, 0.0],
            "end_s": [1.2, 0.9, 9.0],
        }
    )
    durations = pa.table({"call_uid": ["a", "b"], "duration_s": [5.0, 4.0]})
    finding = quality.word_times_sane(words, durations)
    assert not finding.passed and finding.metadata["bad_calls"] == ["a", "b"]
    normalized = pa.table({"call_uid": ["a", "b"]})
    assert quality.every_call_transcribed(normalized, t, MODEL.model_id).metadata[
        "missing_calls"
    ] == ["b"]
