"""What the uploaders send, built the way their sources build it, and audio to send.

- trunk-recorder's rdioscanner_uploader plugin (plugins/rdioscanner_uploader/
  rdioscanner_uploader.cc, curl_mime API): parts in its order, ``audio`` as a file part
  with ``Content-Type: application/octet-stream``, the others bare; ``User-Agent:
  TrunkRecorder1.0``; ``Expect:`` suppressed. libcurl's boundary is 24 dashes and 16 hex.
- SDRTrunk's RdioScannerBroadcaster/RdioScannerBuilder: a fixed boundary, text parts
  first, the audio last with ``filename`` before ``name`` and no Content-Type, and a
  second ``Content-Type: audio/mpeg`` request header after the multipart one.
"""

from __future__ import annotations

import io
import math
import secrets
import struct
import subprocess
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path

import imageio_ffmpeg


@dataclass(frozen=True)
class TrunkRecorderCall:
    """The values the plugin reads from trunk-recorder's Call_Data_t."""

    audio: bytes
    audio_name: str = "1234-1700000000_851012500-call_12.wav"
    audio_type: str = "audio/wav"  # "audio/mp4" with compressWav
    start_time: int = 1_700_000_000
    freq_hz: int = 851_012_500
    api_key: str = ""
    talkgroup: int = 1234
    talkgroup_group: str = "Fire"
    talkgroup_alpha_tag: str = "FD Dispatch"
    talkgroup_tag: str = "Fire Dispatch"
    talkgroup_description: str = "County Fire Dispatch"
    system_id: int = 3
    short_name: str = "countyfire"
    # (position s, unit id) as in transmission_source_list
    sources: tuple[tuple[float, int], ...] = ((0.0, 1001), (1.2, 1002))
    # (pos s, len s, error count, spike count) as in transmission_error_list
    errors: tuple[tuple[float, float, int, int], ...] = ((0.0, 2.5, 3, 1),)
    patches: tuple[int, ...] = field(default_factory=tuple)

    def fields(self) -> list[tuple[str, str]]:
        """The text parts after ``audio``, in the plugin's order and formatting."""
        sources = ", ".join(f'{{ "pos": {pos:.2f}, "src": {src} }}' for pos, src in self.sources)
        freqs = ", ".join(
            f'{{"freq": {self.freq_hz}, "time": {self.start_time + int(pos)}, "pos": {pos:.2f}, '
            f'"len": {length:.2f}, "errorCount": {errors}, "spikeCount": {spikes}}}'
            for pos, length, errors, spikes in self.errors
        )
        patches = ",".join(str(p) for p in self.patches) if len(self.patches) > 1 else ""
        return [
            ("audioName", self.audio_name),
            ("audioType", self.audio_type),
            ("dateTime", str(self.start_time)),
            ("frequencies", f"[{freqs}]"),
            ("frequency", str(self.freq_hz)),
            ("key", self.api_key),
            ("patches", f"[{patches}]"),
            ("talkgroup", str(self.talkgroup)),
            ("talkgroupGroup", self.talkgroup_group),
            ("talkgroupLabel", self.talkgroup_alpha_tag),
            ("talkgroupTag", self.talkgroup_tag),
            ("talkgroupName", self.talkgroup_description),
            ("sources", f"[{sources}]"),
            ("system", str(self.system_id)),
            ("systemLabel", self.short_name),
        ]


def libcurl_mime(call: TrunkRecorderCall) -> tuple[dict[str, str], bytes]:
    """Headers and body of the plugin's POST, byte for byte as libcurl's mime API frames it."""
    boundary = "-" * 24 + secrets.token_hex(8)
    out = bytearray()
    out += (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="audio"; filename="{call.audio_name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    out += call.audio + b"\r\n"
    for name, value in call.fields():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += value.encode() + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    headers = {
        "User-Agent": "TrunkRecorder1.0",
        "Accept": "*/*",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    return headers, bytes(out)


def curl_command(call: TrunkRecorderCall, audio_path: Path, url: str) -> list[str]:
    """The curl tool doing what the plugin does through libcurl: ``-F`` with a type for the
    file part, ``--form-string`` (curl_mime_data) for the rest."""
    command = ["curl", "-sS", "-A", "TrunkRecorder1.0", "-H", "Expect:", "-w", "\n%{http_code}"]
    command += ["-F", f"audio=@{audio_path};type=application/octet-stream"]
    for name, value in call.fields():
        command += ["--form-string", f"{name}={value}"]
    return [*command, url]


SDRTRUNK_BOUNDARY = "--sdrtrunk-sdrtrunk-sdrtrunk"


def sdrtrunk_body(parts: list[tuple[str, str]], audio_name: str | None = None, audio: bytes | None = None) -> bytes:
    out = bytearray()
    for name, value in parts:
        out += f'--{SDRTRUNK_BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    if audio is not None:
        out += f'--{SDRTRUNK_BOUNDARY}\r\nContent-Disposition: form-data; filename="{audio_name}"; name="audio"\r\n\r\n'.encode()
        out += audio
    out += f"\r\n--{SDRTRUNK_BOUNDARY}--\r\n".encode()
    return bytes(out)


def sdrtrunk_headers(second_content_type: bool = True) -> list[tuple[str, str]]:
    headers = [("Content-Type", f"multipart/form-data; boundary={SDRTRUNK_BOUNDARY}"), ("User-Agent", "sdrtrunk")]
    if second_content_type:
        headers.append(("Content-Type", "audio/mpeg"))
    return headers


def wav_bytes(seconds: float, rate: int = 8000, tone_hz: float = 440.0) -> bytes:
    """16-bit mono PCM, as trunk-recorder writes it."""
    n = int(seconds * rate)
    samples = (int(12000 * math.sin(2 * math.pi * tone_hz * i / rate)) for i in range(n))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return buf.getvalue()


def encoded(seconds: float, ext: str) -> bytes:
    """A tone encoded by ffmpeg into a file: ``m4a`` (AAC, trunk-recorder's compressWav) or
    ``mp3`` (SDRTrunk's)."""
    codec = {"m4a": "aac", "mp3": "libmp3lame", "flac": "flac"}[ext]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"call.{ext}"
        command = [
            imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
            "-i", f"sine=frequency=440:duration={seconds}:sample_rate=8000", "-c:a", codec, str(out),
        ]  # fmt: skip
        subprocess.run(command, check=True, timeout=60)
        return out.read_bytes()
