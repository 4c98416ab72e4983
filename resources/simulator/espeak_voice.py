"""espeak-ng voices, from the library that ``espeakng-loader`` ships (no system espeak-ng
is assumed), driven through ctypes in a helper process (see ``espeak_server``).

espeak-ng calls back with audio and events: a WORD event at each word's first sample and
a PHONEME event at each phoneme's, which give word times to the sample.
"""

from __future__ import annotations

import atexit
import os
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from resources.simulator import espeak_server
from resources.simulator.align import WordTime, share
from resources.simulator.espeak_server import Event

_EV_WORD, _EV_END, _EV_MSG_TERMINATED, _EV_PHONEME = 1, 5, 6, 7
_EDGE_PUNCT = ",.?!;:"


class EspeakError(RuntimeError):
    pass


@dataclass(frozen=True)
class EspeakSpeech:
    audio: np.ndarray  # float32 in [-1, 1]
    sample_rate: int
    words: list[WordTime]


class _Client:
    """This process's link to its espeak-ng server, started on first use."""

    def __init__(self) -> None:
        root = Path(espeak_server.__file__).resolve().parents[2]  # the folder holding resources/
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
        }
        self._process = subprocess.Popen(
            [sys.executable, "-m", "resources.simulator.espeak_server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self._lock = threading.Lock()
        atexit.register(self.close)

    def synth(
        self, text: str, voice: str, rate: int, pitch: int, pitch_range: int, seed: int
    ) -> tuple[int, bytes, list[Event]]:
        assert self._process.stdin is not None and self._process.stdout is not None
        with self._lock:
            espeak_server.send(
                self._process.stdin, pickle.dumps((text, voice, rate, pitch, pitch_range, seed))
            )
            message = espeak_server.receive(self._process.stdout)
        if message is None:
            raise EspeakError(f"the espeak-ng server exited ({self._process.poll()})")
        reply = pickle.loads(message)  # from our own child process
        if reply[0] != "ok":
            raise EspeakError(reply[1])
        _, sample_rate, pcm, events = reply
        return sample_rate, pcm, events

    def close(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()  # the server ends when its input does
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()


_CLIENT: _Client | None = None
_CLIENT_LOCK = threading.Lock()


def _client() -> _Client:
    global _CLIENT
    with _CLIENT_LOCK:
        if _CLIENT is None:
            _CLIENT = _Client()
        return _CLIENT


def shutdown() -> None:
    """Stop this process's espeak-ng server; the next utterance starts a fresh one."""
    global _CLIENT
    with _CLIENT_LOCK:
        if _CLIENT is not None:
            _CLIENT.close()
            _CLIENT = None


def speak(
    text: str, voice: str, rate: int = 170, pitch: int = 50, pitch_range: int = 50, seed: int = 0
) -> EspeakSpeech:
    """Synthesize ``text`` with espeak-ng voice ``voice`` (e.g. ``en-us+m3``); the same
    arguments give the same samples, whatever was synthesized before. ``seed`` drives the
    breath noise of breathy voices."""
    sample_rate, pcm, events = _client().synth(text, voice, rate, pitch, pitch_range, seed)
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    return EspeakSpeech(audio, sample_rate, _word_times(text, events, len(audio), sample_rate))


def _tokens(text: str) -> list[tuple[int, int, str]]:
    tokens, pos = [], 0
    for token in text.split():
        start = text.index(token, pos)
        pos = start + len(token)
        word = token.strip(_EDGE_PUNCT)
        if word:
            tokens.append((start, pos, word))
    return tokens


def _groups(
    tokens: list[tuple[int, int, str]], events: list[Event], n_samples: int
) -> list[_Group]:
    """espeak-ng's phonetic words: the token each WORD event starts at, with the samples
    where it and each of its phonemes start and where its last phoneme ends."""
    groups: list[_Group] = []
    open_group: _Group | None = None
    for kind, text_pos, sample, name in events:
        if kind == _EV_WORD:
            if open_group is not None:
                open_group.end = sample
            tok = next((i for i, (a, b, _) in enumerate(tokens) if a <= text_pos - 1 < b), None)
            if tok is None:
                open_group = None
            elif groups and tok <= groups[-1].token:  # one token, two events: keep it whole
                open_group = groups[-1]
            else:
                open_group = _Group(tok, [sample])
                groups.append(open_group)
        elif kind == _EV_PHONEME and open_group is not None:
            if name.startswith("_"):  # a pause ends the word before it
                open_group.end, open_group = sample, None
            else:
                open_group.starts.append(sample)
        elif kind in (_EV_END, _EV_MSG_TERMINATED) and open_group is not None:
            open_group.end, open_group = sample, None
    if open_group is not None:
        open_group.end = n_samples
    if groups and groups[0].token != 0:
        raise EspeakError(
            f"espeak-ng gave no word event for the first words of {' '.join(t[2] for t in tokens)!r}"
        )
    return groups


def joined_words(text: str, voice: str = "en-us") -> list[int]:
    """For each of espeak-ng's phonetic words in ``text``, how many words it holds (2 for
    "for a", which it speaks as one)."""
    _, pcm, events = _client().synth(text, voice, 450, 50, 50, 0)
    tokens = _tokens(text)
    starts = [g.token for g in _groups(tokens, events, len(pcm) // 2)] + [len(tokens)]
    return [b - a for a, b in zip(starts, starts[1:], strict=False)]


def _word_times(text: str, events: list[Event], n_samples: int, sr: int) -> list[WordTime]:
    """Each word from its WORD event to the end of its last phoneme (the next word's
    event, a pause phoneme or the end). A run of words espeak-ng joined into one phonetic
    word is shared out by word length."""
    tokens = _tokens(text)
    groups = _groups(tokens, events, n_samples)
    out: list[WordTime] = []
    for gi, g in enumerate(groups):
        end = g.end if g.end is not None else n_samples
        bounds = sorted({s for s in g.starts if s < end} | {g.starts[0]}) + [max(end, g.starts[0])]
        last = groups[gi + 1].token if gi + 1 < len(groups) else len(tokens)
        words = [w for _, _, w in tokens[g.token : last]]
        for w, (a, b) in zip(
            words, share([float(x) for x in bounds], [len(x) for x in words]), strict=True
        ):
            out.append(WordTime(w, a / sr, b / sr, len(words) > 1))
    if len(out) != len(tokens):
        raise EspeakError(
            f"espeak-ng word events cover {len(out)} of {len(tokens)} words in {text!r}"
        )
    return out


@dataclass
class _Group:
    token: int  # index of the first word the phonetic word covers
    starts: list[int]  # the WORD event's sample, then each phoneme's
    end: int | None = None
