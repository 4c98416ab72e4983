"""The whole pure function on every kind of bad input the issue names, and on good audio
of each tier: each ends as FLAC with the right tier, or as a BadAudio with stage and reason."""

from __future__ import annotations

import dataclasses
import io
import struct

import numpy as np
import pytest
import soundfile as sf

from assets.audio.decode import decode
from assets.audio.errors import BadAudio
from assets.audio.ffmpeg import Source
from assets.audio.normalize import normalize
from assets.audio.probe import Limits, probe
from assets.audio.quality import CLEAN, MODERATE, POOR, TIERS
from assets.audio.validate import encode_flac, validate_output

from .signals import clipped, encoded, speech_like, squelch_tail, wav_bytes, with_noise

SPEECH = speech_like(6.0, seed=21)
NOISY = with_noise(SPEECH, 12.0)


def _flac(data: bytes) -> tuple[np.ndarray, int]:
    y, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    assert y.shape[1] == 1
    return y[:, 0], rate


def _refused(data: bytes, ext: str) -> tuple[str, str]:
    with pytest.raises(BadAudio) as info:
        normalize(data, ext)
    return info.value.stage, info.value.reason


def test_good_call_becomes_16khz_mono_flac_with_metrics_chain_and_timings():
    result = normalize(wav_bytes(with_noise(SPEECH, 12.0, seed=4), 8_000 * 2), "wav")
    y, rate = _flac(result.flac)
    assert rate == result.sample_rate_hz == 16_000
    assert result.duration_s == pytest.approx(len(y) / 16_000)
    assert result.tier == MODERATE
    assert result.chain[0] == "bandpass:200-4000Hz"
    assert set(result.timings_ms) >= {
        "probe",
        "decode",
        "resample",
        "analyze",
        "encode",
        "validate",
    }
    assert result.processing_ms == pytest.approx(sum(result.timings_ms.values()))
    assert result.metrics.snr_db > 10.0 and result.metrics.speech_ratio > 0.2
    assert np.max(np.abs(y)) <= 10 ** (-1 / 20) + 1e-4


@pytest.mark.parametrize(
    ("audio", "tier"),
    [(SPEECH, CLEAN), (NOISY, MODERATE), (with_noise(SPEECH, 2.0), POOR),
     (clipped(with_noise(SPEECH, 30.0), drive=10.0), POOR)],
    ids=["clean", "moderate", "poor", "heavy-clipping"],
)  # fmt: skip
def test_tiers(audio: np.ndarray, tier: str):
    result = normalize(wav_bytes(audio), "wav")
    assert result.tier == tier
    y, _ = _flac(result.flac)
    assert np.mean(np.abs(y) >= 0.999) == 0.0  # nothing clipped on the way out


def test_squelch_tail_is_trimmed():
    result = normalize(wav_bytes(squelch_tail(NOISY, seconds=0.5)), "wav")
    assert result.input_duration_s == pytest.approx(6.5)
    assert result.duration_s < 6.5 - 0.4


def test_zero_bytes():
    assert _refused(b"", "wav") == ("probe", "empty")


def test_random_bytes_named_wav():
    junk = np.random.default_rng(1).integers(0, 256, 50_000, dtype=np.uint8).tobytes()
    assert _refused(junk, "wav") == ("probe", "unreadable")


def test_truncated_mp3_keeps_what_decodes_and_says_so():
    whole = encoded(NOISY, "mp3", 16_000, "-b:a", "32k")
    result = normalize(whole[: len(whole) // 2], "mp3")
    assert result.tier in TIERS
    assert result.input_duration_s == pytest.approx(3.0, abs=0.3)
    assert any(w.startswith("truncated:") for w in result.warnings)


def test_truncated_m4a_without_its_index_is_unreadable():
    whole = encoded(NOISY, "m4a")  # ffmpeg writes the moov index at the end by default
    assert _refused(whole[: len(whole) // 2], "m4a") == ("probe", "unreadable")


def test_truncated_streamable_m4a_keeps_what_decodes():
    whole = encoded(NOISY, "m4a", 16_000, "-movflags", "+faststart")
    result = normalize(whole[: len(whole) // 2], "m4a")
    assert result.source.reader == "ffmpeg"
    assert 1.5 < result.input_duration_s < 4.5
    assert result.warnings  # ffmpeg's complaint about the cut stream is kept


def test_an_hour_long_call():
    hour = wav_bytes(np.zeros(8_000 * 3600, dtype=np.int16), 8_000)
    assert _refused(hour, "wav") == ("probe", "too_long")


def test_a_header_claiming_an_hour_over_two_seconds_of_audio():
    data = wav_bytes(speech_like(2.0, rate=8_000), 8_000)
    frames = 8_000 * 3600
    lie = struct.pack("<I", frames * 2)
    data = data[:4] + struct.pack("<I", 36 + frames * 2) + data[8:40] + lie + data[44:]
    result = normalize(data, "wav")
    assert result.input_duration_s == pytest.approx(2.0)


def test_192khz_is_resampled():
    result = normalize(wav_bytes(with_noise(speech_like(3.0, rate=192_000), 25.0), 192_000), "wav")
    assert (result.source.sample_rate_hz, result.sample_rate_hz) == (192_000, 16_000)
    assert result.chain[0] == "resample:192000->16000Hz"


def test_eight_channels_are_mixed_down():
    eight = np.stack([SPEECH] + [np.zeros_like(SPEECH)] * 7, axis=1)
    result = normalize(wav_bytes(eight), "wav")
    assert result.source.channels == 8
    assert _flac(result.flac)[0].ndim == 1


def test_pure_silence():
    assert _refused(wav_bytes(np.zeros(16_000 * 5, dtype=np.float32)), "wav") == (
        "analyze",
        "silent",
    )


def test_pure_noise():
    noise = np.random.default_rng(2).standard_normal(16_000 * 5).astype(np.float32) * 0.2
    assert _refused(wav_bytes(noise), "wav") == ("analyze", "no_speech")


def test_m4a_and_mp3_go_through_the_whole_chain():
    for ext in ("m4a", "mp3"):
        result = normalize(encoded(NOISY, ext), ext)
        assert result.tier == MODERATE, ext
        assert result.duration_s > 5.0


def test_validation_refuses_new_clipping_and_silent_output():
    loud = np.clip(SPEECH * 10, -1, 1)
    with pytest.raises(BadAudio) as info:
        validate_output(encode_flac(loud), 6.0, input_clipping_ratio=0.0)
    assert (info.value.stage, info.value.reason) == ("validate", "new_clipping")
    with pytest.raises(BadAudio) as info:
        validate_output(encode_flac(SPEECH * 1e-4), 6.0, input_clipping_ratio=0.0)
    assert info.value.reason == "silent_output"
    with pytest.raises(BadAudio) as info:
        validate_output(encode_flac(SPEECH[:1000]), 6.0, input_clipping_ratio=0.0)
    assert info.value.reason == "too_short"


def test_a_header_understating_its_length_is_caught_at_decode():
    data = wav_bytes(with_noise(speech_like(3.0), 20.0))
    limits = Limits(max_duration_s=2.0)
    with Source(data, "wav") as source:
        claimed = dataclasses.replace(probe(source, Limits()), duration_s=1.0)
        with pytest.raises(BadAudio) as info:
            decode(source, claimed, limits)
    assert (info.value.stage, info.value.reason) == ("decode", "too_long")
