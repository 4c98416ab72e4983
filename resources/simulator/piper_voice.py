"""The piper voice, made deterministic and made to tell where each word falls.

piper-tts 1.8's ``PiperVoice.synthesize`` cannot serve the simulator as it is, for two
reasons, both fixed here by patching the ONNX graph in memory when the voice loads:

- Its VITS graph draws its noise with ``RandomNormalLike``, which onnxruntime seeds once
  per session, so the same text gives different audio on every run. Each of the two
  draws is replaced by a slice of a graph input, fed from the call's seeded numpy
  generator: same seed, same bytes.
- Word times: piper's own ``include_alignments`` patch (``add_alignment_output``) exposes
  the duration predictor's frames per phoneme id. The phonemes are built word by word
  here, so each word's id range, and so its sample range, is known.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper
from piper import espeakbridge
from piper.config import PiperConfig
from piper.const import BOS, EOS, PAD
from piper.patch_voice_with_alignment import add_alignment_output
from piper.phonemize_espeak import ESPEAK_DATA_DIR

from resources.simulator import espeak_voice
from resources.simulator.align import WordTime, partition, share

_ESPEAK_LOCK = threading.Lock()
_ESPEAK_READY = False
_Z_CHANNELS = 192  # VITS inter_channels, the same for every piper model size
_CLAUSE_END = ",.?!:;"


@dataclass(frozen=True)
class PiperSpeech:
    audio: np.ndarray  # float32 in [-1, 1]
    sample_rate: int
    words: list[WordTime]


def _phonemes(voice: str, text: str) -> list[tuple[str, str]]:
    """(phonemes, clause terminator) for each clause espeak-ng finds in ``text``."""
    global _ESPEAK_READY
    with _ESPEAK_LOCK:
        if not _ESPEAK_READY:
            espeakbridge.initialize(str(ESPEAK_DATA_DIR))
            _ESPEAK_READY = True
        espeakbridge.set_voice(voice)
        return [(p, t) for p, t, _ in espeakbridge.get_phonemes(text)]


def _patched_model(model_path: Path) -> tuple[bytes, list[str]]:
    model = onnx.load(str(model_path))
    add_alignment_output(model)
    nodes, noise_inputs = [], []
    for node in model.graph.node:
        if node.op_type != "RandomNormalLike":
            nodes.append(node)
            continue
        name = f"noise_{len(noise_inputs)}"
        noise_inputs.append(name)
        model.graph.input.append(
            helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, None, None])
        )
        shape, zeros = f"{name}_shape", f"{name}_starts"
        nodes += [
            helper.make_node("Shape", [node.input[0]], [shape]),
            helper.make_node(
                "Constant",
                [],
                [zeros],
                value=helper.make_tensor(zeros, TensorProto.INT64, [3], [0, 0, 0]),
            ),
            helper.make_node("Slice", [name, zeros, shape], [node.output[0]]),
        ]
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    return model.SerializeToString(), noise_inputs


class PiperSpeaker:
    """One loaded piper model; load once per process and reuse."""

    def __init__(self, model_path: Path, config_path: Path, threads: int = 1) -> None:
        self.config = PiperConfig.from_dict(
            json.loads(Path(config_path).read_text(encoding="utf-8"))
        )
        model, self._noise_inputs = _patched_model(Path(model_path))
        if len(self._noise_inputs) != 2:
            raise ValueError(
                f"{model_path}: expected 2 noise draws in the graph, found {len(self._noise_inputs)}"
            )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        # Idle threads spinning for work burn a core that a pool worker or the rest of the
        # pipeline could use; measured here: 0.096 vs 0.129 CPU-s per second of speech.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            model, options, providers=["CPUExecutionProvider"]
        )
        self._isolated: dict[str, str] = {}

    def _alone(self, word: str) -> str:
        if word not in self._isolated:
            self._isolated[word] = "".join(p for p, _ in _phonemes(self.config.espeak_voice, word))
        return self._isolated[word]

    def _ids(self, phonemes: str) -> list[int]:
        id_map, out = self.config.phoneme_id_map, []
        for ph in unicodedata.normalize("NFD", phonemes):
            if ph in id_map:
                out += [*id_map[ph], *id_map[PAD]]
        return out

    def speak(self, text: str, rng: np.random.Generator, length_scale: float = 1.0) -> PiperSpeech:
        """Synthesize ``text``; word times come from the model's own phoneme durations."""
        id_map = self.config.phoneme_id_map
        ids: list[int] = [*id_map[BOS], *id_map[PAD]]
        spans: list[tuple[str, int, int, bool]] = []  # word, first id, end id, estimated
        joined = iter(espeak_voice.joined_words(text, self.config.espeak_voice))
        for words, clause, term in _clauses(text):
            phon = " ".join(p for p, _ in _phonemes(self.config.espeak_voice, clause))
            groups = [g for g in phon.split(" ") if g]
            sizes = [len(unicodedata.normalize("NFD", self._alone(w))) for w in words]
            counts = _take(joined, len(words))
            if len(counts) != len(groups):  # the two espeak-ng builds disagree: best guess
                counts = partition([len(unicodedata.normalize("NFD", g)) for g in groups], sizes)
            if counts is None:  # espeak split a word: fall back to each word alone
                groups, counts = [self._alone(w) for w in words], [1] * len(words)
            k = 0
            for gi, (group, count) in enumerate(zip(groups, counts, strict=True)):
                if gi:
                    ids += self._ids(" ")
                chars = list(unicodedata.normalize("NFD", group))
                cuts = share([float(i) for i in range(len(chars) + 1)], sizes[k : k + count])
                for w, (a, b) in zip(words[k : k + count], cuts, strict=True):
                    first = len(ids)
                    ids += self._ids("".join(chars[int(a) : int(b)]))
                    spans.append((w, first, len(ids), count > 1))
                k += count
            ids += self._ids(term + " ")
        ids += id_map[EOS]
        audio, frames = self._run(ids, rng, length_scale)
        samples = np.concatenate([[0], np.cumsum(frames.astype(np.int64) * self.config.hop_length)])
        sr = self.config.sample_rate
        words = [
            WordTime(w, float(samples[a] / sr), float(samples[b] / sr), est)
            for w, a, b, est in spans
        ]
        peak = float(np.max(np.abs(audio))) or 1.0
        return PiperSpeech((audio / peak).astype(np.float32), sr, words)

    def _run(
        self, ids: list[int], rng: np.random.Generator, length_scale: float
    ) -> tuple[np.ndarray, np.ndarray]:
        cfg = self.config
        feeds = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array(
                [cfg.noise_scale, cfg.length_scale * length_scale, cfg.noise_w_scale],
                dtype=np.float32,
            ),
            self._noise_inputs[0]: rng.standard_normal((1, 2, len(ids)), dtype=np.float32),
            # frames are unknown until the duration predictor runs: draw for far more
            # than any phoneme sequence here lasts (measured: ~2.3 frames per id)
            self._noise_inputs[1]: rng.standard_normal(
                (1, _Z_CHANNELS, 12 * len(ids) + 200), dtype=np.float32
            ),
        }
        audio, frames = self._session.run(None, feeds)
        return audio.squeeze(), frames.squeeze()


def _clauses(text: str) -> list[tuple[list[str], str, str]]:
    """(words, text, terminator) of each clause: the text split after , . ? ! : ; as
    espeak-ng splits it. Phonemizing clause by clause keeps words and phonemes in step
    whatever espeak-ng would have made of the punctuation in context."""
    out: list[tuple[list[str], str, str]] = []
    words: list[str] = []
    tokens: list[str] = []
    for token in text.split():
        tokens.append(token)
        word = token.strip(_CLAUSE_END)
        if word:
            words.append(word)
        if token[-1] in _CLAUSE_END:
            if words:
                out.append((words, " ".join(tokens).rstrip(_CLAUSE_END), token[-1]))
            words, tokens = [], []
    if words:
        out.append((words, " ".join(tokens), ""))
    return out


def _take(counts: Iterator[int], n_words: int) -> list[int]:
    """The next group sizes that together cover ``n_words`` words."""
    out: list[int] = []
    while sum(out) < n_words:
        c = next(counts, None)
        if c is None:
            break
        out.append(c)
    return out
