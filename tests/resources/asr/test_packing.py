import numpy as np
import pytest

from resources.asr.packing import (
    Piece,
    Placement,
    Window,
    assign_words,
    pack,
    plan_pieces,
    render,
)
from resources.asr.words import WordTiming


def word(text: str, start: float, end: float) -> WordTiming:
    return WordTiming(
        word=" " + text, start_s=start, end_s=end, probability=0.9, logprob=-0.1, tokens=1
    )


def test_pieces_cover_speech_with_padding_and_join_close_regions():
    pieces = plan_pieces(
        0, [(1.0, 2.0), (2.5, 4.0), (9.0, 10.0)], duration_s=10.5, pad_s=0.2, join_gap_s=1.0
    )
    assert [(p.part, round(p.start_s, 2), round(p.end_s, 2)) for p in pieces] == [
        (0, 0.8, 4.2),
        (1, 8.8, 10.2),
    ]


def test_pieces_clip_to_the_call_and_split_long_speech():
    pieces = plan_pieces(3, [(0.0, 60.0)], duration_s=60.0, pad_s=0.5, max_piece_s=28.0)
    assert len(pieces) == 3
    assert pieces[0].start_s == 0.0 and pieces[-1].end_s == 60.0
    assert all(p.duration_s <= 28.0 and p.call == 3 for p in pieces)
    assert [p.part for p in pieces] == [0, 1, 2]


def test_no_speech_gives_no_pieces():
    assert plan_pieces(0, [], duration_s=5.0) == []


def test_pack_first_fit_with_gaps():
    pieces = [Piece(i, 0, 0.0, d) for i, d in enumerate([10.0, 10.0, 12.0, 5.0])]
    windows = pack(pieces, gap_s=1.0, window_s=30.0, margin_s=0.5)
    layout = [[(p.piece.call, p.offset_s) for p in w.placements] for w in windows]
    # 10 + 1 + 10 = 21; 12 does not fit (34 > 29.5) but 5 does (27)
    assert layout == [[(0, 0.0), (1, 11.0), (3, 22.0)], [(2, 0.0)]]
    assert windows[0].content_s == 27.0


def test_pack_without_packing_keeps_calls_apart():
    pieces = [Piece(0, 0, 0.0, 3.0), Piece(0, 1, 5.0, 8.0), Piece(1, 0, 0.0, 3.0)]
    windows = pack(pieces, pack_calls=False)
    assert [sorted(w.calls) for w in windows] == [[0], [1]]


def test_pack_refuses_a_piece_longer_than_a_window():
    with pytest.raises(ValueError):
        pack([Piece(0, 0, 0.0, 31.0)])


def test_render_places_each_piece_at_its_offset():
    a = np.full(16000 * 3, 0.5, np.float32)
    b = np.full(16000 * 2, -0.25, np.float32)
    window = Window((Placement(Piece(0, 0, 1.0, 2.0), 0.0), Placement(Piece(1, 0, 0.0, 2.0), 2.0)))
    out = render(window, [a, b])
    assert out.size == 16000 * 4
    assert np.all(out[:16000] == 0.5)
    assert np.all(out[16000:32000] == 0.0)  # the gap is silence
    assert np.all(out[32000:] == -0.25)


def test_words_go_to_their_own_call_in_call_time():
    # call 0 speaks 2..6 s of its audio, placed at 0; call 1 speaks 0.5..4.5 s, placed at 5
    window = Window((Placement(Piece(0, 0, 2.0, 6.0), 0.0), Placement(Piece(1, 0, 0.5, 4.5), 5.0)))
    words = [
        word("alpha", 0.2, 0.6),
        word("bravo", 3.5, 4.2),
        word("charlie", 5.1, 5.5),
        word("delta", 8.0, 9.1),
    ]
    out = assign_words(window, words)
    first, second = out[Piece(0, 0, 2.0, 6.0)], out[Piece(1, 0, 0.5, 4.5)]
    assert [w.word for w in first] == [" alpha", " bravo"]
    assert [w.word for w in second] == [" charlie", " delta"]
    assert (first[0].start_s, first[0].end_s) == (2.2, 2.6)
    assert (second[0].start_s, second[0].end_s) == (0.6, 1.0)
    # a word straddling the end of its piece is clipped to the piece, not lent to the neighbour
    assert first[1].end_s == 6.0
    assert second[1].end_s == 4.5


def test_a_word_in_the_gap_goes_to_the_nearest_call_only():
    window = Window((Placement(Piece(0, 0, 0.0, 4.0), 0.0), Placement(Piece(1, 0, 0.0, 4.0), 5.0)))
    out = assign_words(window, [word("near-first", 4.1, 4.3), word("near-second", 4.7, 4.95)])
    assert [w.word for w in out[Piece(0, 0, 0.0, 4.0)]] == [" near-first"]
    assert [w.word for w in out[Piece(1, 0, 0.0, 4.0)]] == [" near-second"]
    assert out[Piece(1, 0, 0.0, 4.0)][0].start_s == 0.0
