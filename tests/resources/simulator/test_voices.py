import numpy as np
import pytest

from resources.simulator import espeak_voice, voices
from resources.simulator.script import words_of

TEXT = "Medic four, respond to twelve twenty Oak Street for a fall, eighty year old female. Time zero eight fourteen."


def _check_word_times(speech: voices.Speech, text: str) -> None:
    duration = len(speech.audio) / speech.sample_rate
    assert [w.word for w in speech.words] == words_of(text)
    for w in speech.words:
        assert 0 <= w.start_s < w.end_s <= duration + 1e-6, w
    for a, b in zip(speech.words, speech.words[1:], strict=False):
        assert a.end_s <= b.start_s + 1e-9, (a, b)
    # the times sit on the speech: words are far louder than the gaps between clauses
    sr, x = speech.sample_rate, speech.audio.astype(np.float64)
    inside = np.zeros(len(x), bool)
    for w in speech.words:
        inside[int(w.start_s * sr) : int(w.end_s * sr)] = True
    gaps = [
        (a.end_s, b.start_s)
        for a, b in zip(speech.words, speech.words[1:], strict=False)
        if b.start_s - a.end_s > 0.08
    ]
    assert gaps, "expected pauses at the commas and the full stop"
    gap_power = np.mean(
        np.concatenate([x[int(s * sr) + 160 : int(e * sr) - 160] ** 2 for s, e in gaps])
    )
    assert np.mean(x[inside] ** 2) > 20 * gap_power


@pytest.mark.parametrize("voice_id", ["piper-joe", "espeak-m3", "espeak-f2", "espeak-nyc"])
def test_words_are_timed_monotonic_and_on_the_speech(voice_id):
    speech = voices.speak(voice_id, TEXT, np.random.default_rng(1))
    assert speech.word_times == (
        "piper_alignment" if voice_id.startswith("piper") else "espeak_events"
    )
    _check_word_times(speech, TEXT)
    assert any(w.estimated for w in speech.words)  # "for a" is one phonetic word


def test_same_seed_same_audio_other_seed_other_audio():
    a = voices.speak("piper-joe", TEXT, np.random.default_rng(7))
    b = voices.speak("piper-joe", TEXT, np.random.default_rng(7))
    c = voices.speak("piper-joe", TEXT, np.random.default_rng(8))
    assert a.audio.tobytes() == b.audio.tobytes()
    assert a.audio.tobytes() != c.audio.tobytes()
    # espeak-ng carries state from one utterance to the next; the same call must not
    e1 = voices.speak("espeak-nyc", TEXT, np.random.default_rng(7))
    voices.speak("espeak-f3", "Something else entirely, said in between.", np.random.default_rng(1))
    e2 = voices.speak("espeak-nyc", TEXT, np.random.default_rng(7))
    assert e1.audio.tobytes() == e2.audio.tobytes()
    # nor on the helper process: a fresh one (another clock-seeded start-up) says it the same
    breathy = voices.speak("espeak-f2", TEXT, np.random.default_rng(7))
    espeak_voice.shutdown()
    assert (
        voices.speak("espeak-f2", TEXT, np.random.default_rng(7)).audio.tobytes()
        == breathy.audio.tobytes()
    )


def test_every_voice_speaks():
    for voice_id, spec in voices.VOICES.items():
        if spec.engine == "espeak":
            s = voices.speak(voice_id, "Engine twelve, ten four.", np.random.default_rng(0))
            assert 0.5 < len(s.audio) / s.sample_rate < 4, voice_id
    with pytest.raises(espeak_voice.EspeakError):
        espeak_voice.speak("ten four", "no-such-voice")
