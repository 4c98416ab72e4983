from resources.asr.words import WordTiming, apply_alignment

WORDS = [WordTiming(" Engine", 0.0, 0.4, 0.9, -0.1, 1), WordTiming(" 12,", 0.4, 0.9, 0.8, -0.2, 1)]


def test_aligned_times_replace_whispers_one_to_one():
    out = apply_alignment(
        WORDS,
        [{"word": "Engine", "start": 0.1, "end": 0.45}, {"word": "12,", "start": 0.5, "end": 0.8}],
    )
    assert [(w.start_s, w.end_s) for w in out] == [(0.1, 0.45), (0.5, 0.8)]
    assert [w.probability for w in out] == [0.9, 0.8]  # Whisper's probability stays


def test_unplaced_or_unpaired_words_keep_whispers_times():
    out = apply_alignment(WORDS, [{"word": "Engine", "start": 0.1, "end": 0.45}, {"word": "12,"}])
    assert [(w.start_s, w.end_s) for w in out] == [(0.1, 0.45), (0.4, 0.9)]
    assert apply_alignment(WORDS, [{"word": "Engine 12,", "start": 0.0, "end": 1.0}]) == WORDS
