"""Paging tones found in call audio: each family, synthesized as transmitters send it and
mixed into radio noise and speech-like sound; MDC1200 from a real capture."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from assets.tones.detect import ToneSettings, detect_tones
from resources.simulator import tones as gen
from tests.assets.audio.signals import speech_like

SR = 16_000


def _call(tone: np.ndarray, at_s: float = 1.5, snr_db: float = 12.0, seed: int = 3) -> np.ndarray:
    speech = speech_like(8.0, SR, seed=seed)
    return gen.mix_in(speech, tone, at_s, SR, tone_to_speech_db=3.0, snr_db=snr_db, rng=np.random.default_rng(seed))


def test_two_tone_page_in_speech_and_noise():
    (found,) = [t for t in detect_tones(_call(gen.two_tone(853.2, 1123.4, SR)), SR) if t.tone_type == "two_tone"]
    a, b = found.freqs_hz
    assert abs(a - 853.2) < 853.2 * 0.015 and abs(b - 1123.4) < 1123.4 * 0.015
    assert abs(found.start_s - 1.5) < 0.25 and abs(found.end_s - 5.5) < 0.25


def test_long_tone_and_hi_low_warble():
    long_found = detect_tones(_call(gen.long_tone(1000.0, SR, 5.0), seed=4), SR)
    assert [t.tone_type for t in long_found] == ["long"]
    assert abs(long_found[0].freqs_hz[0] - 1000.0) < 15
    warble = [t for t in detect_tones(_call(gen.hi_low(1500.0, 800.0, SR), seed=5), SR) if t.tone_type == "hi_low"]
    assert len(warble) == 1 and sorted(round(f, -2) for f in warble[0].freqs_hz) == [800.0, 1500.0]


def test_dtmf_digits():
    found = [t for t in detect_tones(_call(gen.dtmf("4071#", SR), snr_db=18.0, seed=6), SR) if t.tone_type == "dtmf"]
    assert "".join(t.detail or "" for t in found) == "4071#"


def test_speech_and_noise_alone_page_nobody():
    speech = speech_like(8.0, SR, seed=9)
    quiet = gen.mix_in(speech, np.zeros(1, np.float32), 0.0, SR, -60.0, 12.0, np.random.default_rng(9))
    assert [t for t in detect_tones(quiet, SR) if t.tone_type in ("two_tone", "long", "hi_low")] == []
    assert detect_tones(np.zeros(0, np.float32), SR) == []


def test_mdc1200_burst_from_a_real_capture():
    import icad_tone_detection

    path = Path(icad_tone_detection.__file__).parent / "examples" / "example_audio" / "mdc_example.wav"
    if not path.exists():
        pytest.skip("icad-tone-detection's example capture is not installed")
    y, sr = sf.read(path, dtype="float32", always_2d=True)
    mdc = [t for t in detect_tones(y.mean(axis=1), sr) if t.tone_type == "mdc"]
    assert mdc and {t.detail for t in mdc} == {"01/00/1828"}  # PTT ID of unit 1828
    assert not [t for t in detect_tones(y.mean(axis=1), sr, ToneSettings(detect_mdc=False)) if t.tone_type == "mdc"]
