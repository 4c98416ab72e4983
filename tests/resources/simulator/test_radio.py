import math

import numpy as np
import pytest

from resources.simulator import radio

SR = radio.WORK_RATE


def _speechlike(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Syllable-rate bursts of a voiced tone complex, pitch ~120 Hz."""
    t = np.arange(int(seconds * SR)) / SR
    voiced = sum(np.sin(2 * np.pi * 120 * k * t) / k for k in range(1, 25))
    envelope = np.clip(np.sin(2 * np.pi * 4 * t + rng.uniform(0, 6)), 0, None) ** 2
    return (voiced * envelope).astype(np.float32)


def _band_energy(x: np.ndarray, lo: float, hi: float) -> float:
    spectrum = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / SR)
    return float(spectrum[(freqs >= lo) & (freqs < hi)].sum())


def test_band_limit_keeps_the_voice_band_and_cuts_above_4khz():
    white = np.random.default_rng(0).standard_normal(SR * 4).astype(np.float32)
    out = radio.band_limit(white, SR)
    for lo, hi in ((500, 3000),):
        assert _band_energy(out, lo, hi) / _band_energy(white, lo, hi) == pytest.approx(
            1.0, rel=0.15
        )

    def cut_db(lo: float, hi: float) -> float:
        return 10 * math.log10(_band_energy(out, lo, hi) / _band_energy(white, lo, hi))

    assert cut_db(4000, 8000) < -20
    assert cut_db(5000, 8000) < -40
    assert cut_db(0, 150) < -15


@pytest.mark.parametrize("snr_db", [0.0, 10.0, 25.0])
def test_noise_is_at_the_requested_snr_measured_on_the_mix(snr_db):
    rng = np.random.default_rng(int(snr_db))
    lead = SR  # a second of hiss alone before the speech
    speech = np.concatenate(
        [np.zeros(lead, np.float32), radio.band_limit(_speechlike(4.0, rng), SR)]
    )
    span = (lead, len(speech))
    mix, _ = radio.add_noise(speech, span, snr_db, SR, rng)
    p_noise = radio.power(mix[:lead])  # what a listener measures in the gap
    p_speech = radio.power(mix[span[0] : span[1]]) - p_noise
    assert 10 * math.log10(p_speech / p_noise) == pytest.approx(snr_db, abs=0.75)


def test_squelch_tail_is_a_short_loud_burst_in_band():
    rng = np.random.default_rng(3)
    tail = radio.squelch_tail(SR, rng, level=0.3)
    assert 0.08 <= len(tail) / SR <= 0.25
    assert math.sqrt(radio.power(tail)) == pytest.approx(0.3, rel=0.15)
    assert abs(tail[0]) < 0.05 and abs(tail[-1]) < 0.05  # ramps, no click


def test_clipping_and_garbling_report_what_they_did():
    rng = np.random.default_rng(4)
    x = radio.band_limit(_speechlike(3.0, rng), SR)
    x = x / np.max(np.abs(x)) * 0.5
    clipped, ratio = radio.clip(x, 18.0)
    assert np.max(np.abs(clipped)) <= 0.98 and ratio > 0.01
    assert radio.clip(x, 0.0)[1] == 0.0
    garbled, damaged = radio.garble(x, SR, rng)
    assert 0.3 < damaged < 0.9
    assert not np.allclose(garbled, x)


def test_resample_and_pcm():
    x = np.sin(2 * np.pi * 1000 * np.arange(SR) / SR).astype(np.float32) * 0.5
    y = radio.resample(x, SR, 8000)
    assert len(y) == 8000
    pcm = radio.to_pcm16(np.array([0.0, 1.0, -1.0, 2.0], np.float32))
    assert pcm.tolist() == [0, 32767, -32767, 32767]
