"""A transcript as readable passages with the unit that spoke each one."""

from dashboards.passages import lead_trim_s, passages, readable

WORDS = [("Engine", 0.1), ("21,", 0.5), ("respond", 0.9), ("to", 1.2), ("Oak.", 1.5),
         ("Engine", 3.1), ("21", 3.4), ("copies.", 3.8)]


def test_readable_text_has_no_space_before_punctuation():
    assert readable(["Engine", "21", ",", "respond", "to", "Oak", "."]) == "Engine 21, respond to Oak."


def test_passages_split_where_the_transmitting_unit_changes():
    turns = [{"unit": "Dispatch", "pos_s": 0.0}, {"unit": "Engine 21", "pos_s": 3.0}]
    got = passages(WORDS, turns)
    assert [(p.unit, p.start_s, p.text) for p in got] == [
        ("Dispatch", 0.1, "Engine 21, respond to Oak."),
        ("Engine 21", 3.1, "Engine 21 copies."),
    ]


def test_word_times_are_moved_by_the_audio_layers_lead_trim():
    # the normalized audio starts 1.5 s into the call: its 1.6 s is the call's 3.1 s
    turns = [{"unit": "Dispatch", "pos_s": 0.0}, {"unit": "Engine 21", "pos_s": 3.0}]
    shifted = [(w, t - 1.5) for w, t in WORDS]
    assert lead_trim_s(["bandpass:80-7600Hz", "trim:1.50s+0.20s"]) == 1.5
    assert [p.unit for p in passages(shifted, turns, lead_s=1.5)] == ["Dispatch", "Engine 21"]
    # without the offset the reply would be given to the dispatcher
    assert [p.unit for p in passages(shifted, turns)] == ["Dispatch"]


def test_no_unit_list_gives_one_passage_without_a_unit():
    (only,) = passages(WORDS, [])
    assert only.unit is None and only.text.startswith("Engine 21, respond")
    assert lead_trim_s(["loudness:-20LUFS:+1dB"]) == 0.0


def test_words_without_times_stay_with_their_passage():
    turns = [{"unit": "A", "pos_s": 0.0}, {"unit": "B", "pos_s": 2.0}]
    got = passages([("one", 0.0), ("two", None), ("three", 2.5)], turns)
    assert [(p.unit, p.text) for p in got] == [("A", "one two"), ("B", "three")]
