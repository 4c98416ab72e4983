"""Batched Whisper decoding of 30 s windows, with word timings for every word.

WhisperX's own batched pipeline decodes VAD chunks of one file and returns no word times;
scanner calls are 2 to 10 s, so the transcript layer packs many calls into one window and
hands this engine a batch of windows. Each window is encoded once, decoded with beam
search (one prompt per window), and its text tokens are aligned to the audio through
Whisper's cross-attention (faster-whisper's word-timestamp method), so every word has a
start, an end and a probability even without a wav2vec2 model. When a wav2vec2 model is
configured, ``align`` refines each call's word times with WhisperX forced alignment.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import ctranslate2
import numpy as np
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import get_suppressed_tokens

from resources.asr import timing
from resources.asr.models import LoadedModels, ModelIdentity, ModelSpec, identity, load
from resources.asr.words import WordTiming, apply_alignment

WINDOW_S = 30.0
SAMPLE_RATE = 16_000
# Fast radio speech runs near 4 words/s, 5-6 tokens/s with punctuation and timestamps.
MAX_TOKENS_PER_S = 10
PROMPT_MODES = ("initial_prompt", "hotwords")


@dataclass(frozen=True)
class DecodeOptions:
    batch_size: int = 8
    beam_size: int = 5
    # Text only, as WhisperX decodes: word times come from the alignment anyway, and with
    # timestamp tokens Whisper tends to stop early in a packed window, as if it could seek on.
    without_timestamps: bool = True
    prompt_mode: str = "initial_prompt"
    max_prompt_tokens: int = 96
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    # A second decode of calls that came back looping or empty bans repeated n-grams, as
    # Whisper's own fallback raises the temperature: the loop cannot start again.
    fallback_no_repeat_ngram_size: int = 8
    # Encode only as much of the 30 s window as holds audio (rounded up to ``encode_step_s``,
    # never under ``min_encode_s``), not faster-whisper's fixed 30 s: the encoder's cost
    # follows its input length and a lone call's window is mostly padding. Off (0 = always
    # 30 s) by default: on bench/asr it saved 14% of the unprompted path's CPU at equal WER,
    # but prompted decodes lost 2-2.5 WER points (tiny.en leans on the prompt when the audio
    # context is short), and the asset prompts by default.
    min_encode_s: float = 0.0
    # The floor for windows that hold one call (second decodes, long calls), if set.
    lone_min_encode_s: float = 0.0
    encode_step_s: float = 2.0
    # Windows per encoder call; 0 = one at a time on the CPU, the whole batch on a GPU. On
    # the CPU the encoder's attention over 1,500 frames outgrows the cache when windows are
    # batched: at 8 a window cost about 0.49 s against 0.34 s alone (base, int8, 2 cores),
    # with the same output to the bit (bench/asr). The decoder still runs the whole batch.
    encode_batch_size: int = 0

    def __post_init__(self) -> None:
        if self.prompt_mode not in PROMPT_MODES:
            raise ValueError(f"prompt_mode must be one of {PROMPT_MODES}")
        if self.batch_size < 1 or self.beam_size < 1:
            raise ValueError("batch_size and beam_size must be at least 1")
        if self.encode_batch_size < 0:
            raise ValueError("encode_batch_size must be 0 (auto) or more")


@dataclass(frozen=True)
class WindowDecode:
    words: tuple[WordTiming, ...]
    text: str
    no_speech_prob: float
    avg_logprob: float


class WhisperEngine:
    """The loaded models plus the decoding settings; one per process and configuration."""

    def __init__(self, models: LoadedModels, options: DecodeOptions | None = None) -> None:
        self.models = models
        self.options = options or DecodeOptions()
        self.model = models.pipeline.model  # whisperx.asr.WhisperModel (a faster-whisper model)
        self.language = models.spec.language or "en"
        self.tokenizer = Tokenizer(
            self.model.hf_tokenizer,
            self.model.model.is_multilingual,
            task="transcribe",
            language=self.language,
        )
        self.suppress_tokens = list(get_suppressed_tokens(self.tokenizer, [-1]))

    @classmethod
    def load(cls, spec: ModelSpec, options: DecodeOptions | None = None) -> WhisperEngine:
        return cls(load(spec), options)

    @property
    def identity(self) -> ModelIdentity:
        return identity(self.models.spec)

    @property
    def can_align(self) -> bool:
        return self.models.align_model is not None

    def speech_regions(
        self, audio: np.ndarray, max_region_s: float = WINDOW_S
    ) -> list[tuple[float, float]]:
        from resources.asr.vad import speech_regions  # whisperx and pyannote: import when used

        spec = self.models.spec
        return speech_regions(
            self.models.pipeline.vad_model, audio, spec.vad_onset, spec.vad_offset, max_region_s
        )

    def prompt(self, vocabulary: str | None) -> list[int]:
        """The decoder prompt for a window, with the domain vocabulary as an initial
        prompt or as hotwords, capped at ``max_prompt_tokens``."""
        terms: list[int] = []
        if vocabulary and vocabulary.strip():
            terms = self.tokenizer.encode(" " + vocabulary.strip())[
                : self.options.max_prompt_tokens
            ]
        hotwords = None
        if terms and self.options.prompt_mode == "hotwords":
            hotwords, terms = self.tokenizer.decode(terms), []
        return self.model.get_prompt(
            self.tokenizer,
            terms,
            without_timestamps=self.options.without_timestamps,
            hotwords=hotwords,
        )

    def decode(
        self,
        windows: Sequence[np.ndarray],
        content_s: Sequence[float],
        vocabulary: str | None | Sequence[str | None] = None,
        fallback: bool = False,
        lone: Sequence[bool] | None = None,
    ) -> list[WindowDecode]:
        """Decode windows of at most 30 s of 16 kHz audio, in order. ``vocabulary`` is one
        prompt for every window or one per window. ``content_s`` is how far into each
        window there is audio: words are aligned only within it, never into the padding.
        ``lone`` marks windows that hold one call (see ``lone_min_encode_s``); ``fallback``
        is for a second attempt."""
        vocabularies = (
            [vocabulary] * len(windows)
            if vocabulary is None or isinstance(vocabulary, str)
            else list(vocabulary)
        )
        lone = list(lone) if lone is not None else [False] * len(windows)
        prompts = {v: self.prompt(v) for v in set(vocabularies)}
        ngram = (
            self.options.fallback_no_repeat_ngram_size
            if fallback
            else self.options.no_repeat_ngram_size
        )

        # CTranslate2 batches windows whose prompts put <|startoftranscript|> at one position,
        # i.e. prompts of one length: windows of different prompts (talkgroups) share a batch
        # when theirs are equally long, as most are once cut to ``max_prompt_tokens``. Within
        # that, windows with one encoder input length, and of like lengths, batch together.
        def kind(i: int) -> tuple[int, float]:
            return len(prompts[vocabularies[i]]), self._floor_s(lone[i])

        order = sorted(range(len(windows)), key=lambda i: (kind(i), content_s[i]))
        out: dict[int, WindowDecode] = {}
        size = self.options.batch_size
        for _, same in itertools.groupby(order, key=kind):
            members = list(same)
            for batch in (members[k : k + size] for k in range(0, len(members), size)):
                decoded = self._decode_batch(
                    [windows[i] for i in batch],
                    [content_s[i] for i in batch],
                    [prompts[vocabularies[i]] for i in batch],
                    ngram,
                    self._floor_s(lone[batch[0]]),
                )
                out.update(zip(batch, decoded, strict=True))
        return [out[i] for i in range(len(windows))]

    def _floor_s(self, lone: bool) -> float:
        """The least encoder input (seconds) for a window; 0 = faster-whisper's full 30 s."""
        if lone and self.options.lone_min_encode_s > 0:
            return self.options.lone_min_encode_s
        return self.options.min_encode_s

    def _decode_batch(
        self,
        windows: Sequence[np.ndarray],
        content_s: Sequence[float],
        prompts: Sequence[list[int]],
        ngram: int,
        min_encode_s: float,
    ) -> list[WindowDecode]:
        n_samples = int(WINDOW_S * SAMPLE_RATE)
        n_frames = self._encoded_frames(max(content_s), min_encode_s)
        features = np.stack(
            [self.model.feature_extractor(_fit(w, n_samples))[:, :n_frames] for w in windows]
        )
        encoded, _held = self._encode(features)
        results = self.model.model.generate(
            encoded,
            [list(p) for p in prompts],
            beam_size=self.options.beam_size,
            max_length=self._max_length(len(prompts[0]), max(content_s)),
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=self.suppress_tokens,
            max_initial_timestamp_index=50,
            repetition_penalty=self.options.repetition_penalty,
            no_repeat_ngram_size=ngram,
        )
        eot = self.tokenizer.eot
        text_tokens = [[t for t in r.sequences_ids[0] if t < eot] for r in results]
        frames = [min(n_frames, math.ceil(s * self.model.frames_per_second)) for s in content_s]
        timed = self._word_timings(
            encoded, [r.sequences_ids[0] for r in results], text_tokens, frames
        )
        decoded = []
        for result, tokens, words in zip(results, text_tokens, timed, strict=True):
            length = len(result.sequences_ids[0])
            cum_logprob = result.scores[0] * length  # length_penalty is 1
            decoded.append(
                WindowDecode(
                    words=tuple(words),
                    text=self.tokenizer.decode(tokens),
                    no_speech_prob=float(result.no_speech_prob),
                    avg_logprob=float(cum_logprob / (length + 1)),
                )
            )
        return decoded

    def _encode(self, features: np.ndarray) -> tuple[ctranslate2.StorageView, np.ndarray | None]:
        """The encoder's output for a batch of windows, encoded ``encode_batch_size`` at a
        time, and the array that holds its memory when it was put together here (a
        StorageView made from an array does not own it: keep both alive together)."""
        size = self.options.encode_batch_size or (
            1 if self.models.spec.device == "cpu" else len(features)
        )
        if size >= len(features):
            return self.model.encode(features), None
        joined = np.concatenate(
            [
                np.asarray(self.model.encode(features[k : k + size]))
                for k in range(0, len(features), size)
            ]
        )
        return ctranslate2.StorageView.from_array(joined), joined

    def _encoded_frames(self, content_s: float, min_encode_s: float | None = None) -> int:
        """Mel frames given to the encoder for a batch whose longest audio is ``content_s``:
        an even count (the encoder's stride is 2), at most the full 30 s."""
        full = self.model.feature_extractor.nb_max_frames
        floor = self.options.min_encode_s if min_encode_s is None else min_encode_s
        if floor <= 0:
            return full
        step = self.options.encode_step_s
        seconds = max(floor, math.ceil(content_s / step) * step)
        frames = math.ceil(seconds * self.model.frames_per_second)
        return min(full, frames + frames % 2)

    def _max_length(self, prompt_tokens: int, content_s: float) -> int:
        """A token budget the audio could fill at a fast talker's pace: a decode stuck in a
        loop stops there instead of running to Whisper's 448 tokens."""
        budget = prompt_tokens + math.ceil(content_s * MAX_TOKENS_PER_S) + 24
        return min(self.model.max_length, budget)

    def _word_timings(
        self,
        encoded: object,
        sequences: list[list[int]],
        text_tokens: list[list[int]],
        frames: list[int],
    ) -> list[list[WordTiming]]:
        """Cross-attention alignment of the decoded tokens (faster-whisper's method), with
        per-word token probabilities kept for confidence scores."""
        todo = [i for i, t in enumerate(text_tokens) if t]
        out: list[list[WordTiming]] = [[] for _ in text_tokens]
        if not todo:
            return out
        # align needs the whole batch's encoder output; empty rows get a dummy token.
        padded = [t if t else [self.tokenizer.eot] for t in text_tokens]
        results = self.model.model.align(
            encoded, self.tokenizer.sot_sequence, padded, frames, median_filter_width=7
        )
        for i in todo:
            result = results[i]
            words, word_tokens = self.tokenizer.split_to_word_tokens(
                text_tokens[i] + [self.tokenizer.eot]
            )
            if len(word_tokens) <= 1 or not result.alignments:
                continue
            entries = timing.word_entries(
                words,
                word_tokens,
                np.array([a[0] for a in result.alignments]),
                np.array([a[1] for a in result.alignments]),
                self.model.tokens_per_second,
            )
            segments = timing.timestamp_segments(
                sequences[i], self.tokenizer.timestamp_begin, self.tokenizer.eot
            )
            timing.refine(entries, segments)
            out[i] = timing.to_words(entries, np.asarray(result.text_token_probs, dtype=np.float64))
        return out

    def align(self, audio: np.ndarray, words: Sequence[WordTiming]) -> list[WordTiming]:
        """WhisperX forced alignment (wav2vec2) of one call's words; Whisper's own times
        are kept for any word the aligner cannot place."""
        if not self.can_align or not words:
            return list(words)
        import whisperx

        text = "".join(w.word for w in words).strip()
        result = whisperx.align(
            [{"text": text, "start": 0.0, "end": audio.size / SAMPLE_RATE}],
            self.models.align_model,
            self.models.align_metadata,
            audio,
            self.models.spec.device,
        )
        return apply_alignment(words, result["word_segments"])


def _fit(audio: np.ndarray, n_samples: int) -> np.ndarray:
    audio = np.asarray(audio, dtype=np.float32)
    if audio.size >= n_samples:
        return audio[:n_samples]
    return np.pad(audio, (0, n_samples - audio.size))
