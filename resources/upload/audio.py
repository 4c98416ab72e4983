"""What an uploaded audio file is and how long it lasts, read cheaply.

The bytes decide the type, not the uploader's ``audioType``: trunk-recorder sends
``application/octet-stream`` parts and SDRTrunk sends no type at all. WAV, FLAC and Ogg
durations come from their headers through libsndfile; m4a and mp3 from the container
header printed by the ffmpeg binary of imageio-ffmpeg, under a timeout.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import dataclass

import imageio_ffmpeg
import soundfile

from resources.calls import sniff_audio

SUPPORTED = ("wav", "m4a", "mp3", "flac", "ogg")

_DURATION = re.compile(rb"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_TIME = re.compile(rb"time=(\d+):(\d\d):(\d\d(?:\.\d+)?)")
_AUDIO_STREAM = re.compile(rb"Stream #\d+:\d+.*: Audio: ")


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
        duration = _ffmpeg_duration(data, ext, timeout_s)
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


def _ffmpeg_duration(data: bytes, ext: str, timeout_s: float) -> float:
    # A real file, not a pipe: an m4a whose index sits at the end needs to seek.
    with tempfile.NamedTemporaryFile(suffix=f".{ext}") as tmp:
        tmp.write(data)
        tmp.flush()
        header = _ffmpeg(["-i", tmp.name], timeout_s)
        if not _AUDIO_STREAM.search(header):
            raise BadAudio(f"ffmpeg finds no audio stream in the {ext} file")
        found = _DURATION.search(header)
        if found:
            return _seconds(found)
        # No duration in the header (a bare mp3 stream): decode it and read the last clock.
        decoded = _ffmpeg(["-i", tmp.name, "-f", "null", "-"], timeout_s)
        clocks = list(_TIME.finditer(decoded))
        if not clocks:
            raise BadAudio(f"ffmpeg cannot tell the length of the {ext} file")
        return _seconds(clocks[-1])


def _ffmpeg(args: list[str], timeout_s: float) -> bytes:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", *args]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BadAudio(f"probing the audio took longer than {timeout_s:g} s") from exc
    return done.stderr


def _seconds(found: re.Match[bytes]) -> float:
    h, m, s = found.groups()
    return int(h) * 3600 + int(m) * 60 + float(s)
