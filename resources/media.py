"""What an audio file's container says about it, read through PyAV (FFmpeg's libraries, in
process) instead of parsing the text the ffmpeg binary prints.

One reader for every caller: the audio layer's probe, the upload service's duration check
and the audio benchmark. Only the header is read, plus, when a container does not state its
length (a bare MP3 stream), the packets' timestamps: nothing is decoded here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error

UNREADABLE = "unreadable"
NO_AUDIO_STREAM = "no_audio_stream"
TIMEOUT = "timeout"


class MediaError(ValueError):
    """A file FFmpeg cannot open as audio. ``reason`` is one of ``UNREADABLE`` (no
    container it knows), ``NO_AUDIO_STREAM`` (a container without audio) or ``TIMEOUT``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class MediaHeader:
    container: str  # the demuxer's first name: "mov" (m4a/mp4), "mp3", "ogg", "wav"
    codec: str  # FFmpeg's codec name: "aac", "mp3", "opus", "pcm_s16le"
    sample_rate_hz: int
    channels: int
    duration_s: float | None  # as the container declares it; None if it does not say


def _source(data: bytes | str | Path) -> io.BytesIO | str:
    # An in-memory file: PyAV seeks in it (MP4 keeps its index at the end) without a
    # temporary file.
    return io.BytesIO(data) if isinstance(data, bytes) else str(data)


def _open(data: bytes | str | Path, timeout_s: float) -> av.container.InputContainer:
    try:
        # ``timeout`` interrupts a probe that reads on and on (FFmpeg's interrupt callback)
        return av.open(_source(data), mode="r", timeout=timeout_s)
    except av.error.ExitError as exc:
        raise MediaError(TIMEOUT, f"reading the header took longer than {timeout_s:g} s") from exc
    except (av.error.FFmpegError, OSError) as exc:
        raise MediaError(UNREADABLE, str(exc)[:300]) from exc


def read_header(data: bytes | str | Path, timeout_s: float = 15.0) -> MediaHeader:
    """The first audio stream's codec, rate and channels, and the container's duration."""
    with _open(data, timeout_s) as container:
        if not container.streams.audio:
            kinds = sorted({s.type for s in container.streams}) or ["none"]
            raise MediaError(NO_AUDIO_STREAM, f"{container.format.name}: streams {', '.join(kinds)}")
        stream = container.streams.audio[0]
        ctx = stream.codec_context
        return MediaHeader(
            container=container.format.name.split(",")[0],
            codec=ctx.codec.canonical_name,
            sample_rate_hz=int(ctx.sample_rate or 0),
            channels=int(ctx.layout.nb_channels if ctx.layout else ctx.channels),
            duration_s=None if container.duration is None else container.duration / av.time_base,
        )


def packets_duration_s(data: bytes | str | Path, timeout_s: float = 15.0) -> float | None:
    """The end of the first audio stream's last packet, in seconds, read from the packets'
    timestamps (no decoding); None when the packets carry no timestamps."""
    end: Fraction | None = None
    with _open(data, timeout_s) as container:
        if not container.streams.audio:
            raise MediaError(NO_AUDIO_STREAM, container.format.name)
        stream = container.streams.audio[0]
        try:
            for packet in container.demux(stream):
                if packet.pts is None or packet.time_base is None:
                    continue
                stop = (packet.pts + (packet.duration or 0)) * packet.time_base
                end = stop if end is None else max(end, stop)
        except av.error.ExitError as exc:
            raise MediaError(TIMEOUT, f"reading the packets took longer than {timeout_s:g} s") from exc
        except av.error.FFmpegError:
            pass  # a damaged tail: the packets before it still tell the length
    return None if end is None else float(end)
