"""espeak-ng in a helper process that forks once per utterance.

espeak-ng keeps synthesis state in C statics that nothing resets (its pitch-flutter index,
the wave generator's gain control), so the same text comes out a few samples different
depending on what was said before, even after ``espeak_Terminate``/``espeak_Initialize``.
For byte-for-byte repeatable audio every utterance must start from the same state: a
server process initializes the library once, never speaks itself, and forks a child for
each request, so each child starts from the same untouched engine.

The server is a fresh interpreter (``python -c``, not multiprocessing, which would re-run
the caller's main script) importing nothing heavy (no numpy, no threads), which is what
makes forking it safe. Requests and replies are length-prefixed pickles on its stdin and
stdout.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import struct
import sys
from typing import BinaryIO

import espeakng_loader

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INIT_PHONEME_EVENTS = 0x0001
_INIT_DONT_EXIT = 0x8000
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_EV_END_OF_LIST, _EV_PHONEME = 0, 7
_PARAM_RATE, _PARAM_PITCH, _PARAM_RANGE = 1, 3, 4

# (event type, text position, sample, phoneme name)
Event = tuple[int, int, int, str]


class _Event(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    )


_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


class _Engine:
    def __init__(self) -> None:
        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int)
        lib.espeak_SetVoiceByName.argtypes = (ctypes.c_char_p,)
        lib.espeak_SetParameter.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_int)
        lib.espeak_Synth.argtypes = (
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        )
        lib.espeak_ng_SetRandSeed.argtypes = (ctypes.c_long,)
        data = espeakng_loader.get_data_path().encode()
        self.sample_rate = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, data, _INIT_PHONEME_EVENTS | _INIT_DONT_EXIT
        )
        if self.sample_rate <= 0:
            raise RuntimeError(
                f"espeak_Initialize failed ({self.sample_rate}) with data at {data!r}"
            )
        self._pcm: list[bytes] = []
        self._events: list[Event] = []
        self._callback = _CALLBACK(self._on_audio)  # kept referenced: the library holds it
        lib.espeak_SetSynthCallback(self._callback)
        self.lib = lib

    def _on_audio(self, wav: ctypes._Pointer, n: int, events: ctypes._Pointer) -> int:
        if n > 0:
            self._pcm.append(ctypes.string_at(wav, n * 2))
        i = 0
        while events[i].type != _EV_END_OF_LIST:
            e = events[i]
            name = e.id.decode("utf-8", "replace") if e.type == _EV_PHONEME else ""
            self._events.append((e.type, e.text_position, e.sample, name))
            i += 1
        return 0

    def synth(
        self, text: str, voice: str, rate: int, pitch: int, pitch_range: int, seed: int
    ) -> tuple[bytes, list[Event]]:
        """16-bit little-endian PCM at ``sample_rate`` and the events, for ``text``."""
        # Breathy voices draw noise from espeak-ng's own generator, which it seeds from
        # the clock at start-up.
        self.lib.espeak_ng_SetRandSeed(seed)
        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise ValueError(f"espeak-ng has no voice {voice!r}")
        for param, value in (
            (_PARAM_RATE, rate),
            (_PARAM_PITCH, pitch),
            (_PARAM_RANGE, pitch_range),
        ):
            self.lib.espeak_SetParameter(param, value, 0)
        self._pcm, self._events = [], []
        raw = text.encode("utf-8")
        status = self.lib.espeak_Synth(
            raw, len(raw) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
        )
        if status != 0:
            raise RuntimeError(f"espeak_Synth failed with status {status}")
        return b"".join(self._pcm), list(self._events)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def send(stream: BinaryIO, payload: bytes) -> None:
    stream.write(struct.pack("<I", len(payload)) + payload)
    stream.flush()


def receive(stream: BinaryIO) -> bytes | None:
    """One message, or None when the other side has closed the stream."""
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack("<I", head)
    return stream.read(size)


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """The server loop: pickled ``(text, voice, rate, pitch, range, seed)`` in, pickled
    ``("ok", sample_rate, pcm, events)`` or ``("error", message)`` out, until stdin closes."""
    engine = _Engine()
    while (message := receive(requests)) is not None:
        request = pickle.loads(message)  # from the process that started this one
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child speaks once from the pristine engine, then exits
            os.close(read_fd)
            try:
                pcm, events = engine.synth(*request)
                reply = pickle.dumps(("ok", engine.sample_rate, pcm, events))
            except (ValueError, RuntimeError) as exc:
                reply = pickle.dumps(("error", str(exc)))
            with os.fdopen(write_fd, "wb") as out:
                out.write(reply)
            os._exit(0)
        os.close(write_fd)
        payload = _read_all(read_fd)
        os.close(read_fd)
        os.waitpid(pid, 0)
        send(
            replies, payload or pickle.dumps(("error", "the espeak-ng child died without replying"))
        )


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
