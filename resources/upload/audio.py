"""What an uploaded audio file is and how long it lasts, read cheaply.

The bytes decide the type, not the uploader's ``audioType``: trunk-recorder sends
``application/octet-stream`` parts and SDRTrunk sends no type at all. WAV, FLAC and Ogg
durations come from their headers through libsndfile; m4a and mp3 from the container,
read by FFmpeg's libraries through PyAV (``resources.media``), under a timeout.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import soundfile

from resources import media
from resources.calls import sniff_audio

SUPPORTED = ("wav", "m4a", "mp3", "flac", "ogg")


class UnsupportedAudio(ValueError):
    """The bytes are not one of the supported audio formats."""

    def __init__(self, declared: str | None) -> None:
        super().__init__(f"not one of {', '.join(SUPPORTED)} (declared {declared or 'nothing'})")
        self.declared = declared


class BadAudio(ValueError):
    """Audio of a supported format that cannot be read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ProbedAudio:
    ext: str
    duration_s: float


# one sniffer for every source: the raw layer checks stored audio with the same rules
sniff = sniff_audio


def probe(data: bytes, declared: str | None, timeout_s: float) -> ProbedAudio:
    """Format and duration of an uploaded call's audio; raises ``UnsupportedAudio`` or
    ``BadAudio``."""
    ext = sniff(data)
    if ext is None:
        raise UnsupportedAudio(declared)
    if ext in ("m4a", "mp3"):
        duration = _container_duration(data, ext, timeout_s)
    else:
        duration = _header_duration(data, ext)
    if not duration > 0:
        raise BadAudio(f"{ext} audio holds no samples")
    return ProbedAudio(ext, duration)


def _header_duration(data: bytes, ext: str) -> float:
    try:
        info = soundfile.info(io.BytesIO(data))
    except (soundfile.LibsndfileError, RuntimeError) as exc:
        raise BadAudio(f"unreadable {ext}: {exc}") from exc
    if info.samplerate <= 0:
        raise BadAudio(f"{ext} header has no sample rate")
    return info.frames / info.samplerate


def _container_duration(data: bytes, ext: str, timeout_s: float) -> float:
    try:
        header = media.read_header(data, timeout_s)
        if header.duration_s is not None:
            return header.duration_s
        # No duration in the header (a bare mp3 stream): the packets' timestamps tell it.
        duration = media.packets_duration_s(data, timeout_s)
    except media.MediaError as exc:
        if exc.reason == media.TIMEOUT:
            raise BadAudio(f"probing the audio took longer than {timeout_s:g} s") from exc
        if exc.reason == media.NO_AUDIO_STREAM:
            raise BadAudio(f"no audio stream in the {ext} file") from exc
        raise BadAudio(f"unreadable {ext}: {exc.detail}") from exc
    if duration is None:
        raise BadAudio(f"cannot tell the length of the {ext} file")
    return duration
