"""Probing: the header is read and the caps enforced before anything is decoded."""

from __future__ import annotations

import numpy as np
import pytest

from assets.audio import ffmpeg
from assets.audio.errors import BadAudio
from assets.audio.ffmpeg import Source
from assets.audio.probe import Limits, probe

from .signals import encoded, speech_like, wav_bytes


def _probe(data: bytes, ext: str, limits: Limits | None = None):
    with Source(data, ext) as source:
        return probe(source, limits or Limits())


def _refused(data: bytes, ext: str, limits: Limits | None = None) -> BadAudio:
    with pytest.raises(BadAudio) as info:
        _probe(data, ext, limits)
    assert info.value.stage == "probe"
    return info.value


def test_wav_header_is_read_in_process():
    info = _probe(wav_bytes(speech_like(2.0), 16_000), "wav")
    assert (info.reader, info.sample_rate_hz, info.channels) == ("soundfile", 16_000, 1)
    assert info.duration_s == pytest.approx(2.0)


def test_m4a_header_is_read_by_ffmpeg():
    info = _probe(encoded(speech_like(2.0), "m4a"), "m4a")
    assert (info.reader, info.codec, info.sample_rate_hz, info.channels) == (
        "ffmpeg",
        "aac",
        16_000,
        1,
    )
    assert info.duration_s == pytest.approx(2.0, abs=0.05)


def test_empty_file_is_refused():
    assert _refused(b"", "wav").reason == "empty"


def test_random_bytes_named_wav_are_unreadable():
    junk = np.random.default_rng(7).integers(0, 256, 20_000, dtype=np.uint8).tobytes()
    assert _refused(junk, "wav").reason == "unreadable"


def test_an_hour_of_audio_is_refused_before_decoding():
    hour = wav_bytes(np.zeros(8_000 * 3600, dtype=np.int16), 8_000)
    error = _refused(hour, "wav")
    assert error.reason == "too_long"
    assert "3600.0 s" in error.detail


def test_oversized_file_is_refused():
    assert _refused(b"\0" * 2048, "wav", Limits(max_bytes=1024)).reason == "too_large"


@pytest.mark.parametrize(
    ("rate", "channels", "reason"),
    [(384_000, 1, "sample_rate_too_high"), (4_000, 1, "sample_rate_too_low"),
     (16_000, 16, "too_many_channels")],
)  # fmt: skip
def test_rate_and_channel_caps(rate: int, channels: int, reason: str):
    data = wav_bytes(np.zeros((rate // 10, channels), dtype=np.float32), rate)
    assert _refused(data, "wav").reason == reason


def test_192khz_and_8_channels_are_within_the_caps():
    assert (
        _probe(wav_bytes(np.zeros(192_000, dtype=np.float32), 192_000), "wav").sample_rate_hz
        == 192_000
    )
    assert _probe(wav_bytes(np.zeros((16_000, 8), dtype=np.float32)), "wav").channels == 8


def test_ffmpeg_layout_names_count_channels_from_the_binarys_own_table():
    line = "  Stream #0:0: Audio: pcm_s16le ([1][0][0][0] / 0x0001), 8000 Hz, {}, s16, 2048 kb/s"
    for layout, count in [("mono", 1), ("stereo", 2), ("7.1", 8), ("9.1.6", 16), ("5 channels", 5)]:
        header = ffmpeg.parse_input_header(
            "  Duration: 00:01:02.50, bitrate: 1 kb/s\n" + line.format(layout)
        )
        assert header is not None
        assert (header.channels, header.sample_rate_hz, header.duration_s) == (count, 8000, 62.5)
    assert ffmpeg.parse_input_header("Input #0, mov: no streams") is None


def test_ffmpeg_timeout_becomes_bad_audio():
    with pytest.raises(BadAudio) as info:
        ffmpeg.run(["-f", "lavfi", "-i", "anullsrc", "-f", "null", "-"], "decode", 0.2)
    assert (info.value.stage, info.value.reason) == ("decode", "timeout")
