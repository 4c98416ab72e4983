"""A transcript as readable passages with the unit that spoke each one."""

from dashboards.passages import passages, readable

WORDS = [("Engine", 0.1), ("21,", 0.5), ("respond", 0.9), ("to", 1.2), ("Oak.", 1.5),
         ("Engine", 3.1), ("21", 3.4), ("copies.", 3.8)]
UNITS = ["Dispatch (911000)"] * 5 + ["Engine 21 (1201)"] * 3


def test_readable_text_has_no_space_before_punctuation():
    assert readable(["Engine", "21", ",", "respond", "to", "Oak", "."]) == "Engine 21, respond to Oak."


def test_passages_split_where_the_words_unit_changes():
    got = passages([(w, t, u) for (w, t), u in zip(WORDS, UNITS, strict=True)])
    assert [(p.unit, p.start_s, p.text) for p in got] == [
        ("Dispatch (911000)", 0.1, "Engine 21, respond to Oak."),
        ("Engine 21 (1201)", 3.1, "Engine 21 copies."),
    ]


def test_words_without_units_give_one_passage_without_a_unit():
    (only,) = passages([(w, t, None) for w, t in WORDS])
    assert only.unit is None and only.text.startswith("Engine 21, respond")
    assert passages([]) == []
