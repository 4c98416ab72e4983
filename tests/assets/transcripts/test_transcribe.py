import dataclasses

import numpy as np
import pytest

from assets.transcripts import guards as g
from assets.transcripts.transcribe import CallAudio, transcribe_calls
from resources.asr.engine import WhisperEngine
from resources.asr.packing import PackingOptions
from tests.assets.transcripts.speech import KEY_WORDS, SENTENCES, radio, silence, speak, words_of

pytestmark = pytest.mark.slow

ORDER = ["engine", "medic", "traffic", "ladder"]


def mixed_calls() -> list[CallAudio]:
    """Four different calls and a silent one, some through a radio channel."""
    return [
        CallAudio("c-engine", speak(SENTENCES["engine"])),
        CallAudio("c-silent", silence(3.0)),
        CallAudio("c-medic", radio(speak(SENTENCES["medic"]), snr_db=25, seed=1)),
        CallAudio("c-traffic", speak(SENTENCES["traffic"], lead_s=1.5, tail_s=1.0)),
        CallAudio("c-ladder", radio(speak(SENTENCES["ladder"]), snr_db=25, seed=2)),
    ]


def assert_own_words(results, keys=ORDER):
    by_uid = {r.call_uid: r for r in results}
    for key in keys:
        heard = words_of(by_uid[f"c-{key}"].text)
        assert len(KEY_WORDS[key] & heard) >= len(KEY_WORDS[key]) - 1, (key, heard)
        others = set().union(*(KEY_WORDS[k] for k in KEY_WORDS if k != key))
        assert not heard & others, (key, heard & others)


def test_a_packed_batch_of_mixed_calls_gives_each_call_its_own_words(engine):
    calls = mixed_calls()
    results = transcribe_calls(calls, engine, PackingOptions(pack_calls=True))
    assert [r.call_uid for r in results] == [c.call_uid for c in calls]
    assert_own_words(results)
    speech = [r for r in results if r.call_uid != "c-silent"]
    assert all(r.shared_window for r in speech)  # they really shared windows
    for call, r in zip(calls, results, strict=True):
        starts = [w.start_s for w in r.words]
        assert starts == sorted(starts)
        assert all(0.0 <= w.start_s <= w.end_s <= call.duration_s for w in r.words)
        assert r.text == "".join(w.word for w in r.words).strip()
    traffic = results[3]
    assert traffic.words[0].start_s >= 1.0  # its 1.5 s of lead silence stays in call time


def test_silence_gives_an_empty_flagged_transcript(engine):
    results = transcribe_calls(
        [CallAudio("quiet", silence(4.0)), CallAudio("hum", radio(silence(4.0), 0))], engine
    )
    for r in results:
        assert r.text == "" and r.words == ()
        assert g.NO_SPEECH in r.flags
        assert r.confidence is None


def test_one_call_per_window_hears_the_same_words(engine):
    calls = [c for c in mixed_calls() if c.call_uid != "c-silent"]
    alone = transcribe_calls(calls, engine, PackingOptions(pack_calls=False))
    assert not any(r.shared_window for r in alone)
    assert_own_words(alone)


def test_calls_of_different_prompts_are_decoded_in_one_batch_and_lone_windows_short(engine):
    """Windows are packed per prompt but batched across prompts of one token length; a
    window holding one call can be given a shorter encoder input (``lone_min_encode_s``)."""
    # the batch goes through the encoder whole (on the CPU it would go window by window), so
    # the encoder's calls show how windows were batched
    engine = WhisperEngine(
        engine.models,
        dataclasses.replace(
            engine.options, max_prompt_tokens=6, lone_min_encode_s=10.0, encode_batch_size=8
        ),
    )
    prompts = {"c-engine": "Engine 12, Ladder 7, Battalion 2.", "c-medic": "Medic 4, ALS, BLS."}
    calls = [
        dataclasses.replace(c, vocabulary=prompts.get(c.call_uid))
        for c in mixed_calls()
        if c.call_uid in ("c-engine", "c-medic")
    ]
    frames: list[tuple[int, int]] = []
    original = engine.model.encode
    engine.model.encode = lambda f: frames.append(f.shape[::2]) or original(f)
    try:
        results = transcribe_calls(calls, engine, PackingOptions(retry=False))
    finally:
        del engine.model.encode  # the instance attribute; the shared model is untouched
    assert frames == [(2, 1000)]  # one batch, two lone windows, 10 s of encoder input each
    assert_own_words(results, ["engine", "medic"])


def test_a_call_longer_than_a_window_is_split_and_rejoined_in_order(engine):
    audio = np.concatenate(
        [speak(SENTENCES[k], 0.2, 0.2) for k in ORDER]
        + [silence(4.0)]
        + [speak(SENTENCES[k], 0.2, 0.2) for k in ORDER]
    )
    assert audio.size / 16000 > 35
    [r] = transcribe_calls([CallAudio("long", audio)], engine)
    heard = [w for w in (g.normalize_word(x.word) for x in r.words) if w]
    assert heard.count("maple") == 2 and heard.count("quarters") == 2
    assert (
        heard.index("maple") < heard.index("quarters") < len(heard) - 1 - heard[::-1].index("maple")
    )
    starts = [w.start_s for w in r.words]
    assert starts == sorted(starts) and r.words[-1].end_s <= audio.size / 16000


def test_a_domain_prompt_keeps_text_honest(engine):
    prompt = "Engine 12, Medic 4, Ladder 7, Maple Street, County General, 10-4, 10-23."
    calls = [CallAudio(c.call_uid, c.audio, prompt) for c in mixed_calls()]
    results = transcribe_calls(calls, engine)
    assert_own_words(results)
    silent = results[1]
    assert (
        silent.text == "" and g.NO_SPEECH in silent.flags
    )  # the prompt is never read out on silence
    assert all(g.PROMPT_ECHO not in r.flags for r in results)


def test_a_call_decoded_into_a_loop_is_decoded_again_without_its_prompt(engine):
    """A real loop: a prompt of one repeated name makes tiny.en decode a lone, noisy call as
    "Redpond, Redpond, ..."; the last-resort decode (alone, no prompt, repeats banned)
    hears the call. (The loop needs the encoder to see the call's audio only, 10 s, not a
    padded 30 s: with the prompt that long, tiny.en follows the prompt.)"""
    engine = WhisperEngine(engine.models, dataclasses.replace(engine.options, min_encode_s=10.0))
    audio = radio(speak(SENTENCES["engine"]), snr_db=5, seed=3)
    call = CallAudio("c-loop", audio, "Redpond, " * 20)
    once = transcribe_calls([call], engine, PackingOptions(pack_calls=False, retry=False))[0]
    assert g.REPETITION_LOOP in once.flags and g.hallucinated(once.flags)
    assert not words_of(once.text) & KEY_WORDS["engine"]
    again = transcribe_calls([call], engine, PackingOptions(pack_calls=False))[0]
    assert again.retried and not g.hallucinated(again.flags)
    assert len(words_of(again.text) & KEY_WORDS["engine"]) >= 3, again.text
