"""Unit attribution: each word carries the radio id (srcList) that transmitted it."""

import math

from assets.transcripts.speakers import lead_trim_s, unit_turns, word_time, word_units

# "Engine 21, respond to Oak." then "Engine 21 copies.": (start_s, end_s) per word
WORDS = [(0.1, 0.4), (0.5, 0.8), (0.9, 1.1), (1.2, 1.4), (1.5, 1.9),
         (3.1, 3.3), (3.4, 3.7), (3.8, 4.2)]
TWO = [{"unit_id": 911000, "pos_s": 0.0, "emergency": False},
       {"unit_id": 1201, "pos_s": 3.0, "emergency": False}]


def test_unit_attribution_splits_where_the_transmitting_unit_changes():
    assert word_units(WORDS, TWO) == [911000] * 5 + [1201] * 3


def test_unit_attribution_follows_the_audio_layers_lead_trim():
    # the normalized audio starts 1.5 s into the call: its 1.6 s is the call's 3.1 s
    shifted = [(s - 1.5, e - 1.5) for s, e in WORDS]
    assert lead_trim_s(["bandpass:80-7600Hz", "trim:1.50s+0.20s"]) == 1.5
    assert word_units(shifted, TWO, lead_s=1.5) == [911000] * 5 + [1201] * 3
    # without the offset the reply would be given to the dispatcher
    assert word_units(shifted, TWO) == [911000] * 8
    assert lead_trim_s(["loudness:-20LUFS:+1dB"]) == 0.0 and lead_trim_s(None) == 0.0


def test_unit_attribution_places_a_straddling_word_by_its_midpoint():
    # key-up logged at 3.0 s (slack 0.3 s: the reply owns 2.7 s on); a word from 2.2 to
    # 2.9 s starts and mostly lies before it, one from 2.5 to 3.3 s mostly after it
    turns = [{"unit_id": 1, "pos_s": 0.0}, {"unit_id": 2, "pos_s": 3.0}]
    assert word_units([(2.2, 2.9), (2.5, 3.3)], turns) == [1, 2]
    # by start alone the second would go to unit 1 (2.5 < 2.7)
    assert word_time(2.5, 3.3) == 2.9 and word_time(2.5, None) == 2.5
    assert word_time(2.5, 2.0) == 2.5 and word_time(None, 3.0) is None


def test_unit_attribution_without_a_srclist_leaves_units_null():
    assert word_units(WORDS, None) == [None] * 8
    assert word_units(WORDS, []) == [None] * 8
    assert word_units([], TWO) == []


def test_unit_attribution_sorts_unsorted_key_ups():
    assert word_units(WORDS, list(reversed(TWO))) == [911000] * 5 + [1201] * 3


def test_unit_attribution_out_of_range_positions():
    units = [
        {"unit_id": 7, "pos_s": -0.4},  # already talking when recording began: from 0
        {"unit_id": 8, "pos_s": 3.0},
        {"unit_id": 9, "pos_s": 99.0},  # past the end of a 5 s call: dropped
        {"unit_id": 10, "pos_s": math.nan},  # no usable position: dropped
        {"unit_id": 11, "pos_s": None},
    ]
    assert unit_turns(units, duration_s=5.0) == [(0.0, 7), (3.0, 8)]
    assert word_units(WORDS, units, duration_s=5.0) == [7] * 5 + [8] * 3
    # with no position at all, one unit said everything; two cannot be told apart
    assert word_units(WORDS[:2], [{"unit_id": 5, "pos_s": None}]) == [5, 5]
    assert word_units(WORDS[:2], [{"unit_id": 5}, {"unit_id": 6}]) == [None, None]


def test_unit_attribution_treats_emergency_key_ups_like_any_other():
    units = [{"unit_id": 1, "pos_s": 0.0, "emergency": False},
             {"unit_id": 2, "pos_s": 3.0, "emergency": True}]
    assert word_units(WORDS, units) == [1] * 5 + [2] * 3


def test_unit_attribution_gives_an_untimed_word_the_unit_before_it():
    words = [(0.1, 0.4), (None, None), (3.1, 3.4), (None, None)]
    assert word_units(words, TWO) == [911000, 911000, 1201, 1201]
    assert word_units([(None, None)], TWO) == [911000]


def test_unit_attribution_gives_words_before_the_first_key_up_to_its_unit():
    # the opener's key-up was logged 1 s in; it still said the first words
    assert word_units([(0.0, 0.2), (2.0, 2.2)], [{"unit_id": 3, "pos_s": 1.0}]) == [3, 3]
