"""Probe first: what a call's audio claims to be, refused before any decoding if it is
empty, too large, too long, or at a sample rate or channel count we will not handle."""

from __future__ import annotations

import io
from dataclasses import dataclass

import soundfile as sf

from assets.audio import ffmpeg
from assets.audio.errors import PROBE, BadAudio
from resources import media

# Containers libsndfile cannot open: go straight to ffmpeg rather than fail once first.
FFMPEG_ONLY_EXTS = frozenset({"m4a", "mp4", "aac", "opus", "webm", "wma", "amr", "3gp"})


@dataclass(frozen=True)
class Limits:
    """What a call's audio may be. A 15-minute cap: no radio transmission is that long, and a
    longer file is a stuck recorder or a mislabelled archive that would stall a worker."""

    max_bytes: int = 256 * 1024 * 1024
    max_duration_s: float = 900.0
    min_duration_s: float = 0.25
    min_sample_rate_hz: int = 8_000
    max_sample_rate_hz: int = 192_000
    max_channels: int = 8
    # frames x channels held in memory at the input rate (float32: 4 bytes each)
    max_samples: int = 900 * 48_000 * 2
    probe_timeout_s: float = 15.0
    decode_timeout_s: float = 120.0


@dataclass(frozen=True)
class AudioInfo:
    reader: str  # "soundfile" or "ffmpeg": who decodes it
    container: str
    codec: str
    sample_rate_hz: int
    channels: int
    duration_s: float | None  # as the header declares it; None if the container does not say
    size_bytes: int


def probe(source: ffmpeg.Source, limits: Limits) -> AudioInfo:
    """Read the header of ``source`` and enforce ``limits``; raise BadAudio if refused."""
    size = len(source.data)
    if size == 0:
        raise BadAudio(PROBE, "empty", "0 bytes")
    if size > limits.max_bytes:
        raise BadAudio(PROBE, "too_large", f"{size} bytes > {limits.max_bytes}")
    info = None if source.ext in FFMPEG_ONLY_EXTS else _soundfile_info(source.data)
    if info is None:
        info = _ffmpeg_info(source, limits)
    _enforce(info, limits)
    return info


def _soundfile_info(data: bytes) -> AudioInfo | None:
    try:
        info = sf.info(io.BytesIO(data))
    except sf.LibsndfileError:
        return None  # not a format libsndfile knows: ffmpeg gets a try
    return AudioInfo(
        reader="soundfile",
        container=info.format.lower(),
        codec=info.subtype.lower(),
        sample_rate_hz=int(info.samplerate),
        channels=int(info.channels),
        duration_s=float(info.frames) / info.samplerate if info.samplerate else 0.0,
        size_bytes=len(data),
    )


def _ffmpeg_info(source: ffmpeg.Source, limits: Limits) -> AudioInfo:
    # FFmpeg's own demuxers, through PyAV; the ffmpeg binary decodes it afterwards.
    try:
        header = media.read_header(source.data, limits.probe_timeout_s)
    except media.MediaError as exc:
        raise BadAudio(PROBE, exc.reason, exc.detail) from exc
    return AudioInfo(
        reader="ffmpeg",
        container=header.container,
        codec=header.codec,
        sample_rate_hz=header.sample_rate_hz,
        channels=header.channels,
        duration_s=header.duration_s,
        size_bytes=len(source.data),
    )


def _enforce(info: AudioInfo, limits: Limits) -> None:
    rate = info.sample_rate_hz
    if rate < limits.min_sample_rate_hz:
        raise BadAudio(PROBE, "sample_rate_too_low", f"{rate} Hz < {limits.min_sample_rate_hz}")
    if rate > limits.max_sample_rate_hz:
        raise BadAudio(PROBE, "sample_rate_too_high", f"{rate} Hz > {limits.max_sample_rate_hz}")
    if info.channels > limits.max_channels:
        raise BadAudio(PROBE, "too_many_channels", f"{info.channels} > {limits.max_channels}")
    if info.duration_s is not None:
        if info.duration_s > limits.max_duration_s:
            raise BadAudio(
                PROBE, "too_long", f"{info.duration_s:.1f} s > {limits.max_duration_s:g} s"
            )
        if info.duration_s < limits.min_duration_s:
            raise BadAudio(
                PROBE, "too_short", f"{info.duration_s:.3f} s < {limits.min_duration_s:g} s"
            )
        samples = info.duration_s * rate * max(info.channels, 1)
        if samples > limits.max_samples:
            raise BadAudio(PROBE, "too_many_samples", f"{samples:.0f} > {limits.max_samples}")
