"""Each step of the tier chains does what it claims, measured on the output."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from assets.audio.chain import (
    LOUDNESS_TARGET_LUFS,
    apply_chain,
    bandpass,
    denoise,
    normalize_loudness,
    trim,
)
from assets.audio.quality import CLEAN, MODERATE, POOR, frames_of, loudness_lufs, measure

from .signals import RATE, speech_like, squelch_tail, with_noise

SPEECH = speech_like(6.0, seed=11)


def _band_power(x: np.ndarray, low: float, high: float) -> float:
    freqs, psd = signal.welch(x, RATE, nperseg=1024)
    return float(psd[(freqs >= low) & (freqs <= high)].sum())


def test_radio_bandpass_removes_hum_and_keeps_speech():
    t = np.arange(len(SPEECH)) / RATE
    hum = (0.2 * np.sin(2 * np.pi * 60 * t)).astype(np.float32)
    out = bandpass(SPEECH + hum, 300.0, 3400.0)
    assert _band_power(out, 40, 80) < 1e-3 * _band_power(SPEECH + hum, 40, 80)
    assert _band_power(out, 500, 3000) == pytest.approx(_band_power(SPEECH, 500, 3000), rel=0.3)


def test_denoise_lowers_the_noise_between_words_more_than_the_speech():
    noisy = with_noise(SPEECH, 8.0)
    frames = frames_of(noisy)
    out, step = denoise(noisy, frames, 0.9)
    assert step == "denoise:stationary:0.9"
    before, after = measure(noisy, 0.0, frames), measure(out, 0.0)
    assert after.snr_db > before.snr_db + 6.0


def test_trim_cuts_dead_air_and_the_squelch_tail():
    lead = np.zeros(RATE, dtype=np.float32)
    x = with_noise(squelch_tail(np.concatenate([lead, SPEECH]), seconds=0.4), 30.0)
    out, step = trim(x, frames_of(x))
    assert step.startswith("trim:")
    cut_lead, cut_tail = (float(s.rstrip("s")) for s in step.removeprefix("trim:").split("+"))
    assert cut_lead > 0.8  # most of the second of silence, less the padding
    assert cut_tail > 0.3  # the 0.4 s squelch burst
    assert len(out) < len(x) - int(1.1 * RATE)
    # the speech itself survives: its loudest part is still there
    assert np.max(np.abs(out)) >= 0.95 * np.max(np.abs(SPEECH))


def test_loudness_reaches_the_target_under_the_peak_ceiling():
    quiet = with_noise(SPEECH * 0.05, 30.0)
    out, steps = normalize_loudness(quiet)
    assert steps[0].startswith("loudness:")
    assert np.max(np.abs(out)) <= 10 ** (-1 / 20) + 1e-6
    lufs = loudness_lufs(out)
    assert lufs is not None
    if len(steps) == 1:  # no ceiling was hit: the target itself is met
        assert lufs == pytest.approx(LOUDNESS_TARGET_LUFS, abs=0.5)
    else:
        assert lufs < LOUDNESS_TARGET_LUFS


@pytest.mark.parametrize(
    ("tier", "expected"),
    [(CLEAN, ["bandpass:80-7600Hz", "trim", "loudness"]),
     (MODERATE, ["bandpass:200-4000Hz", "denoise:stationary:0.6", "trim", "loudness"]),
     (POOR, ["bandpass:300-3400Hz", "denoise:stationary:0.9", "trim", "loudness"])],
)  # fmt: skip
def test_each_tier_runs_its_chain_and_times_every_step(tier: str, expected: list[str]):
    x = with_noise(SPEECH, 10.0)
    timings: dict[str, float] = {}
    out, steps = apply_chain(x, tier, frames_of(x), timings)
    assert [
        s.split(":")[0] if e in ("trim", "loudness") else s
        for s, e in zip(steps, expected, strict=False)
    ] == expected
    assert set(timings) == {s.split(":")[0] for s in steps if not s.startswith("peak_ceiling")}
    assert all(v >= 0 for v in timings.values())
    assert out.dtype == np.float32 and 0 < len(out) <= len(x)
