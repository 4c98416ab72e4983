import numpy as np
import pytest

from resources.asr.timing import TimedSegment, refine, timestamp_segments, to_words, word_entries

TS = 50_000  # first timestamp token id in this toy vocabulary
EOT = 49_999


def ts(seconds: float) -> int:
    return TS + round(seconds / 0.02)


def test_segments_come_from_timestamp_pairs():
    sequence = [ts(0.0), 1, 2, 3, ts(2.0), ts(2.0), 4, 5, ts(4.5), ts(5.0), 6]
    # the last segment never closed (no timestamp after token 6), so it is not a segment
    assert timestamp_segments(sequence, TS, EOT) == [
        TimedSegment(0, 3, 0.0, 2.0),
        TimedSegment(3, 5, 2.0, 4.5),
    ]
    assert timestamp_segments([1, 2, 3], TS, EOT) == []


def test_word_entries_follow_the_alignment_jumps():
    words = [" Engine", " 12", "<eot>"]
    word_tokens = [[10], [11], [EOT]]
    text_idx = np.array([0, 0, 1, 1, 2])  # token index per alignment step
    time_idx = np.array([5, 6, 20, 21, 40])  # 50 steps per second
    entries = word_entries(words, word_tokens, text_idx, time_idx, 50)
    assert [(e["word"], e["tokens"], e["start"], e["end"]) for e in entries] == [
        (" Engine", [0], 0.1, 0.4),
        (" 12", [1], 0.4, 0.8),
    ]


def test_a_first_word_stretched_over_silence_is_pulled_to_the_segment_start():
    entries = [
        {"word": " Medic", "tokens": [0], "start": 0.0, "end": 1.4},
        {"word": " 4", "tokens": [1], "start": 1.4, "end": 1.7},
        {"word": " en", "tokens": [2], "start": 1.7, "end": 1.9},
        {"word": " route", "tokens": [3], "start": 1.9, "end": 2.2},
        {"word": ".", "tokens": [4], "start": 2.2, "end": 2.3},
    ]
    refine(entries, [TimedSegment(0, 5, 1.0, 2.3)])
    # was 0.0 over a second of lead silence; now at most twice the median word before its end
    assert entries[0]["start"] == pytest.approx(0.8)
    assert entries[3]["word"] == " route." and entries[4]["word"] == ""  # punctuation merged
    words = to_words(entries, np.array([0.9, 0.8, 0.7, 0.6, 0.5]))
    assert [w.word for w in words] == [" Medic", " 4", " en", " route."]
    assert words[3].tokens == 2 and np.isclose(words[3].probability, 0.55)
    assert np.isclose(words[0].logprob, np.log(0.9))


def test_the_segment_start_wins_when_the_first_word_starts_far_before_it():
    entries = [
        {"word": " Unit", "tokens": [0], "start": 0.2, "end": 2.2},
        {"word": " 5", "tokens": [1], "start": 2.2, "end": 2.5},
    ]
    refine(entries, [TimedSegment(0, 2, 2.0, 2.5)])
    # median word 0.7 s (capped): cut back to 1.4 s long (start 0.8), then the segment start
    # lies 1.2 s later, so the word starts one median before its end: 1.5
    assert entries[0]["start"] == pytest.approx(1.5)
