"""Probing: the header is read and the caps enforced before anything is decoded."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import imageio_ffmpeg
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


def test_channel_layouts_are_counted_by_ffmpegs_own_libraries():
    # named layouts (5.1, 7.1) and a 16-channel file in a container only ffmpeg reads
    for channels, args in [(6, ("-c:a", "aac")), (8, ("-c:a", "aac"))]:
        data = encoded(np.zeros((16_000, channels), dtype=np.float32), "m4a", 16_000, *args)
        info = _probe(data, "m4a", Limits(max_channels=8))
        assert (info.reader, info.channels, info.sample_rate_hz) == ("ffmpeg", channels, 16_000)
    sixteen = encoded(np.zeros((16_000, 16), dtype=np.float32), "mka", 16_000, "-c:a", "pcm_s16le")
    assert _refused(sixteen, "mka").reason == "too_many_channels"
    assert _probe(sixteen, "mka", Limits(max_channels=16)).channels == 16


def test_a_container_without_audio_is_told_apart_from_junk():
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "video.mp4"
        subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "color=s=32x32:d=1",
             "-c:v", "mpeg4", str(out)],
            check=True, timeout=60,
        )  # fmt: skip
        assert _refused(out.read_bytes(), "m4a").reason == "no_audio_stream"
    assert _refused(b"\0" * 4096, "m4a").reason == "unreadable"


def test_ffmpeg_timeout_becomes_bad_audio():
    with pytest.raises(BadAudio) as info:
        ffmpeg.run(["-f", "lavfi", "-i", "anullsrc", "-f", "null", "-"], "decode", 0.2)
    assert (info.value.stage, info.value.reason) == ("decode", "timeout")
