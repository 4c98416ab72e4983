import math

from assets.transcripts import guards as g
from assets.transcripts.scoring import avg_logprob, compression_ratio, confidence, text_of
from assets.transcripts.transcribe import join_fragments, tidy_times
from resources.asr.engine import WordTiming


def words(text: str, probability: float = 0.9, step: float = 0.4) -> list[WordTiming]:
    return [
        WordTiming(" " + w, i * step, i * step + step * 0.8, probability, math.log(probability), 1)
        for i, w in enumerate(text.split())
    ]


def test_clean_speech_passes_untouched():
    kept, flags = g.apply_guards(
        words("Engine 12 respond to Maple Street"), speech_s=3.0, no_speech_prob=0.01
    )
    assert text_of(kept) == "Engine 12 respond to Maple Street"
    assert flags == []


def test_nothing_said_is_an_empty_flagged_transcript():
    kept, flags = g.apply_guards([], speech_s=0.0, no_speech_prob=None)
    assert kept == [] and flags == [g.NO_SPEECH]


def test_whispers_own_silence_rule_drops_doubtful_text():
    kept, flags = g.apply_guards(words("so", probability=0.2), speech_s=0.5, no_speech_prob=0.9)
    assert kept == [] and flags == [g.NO_SPEECH]
    kept, flags = g.apply_guards(
        words("Engine 12 on scene", 0.95), speech_s=2.0, no_speech_prob=0.9
    )
    assert text_of(kept) == "Engine 12 on scene"  # confident text survives a high no-speech score


def test_repetition_loop_is_collapsed_and_flagged():
    text = "Medic 4 en route " + "on scene " * 6
    kept, flags = g.apply_guards(words(text.strip()), speech_s=10.0, no_speech_prob=0.02)
    assert text_of(kept) == "Medic 4 en route on scene"
    assert flags == [g.REPETITION_LOOP]


def test_a_single_word_loop_needs_five_repeats():
    kept, flags = g.apply_guards(words("copy copy"), speech_s=1.0, no_speech_prob=0.01)
    assert flags == []
    kept, flags = g.apply_guards(
        words("the the the the the the the"), speech_s=3.0, no_speech_prob=0.01
    )
    assert text_of(kept) == "the" and g.REPETITION_LOOP in flags


def test_a_long_word_looping_four_times_is_a_loop_but_mayday_thrice_is_speech():
    kept, flags = g.apply_guards(
        words("Redpond Redpond Redpond Redpond"), speech_s=4.0, no_speech_prob=0.01
    )
    assert text_of(kept) == "Redpond" and g.REPETITION_LOOP in flags
    assert g.hallucinated(flags)
    kept, flags = g.apply_guards(
        words("Mayday mayday mayday engine 4 is down"), speech_s=4.0, no_speech_prob=0.01
    )
    assert flags == [] and not g.hallucinated(flags)


def test_only_text_wide_faults_put_the_whole_text_in_doubt():
    assert g.hallucinated([g.PROMPT_ECHO]) and g.hallucinated([g.IMPLAUSIBLE_RATE])
    assert not g.hallucinated([g.PHANTOM_PHRASE, g.LOW_CONFIDENCE, g.NO_SPEECH])


def test_phantom_phrase_is_removed_and_flagged():
    kept, flags = g.apply_guards(
        words("Unit 7 clear. Thank you for watching!"), speech_s=3.0, no_speech_prob=0.1
    )
    assert text_of(kept) == "Unit 7 clear."
    assert flags == [g.PHANTOM_PHRASE]


def test_phantom_only_call_becomes_empty():
    kept, flags = g.apply_guards(
        words("Subtitles by the Amara.org community"), speech_s=2.0, no_speech_prob=0.3
    )
    assert kept == []
    assert flags == [g.NO_SPEECH, g.PHANTOM_PHRASE]


def test_a_lone_doubtful_you_is_a_phantom_but_a_confident_thank_you_is_kept():
    kept, flags = g.apply_guards(words("you", probability=0.3), speech_s=0.6, no_speech_prob=0.2)
    assert kept == [] and flags == [g.NO_SPEECH, g.PHANTOM_PHRASE]
    kept, flags = g.apply_guards(
        words("Thank you.", probability=0.9), speech_s=0.8, no_speech_prob=0.05
    )
    assert text_of(kept) == "Thank you." and flags == []


def test_prompt_echo_is_removed():
    prompt = "Engine 12, Medic 4, Maple Street, Oak Avenue, 10-4, 10-23."
    kept, flags = g.apply_guards(
        words("Engine 12, Medic 4, Maple Street, Oak Avenue"),
        speech_s=2.0,
        no_speech_prob=0.2,
        prompt=prompt,
    )
    assert kept == [] and g.PROMPT_ECHO in flags
    kept, flags = g.apply_guards(
        words("Engine 12 to Maple Street"), speech_s=2.0, no_speech_prob=0.1, prompt=prompt
    )
    assert flags == []  # a few prompt terms in real speech are not an echo


def test_too_many_words_for_the_speech_is_flagged():
    kept, flags = g.apply_guards(
        words("one two three four five six seven eight"), speech_s=0.5, no_speech_prob=0.1
    )
    assert g.IMPLAUSIBLE_RATE in flags and len(kept) == 8


def test_lone_punctuation_is_not_a_word():
    kept, flags = g.apply_guards(words("..."), speech_s=1.0, no_speech_prob=0.1)
    assert kept == [] and flags == [g.NO_SPEECH]


def test_scores():
    ws = words("Engine 12 on scene", probability=0.5)
    assert avg_logprob(ws) == math.log(0.5)
    assert confidence(ws, []) == 0.5
    assert confidence(ws, [g.REPETITION_LOOP]) == 0.25
    assert confidence(ws, [g.LOW_CONFIDENCE]) == 0.5
    assert confidence([], [g.NO_SPEECH]) is None and avg_logprob([]) is None
    assert compression_ratio("") is None
    assert (
        compression_ratio("on scene " * 20)
        > 2.4
        > compression_ratio("Engine 12 respond to Maple Street")
    )


def test_fragments_fold_into_the_word_before():
    ws = [
        WordTiming(" plate", 0.0, 0.3, 0.9, -0.1, 1),
        WordTiming(" 1", 0.4, 0.5, 0.8, -0.2, 1),
        WordTiming("-2", 0.5, 0.7, 0.6, -0.5, 2),
    ]
    out = join_fragments(ws)
    assert [w.word for w in out] == [" plate", " 1-2"]
    assert (out[1].start_s, out[1].end_s, out[1].tokens) == (0.4, 0.7, 3)
    assert math.isclose(out[1].probability, (0.8 + 0.6 * 2) / 3)


def test_times_are_put_in_order_and_inside_the_call():
    ws = [
        WordTiming(" a", -0.2, 0.3, 1, 0, 1),
        WordTiming(" b", 0.1, 0.05, 1, 0, 1),
        WordTiming(" c", 4.8, 5.6, 1, 0, 1),
    ]
    out = tidy_times(ws, duration_s=5.0)
    assert [(w.start_s, w.end_s) for w in out] == [(0.0, 0.3), (0.1, 0.1), (4.8, 5.0)]


def test_speech_left_undecoded_is_a_fault_worth_a_second_decode():
    # As tiny.en left a 6 s call in a packed window: "Engine 26, Engine 21, 10" for
    # "Engine 21, respond to 183 Pecan Street, Autaugaville, for a reported gas leak."
    sparse = words("Engine 26, Engine 21, 10")
    opts = g.GuardOptions()
    assert g.too_sparse(sparse, speech_s=6.0, opts=opts)
    kept, faults = g.decode_faults(sparse, 6.0, None, opts)
    assert faults == 1 and len(kept) == 5
    assert g.apply_guards(sparse, 6.0, 0.01)[1] == []  # a reason to decode again, not a flag
    whole = words("Engine 21, respond to 183 Pecan Street, Autaugaville, for a reported gas leak.")
    assert g.decode_faults(whole, 6.0, None, opts)[1] == 0


def test_a_short_slow_reply_is_not_sparse():
    opts = g.GuardOptions()
    assert not g.too_sparse(words("Medic 4, 10-4."), speech_s=2.8, opts=opts)  # under 3 s
    assert not g.too_sparse(words("Unit 23, 10-23, en route."), speech_s=4.5, opts=opts)


def test_word_pieces_count_as_one_word():
    pieces = words("Unit 14, 10") + [WordTiming("-4,", 1.6, 1.8, 0.9, math.log(0.9), 1)]
    opts = g.GuardOptions()
    assert not g.too_sparse(pieces, speech_s=3.0, opts=opts)  # 3 words in 3 s
    assert g.too_sparse(pieces, speech_s=3.5, opts=opts)


def test_faults_add_up():
    looped = words("Medic 4 " + "on scene " * 6)
    kept, faults = g.decode_faults(looped, 12.0, None, g.GuardOptions())
    assert faults == 2  # a loop, and what is left is too little for 12 s of speech
