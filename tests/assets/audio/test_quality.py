"""Quality metrics and tiers on signals whose truth we set: SNR, silence, clipping, speech."""

from __future__ import annotations

import numpy as np
import pytest

from assets.audio.errors import BadAudio
from assets.audio.quality import (
    CLEAN,
    MODERATE,
    POOR,
    choose_tier,
    clipping_ratio,
    measure,
    refuse_unusable,
)

from .signals import RATE, clipped, speech_like, with_noise

SPEECH = speech_like(6.0, seed=3)


def test_clean_speech_measures_clean():
    m = measure(SPEECH, 0.0)
    assert m.snr_db >= 40.0
    assert 0.3 < m.speech_ratio < 0.8
    assert m.silence_ratio > 0.2  # the digital silence between words
    assert m.loudness_lufs is not None and -40.0 < m.loudness_lufs < -10.0
    assert m.peak_dbfs == pytest.approx(20 * np.log10(0.3), abs=0.1)
    assert choose_tier(m) == CLEAN


@pytest.mark.parametrize(("snr", "tier"), [(30.0, CLEAN), (13.0, MODERATE), (3.0, POOR)])
def test_snr_estimate_follows_the_added_noise(snr: float, tier: str):
    m = measure(with_noise(SPEECH, snr), 0.0)
    # White hiss is spread over 8 kHz; the estimate looks at the speech band only, which
    # leaves out about 4 dB of the noise.
    assert m.snr_db == pytest.approx(snr + 4.0, abs=3.5)
    # hiss at 13 dB or worse sits above the dead-air level (-50 dBFS) in every frame
    assert (m.silence_ratio == 0.0) == (snr <= 13.0)
    assert choose_tier(m) == tier


def test_heavy_clipping_is_poor_whatever_the_snr():
    x = clipped(with_noise(SPEECH, 30.0), drive=10.0)
    m = measure(x, clipping_ratio(x, RATE))
    assert m.clipping_ratio > 0.01
    assert choose_tier(m) == POOR


def test_clipping_is_found_below_full_scale_and_not_in_clean_speech():
    x = with_noise(SPEECH, 30.0)
    assert clipping_ratio(x, RATE) < 1e-4
    # clipped at 0.98 as a limiter does, then attenuated 12 dB further down the line
    limited = np.clip(x * 8, -0.98, 0.98) * 0.25
    assert clipping_ratio(limited, RATE) > 0.01  # poor-tier territory
    t = np.arange(RATE) / RATE
    assert clipping_ratio((0.9 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), RATE) == 0.0


def test_silence_is_refused():
    with pytest.raises(BadAudio) as info:
        refuse_unusable(measure(np.zeros(RATE * 3, dtype=np.float32), 0.0))
    assert (info.value.stage, info.value.reason) == ("analyze", "silent")


def test_pure_noise_has_no_speech_and_is_refused():
    noise = np.random.default_rng(5).standard_normal(RATE * 4).astype(np.float32) * 0.1
    m = measure(noise, 0.0)
    assert m.speech_ratio < 0.02
    with pytest.raises(BadAudio) as info:
        refuse_unusable(m)
    assert info.value.reason == "no_speech"


def test_a_steady_tone_is_not_speech():
    t = np.arange(RATE * 3) / RATE
    m = measure((0.3 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32), 0.0)
    assert m.speech_ratio < 0.02


def test_under_one_gating_block_has_no_loudness():
    assert measure(SPEECH[: int(0.3 * RATE)], 0.0).loudness_lufs is None
