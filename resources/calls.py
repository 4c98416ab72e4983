"""What every call source hands to ingestion: call metadata plus a way to read its audio.

trunk-recorder folders, the lake's landing zone (Broadcastify polls, HTTP uploads) and the
simulator all produce ``CallDelivery`` objects; the raw layer turns them into rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

AUDIO_TYPES = {
    "wav": "audio/wav",
    "m4a": "audio/mp4",
    "mp3": "audio/mpeg",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
    "opus": "audio/ogg",
}


def sniff_audio(data: bytes) -> str | None:
    """The audio format of ``data`` by its magic bytes, as a file extension; None when the
    bytes are none of the accepted types. The bytes decide, never the file's name."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[4:8] == b"ftyp":
        return "m4a"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    if data[:4] == b"fLaC":
        return "flac"
    if data[:4] == b"OggS":
        return "ogg"
    return None


class MalformedCall(ValueError):
    """A delivery whose metadata cannot be turned into a call. ``reason`` is a short,
    stable code for the quarantine table; ``detail`` says what exactly was wrong."""

    def __init__(self, source_ref: str, reason: str, detail: str) -> None:
        super().__init__(f"{source_ref}: {reason}: {detail}")
        self.source_ref = source_ref
        self.reason = reason
        self.detail = detail


class MalformedCallJson(MalformedCall):
    def __init__(self, source_ref: str, detail: str) -> None:
        super().__init__(source_ref, "malformed_json", detail)


class ValueOutOfRange(MalformedCall):
    """A well-formed value the lake will not keep: an integer past int64, a number literal
    or a label over its bound (``resources.bounds``)."""

    def __init__(self, source_ref: str, detail: str) -> None:
        super().__init__(source_ref, "value_out_of_range", detail)


class TooLarge(MalformedCall):
    """A file over its size cap; it is not read."""

    def __init__(self, source_ref: str, detail: str) -> None:
        super().__init__(source_ref, "too_large", detail)


class MissingAudio(MalformedCall):
    def __init__(self, source_ref: str, detail: str) -> None:
        super().__init__(source_ref, "missing_audio", detail)


class MissingJson(MalformedCall):
    """Call audio whose metadata file never appeared (trunk-recorder with ``callLog``
    off deletes it, or the recorder died between the two writes)."""

    def __init__(self, source_ref: str, detail: str) -> None:
        super().__init__(source_ref, "missing_json", detail)


@dataclass(frozen=True)
class Unit:
    unit_id: int
    tag: str | None = None
    pos_s: float | None = None
    emergency: bool = False


@dataclass(frozen=True)
class FreqHop:
    freq_hz: int
    pos_s: float | None = None
    len_s: float | None = None
    error_count: int | None = None
    spike_count: int | None = None


@dataclass(frozen=True)
class CallMeta:
    """One radio call's metadata, in trunk-recorder's vocabulary and SI units."""

    system: str
    talkgroup: int
    start_time: dt.datetime  # timezone-aware, UTC
    duration_s: float
    stop_time: dt.datetime | None = None
    freq_hz: int | None = None
    emergency: bool = False
    encrypted: bool = False
    talkgroup_tag: str | None = None
    talkgroup_description: str | None = None
    talkgroup_group: str | None = None
    talkgroup_group_tag: str | None = None
    audio_type: str | None = None
    units: tuple[Unit, ...] = field(default_factory=tuple)
    freqs: tuple[FreqHop, ...] = field(default_factory=tuple)

    @property
    def call_uid(self) -> str:
        return call_uid(self.system, self.talkgroup, self.start_time)

    @property
    def call_date(self) -> dt.date:
        return self.start_time.astimezone(dt.UTC).date()


def call_uid(system: str, talkgroup: int, start_time: dt.datetime) -> str:
    """A stable id for a call: the same transmission re-delivered by any path gets the same
    id, so ingestion deduplicates on it."""
    epoch = int(start_time.astimezone(dt.UTC).timestamp())
    return f"{system}-{talkgroup}-{epoch}"


@dataclass(frozen=True)
class CallDelivery:
    """A call as a source delivers it: metadata, the audio's extension and a reader for it."""

    source: str
    source_ref: str
    meta: CallMeta
    audio_ext: str
    read_audio: Callable[[], bytes]
    # the source's own ordering position (file mtime in ns, API position, upload time)
    position: int = 0
    # the audio's file, for a source that reads it from one (so a scan can be handed on)
    audio_path: str | None = None
