"""Hallucination guards: Whisper invents text on silence and noise, loops on one phrase,
and repeats the subtitle credits it was trained on. Each guard removes the invented
words and leaves a flag, so a transcript says what was done to it.

Flags: ``no_speech`` (nothing was said, the transcript is empty), ``repetition_loop``,
``phantom_phrase``, ``prompt_echo`` (the domain prompt came back as text),
``implausible_rate`` (more words than the speech could hold), ``low_confidence``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from radiotext.words import word_key
from resources.asr.words import WordTiming

NO_SPEECH = "no_speech"
REPETITION_LOOP = "repetition_loop"
PHANTOM_PHRASE = "phantom_phrase"
PROMPT_ECHO = "prompt_echo"
IMPLAUSIBLE_RATE = "implausible_rate"
LOW_CONFIDENCE = "low_confidence"
HALLUCINATION_FLAGS = (REPETITION_LOOP, PHANTOM_PHRASE, PROMPT_ECHO, IMPLAUSIBLE_RATE)
RETRY_FLAGS = frozenset({NO_SPEECH, *HALLUCINATION_FLAGS})
# Flags that leave the whole text in doubt, not just the words they removed: a loop or an
# echoed prompt replaces the speech it sat on ("Redpond, Redpond, ..." where an address was
# said), so no place is read from such a transcript. A phantom credit is cut out cleanly.
DOUBTFUL_TEXT_FLAGS = frozenset({REPETITION_LOOP, PROMPT_ECHO, IMPLAUSIBLE_RATE})

# Whisper's well-known inventions on silence: credits and sign-offs of the web videos it
# was trained on. None is plausible radio traffic, wherever it appears in a call.
PHANTOM_PHRASES = (
    "thank you for watching",
    "thanks for watching",
    "thank you so much for watching",
    "please subscribe",
    "like and subscribe",
    "subscribe to my channel",
    "don't forget to subscribe",
    "see you in the next video",
    "see you next time",
    "subtitles by",
    "subtitles by the amara.org community",
    "captions by",
    "transcription by",
    "transcribed by",
    "translated by",
    "amara.org",
)
# Short words Whisper emits alone on noise; a dispatcher may say them too, so they count as
# phantoms only when they are the whole call and the model itself doubts them.
SOLO_PHANTOMS = ("you", "thank you", "bye", "so", "uh", "um", "hmm", "oh", "okay")


@dataclass(frozen=True)
class GuardOptions:
    loop_min_repeats: int = 3  # a phrase of 2+ words said this many times in a row
    loop_min_repeats_single: int = 5  # a single word said this many times in a row
    # ... or this many, for a word of ``long_word_chars`` letters or more: a short word may
    # be said again and again ("no, no, no"), a name is not ("Redpond Redpond Redpond
    # Redpond" was a whole decode); "Mayday, mayday, mayday" stays speech.
    loop_min_repeats_long_word: int = 4
    long_word_chars: int = 5
    loop_max_ngram: int = 8
    solo_phantom_max_probability: float = 0.6
    prompt_echo_min_words: int = 6
    max_words_per_s: float = 6.0
    no_speech_threshold: float = 0.6  # Whisper's own rule: no_speech above this ...
    logprob_threshold: float = -1.0  # ... and avg_logprob below this means silence
    low_confidence: float = 0.35
    # Fewer words than this per second of speech: the decode skipped some of the speech (in a
    # packed window Whisper can jump over a call). Not a flag, a reason to decode again:
    # radio speech runs at 2-3 words/s.
    min_words_per_s: float = 1.0
    sparse_min_speech_s: float = 3.0  # shorter speech may be one slow "10-4"


def hallucinated(flags: Sequence[str]) -> bool:
    """The transcript's text is in doubt as a whole (see ``DOUBTFUL_TEXT_FLAGS``)."""
    return bool(DOUBTFUL_TEXT_FLAGS & set(flags))


def normalize_word(word: str) -> str:
    """One of Whisper's words as the guards compare it (``radiotext.words.word_key``)."""
    return word_key(word)


def normalize_phrase(phrase: str) -> str:
    return " ".join(k for k in (normalize_word(w) for w in phrase.split()) if k)


_PHANTOMS = tuple(normalize_phrase(p) for p in PHANTOM_PHRASES)


def _keys(words: Sequence[WordTiming]) -> list[str]:
    return [normalize_word(w.word) for w in words]


def find_loops(keys: Sequence[str], opts: GuardOptions) -> list[tuple[int, int]]:
    """Spans (start, end) of word positions that repeat an earlier n-gram back to back,
    beyond its first occurrence."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(keys):
        best: tuple[int, int] | None = None
        for n in range(1, opts.loop_max_ngram + 1):
            gram = keys[i : i + n]
            if len(gram) < n or not any(gram):
                break
            reps = 1
            while keys[i + reps * n : i + (reps + 1) * n] == gram:
                reps += 1
            needed = opts.loop_min_repeats
            if n == 1:
                long = sum(ch.isalnum() for ch in gram[0]) >= opts.long_word_chars
                needed = opts.loop_min_repeats_long_word if long else opts.loop_min_repeats_single
            if reps >= needed and (best is None or (reps - 1) * n > best[1] - best[0]):
                best = (i + n, i + reps * n)
        if best:
            spans.append(best)
            i = best[1]
        else:
            i += 1
    return spans


def find_phrases(keys: Sequence[str], phrases: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of word positions that spell one of ``phrases`` (already normalized)."""
    spans = []
    for phrase in phrases:
        target = phrase.split()
        n = len(target)
        for i in range(len(keys) - n + 1):
            if list(keys[i : i + n]) == target:
                spans.append((i, i + n))
    return spans


def find_echo(keys: Sequence[str], prompt: str | None, min_words: int) -> list[tuple[int, int]]:
    """Spans where at least ``min_words`` consecutive words repeat the prompt verbatim."""
    if not prompt:
        return []
    prompt_keys = [k for k in (normalize_word(w) for w in prompt.split()) if k]
    grams = {tuple(prompt_keys[i : i + min_words]) for i in range(len(prompt_keys) - min_words + 1)}
    return [
        (i, i + min_words)
        for i in range(len(keys) - min_words + 1)
        if tuple(keys[i : i + min_words]) in grams
    ]


def too_sparse(words: Sequence[WordTiming], speech_s: float, opts: GuardOptions) -> bool:
    """Far fewer words than the speech could hold: some of it was never decoded.
    ``words`` are Whisper's pieces; a piece without a leading space ("-4") continues
    the word before it."""
    if speech_s < opts.sparse_min_speech_s:
        return False
    count = sum(1 for i, w in enumerate(words) if i == 0 or w.word[:1].isspace())
    return count / speech_s < opts.min_words_per_s


def decode_faults(
    words: Sequence[WordTiming], speech_s: float, prompt: str | None, opts: GuardOptions
) -> tuple[list[WordTiming], int]:
    """The words the guards keep, and how many faults of the decode itself a second
    decode might mend: hallucination or no-speech flags, and speech left undecoded."""
    kept, flags = apply_guards(words, speech_s, None, prompt, opts)
    return kept, len(RETRY_FLAGS & set(flags)) + too_sparse(kept, speech_s, opts)


def apply_guards(
    words: Sequence[WordTiming],
    speech_s: float,
    no_speech_prob: float | None,
    prompt: str | None = None,
    opts: GuardOptions | None = None,
) -> tuple[list[WordTiming], list[str]]:
    """The words that survive the guards, and the flags raised."""
    opts = opts or GuardOptions()
    flags: list[str] = []
    words = list(words)
    if words and no_speech_prob is not None and no_speech_prob > opts.no_speech_threshold:
        logprob = sum(w.logprob for w in words) / max(1, sum(w.tokens for w in words))
        if logprob < opts.logprob_threshold:
            words = []
    keys = _keys(words)
    for flag, spans in (
        (PHANTOM_PHRASE, find_phrases(keys, _PHANTOMS)),
        (REPETITION_LOOP, find_loops(keys, opts)),
        (PROMPT_ECHO, find_echo(keys, prompt, opts.prompt_echo_min_words)),
    ):
        if spans:
            flags.append(flag)
            drop = {i for s, e in spans for i in range(s, e)}
            words = [w for i, w in enumerate(words) if i not in drop]
            keys = [k for i, k in enumerate(keys) if i not in drop]
    solo = " ".join(k for k in keys if k)
    if (
        solo in SOLO_PHANTOMS
        and max(w.probability for w in words) < opts.solo_phantom_max_probability
    ):
        flags.append(PHANTOM_PHRASE)
        words = []
    words = [w for w in words if normalize_word(w.word)]  # lone punctuation is not a word
    if words and speech_s > 0 and len(words) / speech_s > opts.max_words_per_s:
        flags.append(IMPLAUSIBLE_RATE)
    if not words:
        flags.append(NO_SPEECH)
    return words, sorted(set(flags))
