from __future__ import annotations

from assets.alerts.matching import Term, Word, WordIndex, match_group, tokens, words_from_text


def timed(text: str, step: float = 0.5) -> list[Word]:
    """Words as WhisperX leaves them: leading spaces, punctuation, times."""
    return [
        Word(i, f" {w}", round(i * step, 3), round(i * step + 0.4, 3))
        for i, w in enumerate(text.split())
    ]


def match(text: str, terms: list[Term], negations: list[Term] = (), vetoes: list[Term] = ()):
    return match_group(WordIndex(timed(text)), terms, negations, vetoes)


def test_tokens_fold_case_and_punctuation():
    assert tokens("Fire, FIRE! 10-70 o'clock") == ("fire", "fire", "10", "70", "o'clock")


def test_word_hit_carries_the_word_and_its_audio_time():
    m = match("Engine 12 respond, working Fire at Oak", [Term.phrase("fire")])
    assert m is not None
    [w] = m.matched_words()
    assert w == {"term": "fire", "word_index": 4, "word": "Fire", "start_s": 2.0, "end_s": 2.4}
    assert (m.start_s, m.end_s) == (2.0, 2.4)


def test_phrase_spans_words_and_does_not_match_out_of_order():
    m = match("we have a working fire on Main", [Term.phrase("working fire")])
    assert m is not None and [w["word"] for w in m.matched_words()] == ["working", "fire"]
    assert (m.start_s, m.end_s) == (1.5, 2.4)
    assert match("the fire is working", [Term.phrase("working fire")]) is None


def test_hyphenated_codes_match_spoken_forms():
    term = Term.phrase("10-70")
    assert match("unit 4 10-70 at the plaza", [term]) is not None
    assert match("unit 4 10 70 at the plaza", [term]) is not None
    assert match("unit 4 1070 at the plaza", [term]) is None


def test_regex_hit_covers_the_words_it_touches():
    m = match("Medic 4 code three to 1220 Oak Street", [Term.pattern(r"\d+ oak st(reet)?")])
    assert m is not None
    assert [w["word"] for w in m.matched_words()] == ["1220", "Oak", "Street"]
    assert m.terms == [r"\d+ oak st(reet)?"]


def test_negation_drops_hits_inside_it_but_keeps_others():
    fire, test = [Term.phrase("fire")], [Term.phrase("fire alarm test")]
    assert match("this is a fire alarm test at the school", fire, test) is None
    m = match("fire alarm test complete, Engine 9 now a working fire on Elm", fire, test)
    assert m is not None and [w["word_index"] for w in m.matched_words()] == [9]


def test_veto_anywhere_cancels_the_group():
    assert (
        match(
            "fire reported, this is a drill", [Term.phrase("fire")], vetoes=[Term.phrase("drill")]
        )
        is None
    )


def test_no_hit_no_match():
    assert match("all units clear", [Term.phrase("fire"), Term.pattern("shots? fired")]) is None


def test_snippet_is_centered_on_the_first_hit():
    text = " ".join(f"w{i}" for i in range(30)).replace("w15", "fire")
    m = match(text, [Term.phrase("fire")])
    assert m.snippet(3) == "… w12 w13 w14 fire w16 w17 w18 …"
    assert match("fire now", [Term.phrase("fire")]).snippet(3) == "fire now"


def test_text_without_word_rows_still_matches_without_times():
    m = match_group(
        WordIndex(words_from_text("Working fire on Elm")), [Term.phrase("working fire")], (), ()
    )
    assert m is not None and m.start_s is None and m.snippet(5) == "Working fire on Elm"
