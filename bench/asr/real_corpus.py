"""Real human speech with published transcripts, from two Debian packages the benchmark
installs itself (``apt-get``, as root): ``asterisk-core-sounds-en-wav`` (one voice, 8 kHz
telephone prompts; ``core-sounds-en.txt`` lists ``name: text``) and
``pocketsphinx-testdata`` (LibriVox read speech and spoken card names, with
``transcription`` files in Sphinx's ``<s> text </s> (id)`` form).

Both are **held out**: no rule, threshold or prompt in scanlake was written or tuned on
them; they are only ever measured. Each utterance goes through the audio layer's own
``normalize``, clean or first through the simulator's radio channel.
"""

from __future__ import annotations

import gzip
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from assets.audio.errors import BadAudio
from assets.audio.normalize import normalize
from assets.transcripts.audio import read_call_audio
from resources.simulator import radio

PACKAGES = ("asterisk-core-sounds-en-wav", "pocketsphinx-testdata")
ASTERISK_LIST = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")
ASTERISK_DIR = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
SPHINX_DIR = Path("/usr/share/pocketsphinx/test/data")
SPHINX_SETS = (("librivox", "transcription"), ("cards", "cards.transcription"))
_SPHINX_LINE = re.compile(r"^<s>(?P<text>.*)</s>\s*\((?P<id>[^)]+)\)\s*$")


@dataclass(frozen=True)
class Utterance:
    corpus: str  # "asterisk" or "pocketsphinx"
    name: str
    text: str
    path: Path


@dataclass(frozen=True)
class Heard:
    utterance: Utterance
    audio: np.ndarray  # 16 kHz mono float32, as normalized_audio stores it

    @property
    def duration_s(self) -> float:
        return self.audio.size / 16000


def ensure_installed() -> None:
    """Install the two packages with apt-get if they are missing (``apt-get update``
    once first)."""
    missing = [p for p in PACKAGES if not _installed(p)]
    if not missing:
        return
    if shutil.which("apt-get") is None:
        raise RuntimeError(f"install {' '.join(missing)} (Debian packages) first")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", *missing],
        check=True,
        env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )


def _installed(package: str) -> bool:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
    )
    return out.returncode == 0 and "install ok installed" in out.stdout


def asterisk() -> list[Utterance]:
    """Every prompt of the list that has a WAV file and words (``[beep]`` lines are tones)."""
    out = []
    for line in gzip.open(ASTERISK_LIST, "rt", encoding="utf-8", errors="replace"):
        name, sep, text = line.partition(":")
        text = text.strip()
        if not sep or line.startswith(";") or not text or text.startswith("["):
            continue
        path = ASTERISK_DIR / f"{name.strip()}.wav"
        if path.is_file():
            out.append(Utterance("asterisk", name.strip(), text, path))
    return out


def pocketsphinx() -> list[Utterance]:
    out = []
    for folder, listing in SPHINX_SETS:
        for line in (SPHINX_DIR / folder / listing).read_text().splitlines():
            m = _SPHINX_LINE.match(line.strip())
            path = SPHINX_DIR / folder / f"{m['id']}.wav" if m else None
            if m and path and path.is_file():
                out.append(
                    Utterance("pocketsphinx", f"{folder}/{m['id']}", m["text"].strip(), path)
                )
    return out


def sample(utterances: list[Utterance], limit: int) -> list[Utterance]:
    """Every k-th utterance in name order, at most ``limit``: a fixed, spread-out subset."""
    ordered = sorted(utterances, key=lambda u: u.name)
    if limit <= 0 or len(ordered) <= limit:
        return ordered
    step = len(ordered) / limit
    return [ordered[int(i * step)] for i in range(limit)]


def through_radio(x: np.ndarray, sr: int, seed: int) -> tuple[np.ndarray, int]:
    """The simulator's radio channel: voice band, hiss at 6-18 dB SNR over the speech,
    overdrive into clipping on a third of the calls, a squelch tail; at 16 kHz."""
    rng = np.random.default_rng(seed)
    y = radio.band_limit(radio.resample(x, sr, radio.WORK_RATE), radio.WORK_RATE)
    loud = np.flatnonzero(np.abs(y) > 0.05 * (np.abs(y).max() or 1.0))
    span = (int(loud[0]), int(loud[-1]) + 1) if loud.size else (0, y.size)
    y, noise = radio.add_noise(y, span, float(rng.uniform(6.0, 18.0)), radio.WORK_RATE, rng)
    if rng.random() < 1 / 3:
        y, _ = radio.clip(y / (np.abs(y).max() or 1.0) * 0.5, float(rng.uniform(6.0, 14.0)))
    tail = radio.squelch_tail(radio.WORK_RATE, rng, radio.power(noise) ** 0.5)
    return np.concatenate([y, tail]).astype(np.float32), radio.WORK_RATE


def hear(utterances: list[Utterance], channel: bool, seed: int = 7) -> list[Heard]:
    """Each utterance normalized by the audio layer (clean, or through the radio
    channel, seeded per utterance); one the audio layer refuses is left out."""
    out = []
    for k, u in enumerate(utterances):
        x, sr = sf.read(u.path, dtype="float32", always_2d=True)
        x = x.mean(axis=1)
        if channel:
            x, sr = through_radio(x, sr, seed * 100_003 + k)
        buf = io.BytesIO()
        sf.write(buf, x, sr, format="WAV", subtype="PCM_16")
        try:
            normalized = normalize(buf.getvalue(), ".wav")
        except BadAudio:
            continue
        out.append(Heard(u, read_call_audio(normalized.flac)))
    return out
