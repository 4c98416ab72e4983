"""The one tokenizer: what a word is, and search, alert keywords and the hallucination
guards reading one tricky transcript alike."""

from __future__ import annotations

import math
import re

import duckdb
import pytest

from assets.alerts.matching import Term, WordIndex, match_group, tokens, words_from_text
from assets.transcripts import guards
from lake.duckdb import extension_path
from lake.queries import search
from lake.queries.search_index import BUILD_INDEX_SQL
from lake.queries.search_query import normalize_word, parse_query, phrase_start
from radiotext.words import parts, word_key, words
from resources.asr.words import WordTiming

# Whisper-style: a typographic apostrophe, an em dash, a 10-code, a possessive name,
# shouting, an ellipsis, a doubled hyphen and a leading apostrophe.
TRICKY = "Don\u2019t\u201410-4, O'Brien's  FIRE... at 10--50 'tis"
TRICKY_WORDS = ["don't", "10-4", "o'brien's", "fire", "at", "10", "50", "tis"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fire, FIRE! fire.", ["fire", "fire", "fire"]),
        ("10-50 10 50 I-94", ["10-50", "10", "50", "i-94"]),
        ("O'Brien's rock'n'roll", ["o'brien's", "rock'n'roll"]),
        ("Don\u2019t", ["don't"]),  # the typographic apostrophe is an apostrophe
        ("'tis o' -4 --", ["tis", "o", "4"]),  # an edge apostrophe or hyphen is not a word
        ("10--50 a/b fire/EMS", ["10", "50", "a", "b", "fire", "ems"]),
        ("... -- ''", []),
        (TRICKY, TRICKY_WORDS),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_parts_break_compounds_only_at_hyphens() -> None:
    assert parts("10-50 o'clock") == parts("10 50 o'clock") == ["10", "50", "o'clock"]


@pytest.mark.parametrize(
    ("token", "key"),
    [(" Fire,", "fire"), (" 10-4.", "10-4"), (" amara.org", "amaraorg"), ("-4", "4"), ("...", "")],
)
def test_a_recognizer_token_is_one_key(token: str, key: str) -> None:
    assert word_key(token) == key


def test_search_alerts_and_guards_read_the_tricky_transcript_alike() -> None:
    tokens_as_emitted = TRICKY.split()
    # search and the guards key each emitted word the same way
    searched = [normalize_word(t) for t in tokens_as_emitted]
    guarded = [guards.normalize_word(t) for t in tokens_as_emitted]
    assert searched == guarded == ["don't10-4", "o'brien's", "fire", "at", "1050", "tis"]
    # a quoted search phrase is the transcript's words
    assert parse_query(f'"{TRICKY}"').phrases == (tuple(TRICKY_WORDS),)
    # alert keywords see the same words, compounds in parts
    assert list(tokens(TRICKY)) == [p for w in TRICKY_WORDS for p in w.split("-")]


def test_every_reader_finds_the_name_whichever_apostrophe_was_typed() -> None:
    emitted = ["Copy,", "O\u2019Brien\u2019s", "at", "Elm."]
    text = " ".join(emitted)
    for typed in ("O'Brien's", "o\u2019brien\u2019s"):
        # search: the pattern finds it in the text, and its start in the timed words
        query = parse_query(typed)
        assert re.search(query.patterns[0], text)
        assert phrase_start(emitted, [0.0, 0.5, 1.0, 1.5], query) == 0.5
        # alerts: a keyword hit on the second word
        found = match_group(WordIndex(words_from_text(text)), [Term.phrase(typed)], (), ())
        assert found is not None and [w["word_index"] for w in found.matched_words()] == [1]
    # guards: a phantom credit typed with either apostrophe is cut out
    timed = [
        WordTiming(f" {w}", i * 0.3, i * 0.3 + 0.25, 0.9, math.log(0.9), 1)
        for i, w in enumerate("Engine 7 clear. Don\u2019t forget to subscribe".split())
    ]
    kept, flags = guards.apply_guards(timed, speech_s=3.0, no_speech_prob=0.1)
    assert guards.PHANTOM_PHRASE in flags
    assert [w.word.strip() for w in kept] == ["Engine", "7", "clear."]


def test_search_sql_reads_a_word_as_python_does() -> None:
    """``search_words`` keys word rows in SQL; its key must be ``normalize_word``'s."""
    con = duckdb.connect()
    emitted = [*TRICKY.split(), " 10-4,", "-4", "'", "a--b", "Caf\u00e9"]
    sql = (
        f"SELECT array_to_string(regexp_extract_all({search._FOLDED_WORD}, "
        f"'{search._WORD_SQL}'), '') FROM (SELECT unnest(?) AS word)"
    )
    assert [r[0] for r in con.execute(sql, [emitted]).fetchall()] == [
        normalize_word(w) for w in emitted
    ]


def test_the_fts_index_never_loses_a_word() -> None:
    """DuckDB's fts index splits words more finely than ``words`` (at apostrophes too), so
    as search's first filter it keeps every document holding a query word."""
    docs = [TRICKY, "Engine 12 10-50 at Oak", "O\u2019Brien's rig, 10 50"]
    con = duckdb.connect()
    con.execute(f"LOAD '{extension_path('fts')}'")  # the lake's own build, never downloaded
    con.execute(
        "CREATE TABLE search_docs AS SELECT unnest(?) AS text, generate_subscripts(?, 1) AS doc_id",
        [docs, docs],
    )
    con.execute(BUILD_INDEX_SQL[1])  # the index search_fts queries, as it is configured
    for i, doc in enumerate(docs, start=1):
        for word in words(doc):
            found = con.execute(
                "SELECT doc_id FROM search_docs WHERE "
                "fts_main_search_docs.match_bm25(doc_id, ?, conjunctive := 1) IS NOT NULL",
                [word],
            ).fetchall()
            assert i in {r[0] for r in found}, (word, doc)
