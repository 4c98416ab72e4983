"""Extraction as a pure function: spans, audio times from the words, confidences, and
bad input that gives nothing rather than an error."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from assets.entities.extract import (
    EntityExtractor,
    Word,
    align_words,
    entity_id,
    entity_rows,
    extract_entities,
)

# As faster-whisper gives them: leading spaces, punctuation attached, "10-4," split in two.
TEXT = " Engine 12. Metic 4. Respond to 1220 Oak Street, 10-4."
WORDS = [
    Word(" Engine", 0.0, 0.32, 0.67),
    Word(" 12.", 0.32, 0.9, 0.97),
    Word(" Metic", 1.26, 1.48, 0.21),
    Word(" 4.", 1.48, 2.0, 0.84),
    Word(" Respond", 2.22, 2.34, 0.93),
    Word(" to", 2.34, 2.84, 0.91),
    Word(" 1220", 2.84, 3.38, 0.65),
    Word(" Oak", 3.38, 3.7, 0.88),
    Word(" Street,", 3.7, 4.0, 0.97),
    Word(" 10", 4.2, 4.5, 0.81),
    Word("-4.", 4.5, 4.9, 0.77),
]


def test_spans_times_and_confidence(extractor: EntityExtractor) -> None:
    ents = {e.label + ":" + e.normalized: e for e in extractor.extract(TEXT, WORDS)}
    address = ents["ADDRESS:1220 OAK ST"]
    assert TEXT[address.start_char : address.end_char] == address.text == "1220 Oak Street"
    assert (address.start_s, address.end_s) == (2.84, 4.0)
    assert address.confidence == pytest.approx(1.0 * (0.65 + 0.88 + 0.97) / 3, abs=1e-4)
    medic = ents["UNIT:Medic 4"]
    assert (medic.start_s, medic.end_s) == (1.26, 2.0)
    code = ents["TEN_CODE:10-4"]
    assert (code.text, code.start_s, code.end_s, code.detail) == ("10-4", 4.2, 4.9, "Acknowledged")
    # A misheard unit (low word probability, matched by sound) is the least sure.
    assert medic.confidence == min(e.confidence for e in ents.values())


def test_without_words_there_are_no_times(extractor: EntityExtractor) -> None:
    [unit] = [e for e in extractor.extract("Engine 12 respond") if e.label == "UNIT"]
    assert (unit.start_s, unit.end_s, unit.confidence) == (None, None, 0.9)


def test_alignment_survives_disagreeing_words() -> None:
    spans = align_words(
        "Engine 12 on scene", [Word("Engine"), Word("twelve"), Word("on"), Word("scene")]
    )
    assert spans == [(0, 6), None, (10, 12), (13, 18)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "asdf qwer zxcv blorp",
        "!!! ... ,,, ---",
        "the the and and at of",
        "uh um uh",
        "12 34 56",
    ],
)
def test_bad_input_gives_no_entities(extractor: EntityExtractor, text: str) -> None:
    assert extractor.extract(text, [Word(w) for w in text.split()]) == []


def test_broken_word_times_are_ignored(extractor: EntityExtractor) -> None:
    words = [Word("Engine", math.nan, -1.0, math.inf), Word("12", 0.5, 0.9, 0.9)]
    [unit] = extractor.extract("Engine 12", words)
    assert (unit.start_s, unit.end_s) == (0.5, 0.9) and 0.0 <= unit.confidence <= 1.0


def test_pure_function_and_batch_agree(extractor: EntityExtractor) -> None:
    one = extract_entities(TEXT, WORDS, extractor.nlp)
    many = list(extractor.extract_many([(TEXT, WORDS), ("", []), ("Medic 4", [])]))
    assert many[0] == one and many[1] == [] and [e.normalized for e in many[2]] == ["Medic 4"]


def test_rows_have_stable_ids(extractor: EntityExtractor) -> None:
    found = extractor.extract(TEXT, WORDS)
    rows = entity_rows("sys-1-100", dt.date(2024, 5, 1), "tiny.en", found)
    assert [r["entity_id"] for r in rows] == [
        entity_id("sys-1-100", "tiny.en", e.label, e.start_char, e.end_char) for e in found
    ]
    assert len({r["entity_id"] for r in rows}) == len(rows)
    assert entity_id("sys-1-100", "other-model", "UNIT", 1, 10) != entity_id(
        "sys-1-100", "tiny.en", "UNIT", 1, 10
    )
