"""Full-text search over transcripts: phrases, ranking, highlights and the hit's audio time.

A query is words and "quoted phrases" (parsed in ``lake.queries.search_query``); a call
matches when every phrase occurs in one of its transcripts (any model; the newest matching
transcript represents the call). A corrected call is searched by its editor's text only (the
``effective_transcripts`` view of ``lake.duckdb``): highlights are spans of that text, and
its audio start comes from the machine's timed words only where they hold the same phrase
(a corrected word was never timed: the player starts at the beginning). Results are ranked
by a BM25-style score (term frequency saturated, normalized by transcript length) and then
by recency. Each hit carries the character spans to highlight and the start time of its
first phrase, from ``transcript_words``, for an audio player to start at.

Three ways to find the matches live here, because ``bench/query`` measures them at scale:
a regular-expression scan of ``transcripts.text`` (``search_calls``, what the app uses; see
bench/README.md for the numbers behind that choice), a scan of ``transcript_words``
(``search_words``; a corrected call's words are its editor's text split at spaces) and
DuckDB's fts index over the effective text (``lake.queries.search_index``). User text only
ever reaches DuckDB as parameter values: escaped patterns and lists of terms.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from lake.queries.aliases import name_frame
from lake.queries.search_query import (
    SearchQuery,
    escape_word,
    highlight_spans,
    parse_query,
    phrase_start,
)
from lake.queries.window import Window
from radiotext.words import TYPOGRAPHIC_APOSTROPHE, WORD

# The score: BM25's saturated term frequency (k1 = 1.2, b = 0.75) with the transcript's
# length in bytes (``strlen``, nearly free) against a typical 110-byte transcript (about 20
# words), rather than a word count, which costs a split of every matching text.
_SCORE = "tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * n_bytes / 110.0))"

# Ranks calls by their newest matching transcript, in three steps so that a common word
# (a match in nearly every call) costs one regex pass over the texts and little more:
# 1. m: every matching transcript's score. Occurrences are extracted (the costly regex
#    work) only where the DFA-only $repeat test says there is a second one, or where
#    several phrases must be told apart; elsewhere tf is 1. Every pattern is a constant of
#    the statement, so DuckDB compiles each regex once.
# 2. The pool: the calls of transcripts scoring at least the $pool-th best score (theta).
#    Only they are reduced to their newest matching transcript and joined to raw_calls for
#    the window and the recency tie-break; both cost as many rows as they get, which for a
#    common word was every transcript of the window.
# 3. The result is exact when its last score is at least theta (a call outside the pool
#    scores below theta), or when the pool held every match; otherwise the caller runs it
#    again with no pool. The one-row ``cut`` carries theta and the lowest score for that.
TEXT_SEARCH_SQL = rf"""
WITH m AS MATERIALIZED (
    SELECT call_uid, call_date, model_id, transcribed_at, text,
           {_SCORE} AS score
    FROM (
        SELECT call_uid, call_date, model_id, transcribed_at, text, strlen(text) AS n_bytes,
               coalesce(len(found), 1) AS tf, found
        FROM (
            SELECT call_uid, call_date, model_id, transcribed_at, text,
                   CASE WHEN $n_phrases > 1 OR regexp_matches(text, $repeat)
                        THEN regexp_extract_all(text, $any) END AS found
            FROM effective_transcripts
            WHERE call_date BETWEEN $d0 AND $d1 AND regexp_matches(text, $lead)
        )
    )
    -- several phrases: the matches must name all of them
    WHERE $n_phrases = 1
       OR len(list_distinct(list_transform(found, f -> lower(regexp_replace(f, '\W+', ' ', 'g')))))
          = $n_phrases
), cut AS (
    SELECT (SELECT min(score) FROM (SELECT score FROM m ORDER BY score DESC LIMIT $pool)) AS theta,
           (SELECT min(score) FROM m) AS lowest
), rep AS (
    -- a pooled call is represented by its newest matching transcript, whatever its score
    SELECT call_uid, arg_max(struct_pack(call_date, model_id, score, text), transcribed_at) AS t
    FROM m
    WHERE call_uid IN (SELECT call_uid FROM m WHERE score >= (SELECT theta FROM cut))
    GROUP BY call_uid
), top AS (
    SELECT r.call_uid, r.t.call_date AS call_date, c.start_time, c.system, c.talkgroup, c.talkgroup_tag,
           c.talkgroup_group AS agency, r.t.model_id AS model_id, r.t.text AS text,
           r.t.score AS score, c.audio_key AS raw_audio_key
    FROM rep r JOIN raw_calls c ON c.call_uid = r.call_uid
    WHERE c.call_date BETWEEN $d0 AND $d1 AND c.start_time >= $since AND c.start_time < $until
    ORDER BY score DESC, c.start_time DESC
    LIMIT $limit
)
SELECT top.* EXCLUDE (raw_audio_key), coalesce(n.audio_key, top.raw_audio_key) AS audio_key,
       cut.theta, cut.lowest
FROM cut
LEFT JOIN top ON true
LEFT JOIN normalized_audio n ON n.call_uid = top.call_uid AND n.call_date BETWEEN $d0 AND $d1
ORDER BY top.score DESC, top.start_time DESC
"""  # noqa: S608 - the one interpolation is the constant _SCORE

# A word row's term, as ``normalize_word`` reads it in Python (``radiotext.words``).
_FOLDED_WORD = f"replace(lower(word), '{TYPOGRAPHIC_APOSTROPHE}', '''')"
_WORD_SQL = WORD.replace("'", "''")

# A corrected call's words are its editor's text split where a recognizer splits words (at
# spaces), numbered in order: the machine's word rows belong to the text it replaced.
WORDS_SEARCH_SQL = f"""
WITH spoken AS (
    SELECT call_uid, call_date, model_id, word_index, word
    FROM transcript_words
    WHERE call_date BETWEEN $d0 AND $d1 AND regexp_matches(word, $word_pattern)
      AND call_uid NOT IN (SELECT call_uid FROM transcript_corrections
                           WHERE call_date BETWEEN $d0 AND $d1)
    UNION ALL
    SELECT * FROM (
        SELECT call_uid, call_date, model_id,
               unnest(range(len(tokens))) AS word_index, unnest(tokens) AS word
        FROM (
            SELECT call_uid, call_date, model_id, string_split_regex(trim(text), '\\s+') AS tokens
            FROM effective_transcripts
            WHERE call_date BETWEEN $d0 AND $d1 AND corrected
        )
    )
    WHERE regexp_matches(word, $word_pattern)
), w AS (
    SELECT call_uid, call_date, model_id, word_index,
           array_to_string(regexp_extract_all({_FOLDED_WORD}, '{_WORD_SQL}'), '') AS term
    FROM spoken
), s AS (
    -- each hit with the query words that follow it in the same transcript
    SELECT *, list(term) OVER ahead AS terms_ahead, list(word_index) OVER ahead AS index_ahead
    FROM w
    WINDOW ahead AS (PARTITION BY call_uid, model_id ORDER BY word_index
                     ROWS BETWEEN CURRENT ROW AND 7 FOLLOWING)
), p AS (
    SELECT unnest($phrases) AS terms, generate_subscripts($phrases, 1) AS phrase
), occ AS (
    -- a phrase starts at a hit when its words follow it with no other word between
    SELECT s.call_uid, s.call_date, s.model_id, p.phrase
    FROM s JOIN p ON s.term = p.terms[1]
    WHERE s.terms_ahead[1:len(p.terms)] = p.terms
      AND s.index_ahead[len(p.terms)] - s.word_index = len(p.terms) - 1
), k AS (
    SELECT call_uid, any_value(call_date) AS call_date, model_id, count(*) AS tf
    FROM occ
    GROUP BY call_uid, model_id
    HAVING count(DISTINCT phrase) = len($phrases)
), t AS (
    SELECT k.*, t.text, t.transcribed_at, strlen(t.text) AS n_bytes
    FROM k JOIN effective_transcripts t USING (call_uid, model_id)
    WHERE t.call_date BETWEEN $d0 AND $d1
    QUALIFY row_number() OVER (PARTITION BY k.call_uid ORDER BY t.transcribed_at DESC) = 1
), top AS (
    SELECT t.call_uid, t.call_date, c.start_time, c.system, c.talkgroup, c.talkgroup_tag,
           c.talkgroup_group AS agency, c.audio_key AS raw_audio_key, t.model_id, t.text,
           {_SCORE} AS score
    FROM t JOIN raw_calls c ON c.call_uid = t.call_uid
    WHERE c.call_date BETWEEN $d0 AND $d1 AND c.start_time >= $since AND c.start_time < $until
    ORDER BY score DESC, c.start_time DESC
    LIMIT $limit
)
SELECT top.* EXCLUDE (raw_audio_key), coalesce(n.audio_key, top.raw_audio_key) AS audio_key
FROM top
LEFT JOIN normalized_audio n ON n.call_uid = top.call_uid AND n.call_date BETWEEN $d0 AND $d1
ORDER BY top.score DESC, top.start_time DESC
"""  # noqa: S608 - the interpolations are the constants above

# Reads only the days the hits are on, and there only the row groups that can hold a hit
# (words are sorted by call_uid within a day); a join to the hits would scan every word.
# The range of days also prunes where the days are not partitions (one Parquet file).
# Words of a hit's other models are dropped afterwards.
HIT_WORDS_SQL = """
SELECT call_uid, model_id, word_index, word, start_s
FROM transcript_words
WHERE call_date BETWEEN $d0 AND $d1 AND list_contains($days, call_date)
  AND list_contains($uids, call_uid)
ORDER BY call_uid, model_id, word_index
"""


def search_calls(
    con: duckdb.DuckDBPyConnection, text: str, window: Window, limit: int = 50
) -> pd.DataFrame:
    """Calls in the window whose transcript holds every phrase of ``text``, best first."""
    query = parse_query(text)
    params = window.params | {
        "any": query.any_pattern,
        "lead": query.lead_pattern,
        "repeat": query.repeat_pattern,
        "n_phrases": len(query.phrases),
        "limit": limit,
    }
    ranked = con.execute(TEXT_SEARCH_SQL, params | {"pool": limit * POOL_PER_HIT}).df()
    if not _pool_was_enough(ranked, limit):
        ranked = con.execute(TEXT_SEARCH_SQL, params | {"pool": None}).df()
    hits = ranked.dropna(subset=["call_uid"]).drop(columns=["theta", "lowest"])
    hits = hits.reset_index(drop=True).astype({"talkgroup": "int64"})
    return attach_hits(con, hits, query)


# Pool size per requested hit: enough that the window's edges and superseded transcripts
# rarely leave fewer than ``limit`` pooled calls (a second, pool-less run then answers).
POOL_PER_HIT = 5


def _pool_was_enough(ranked: pd.DataFrame, limit: int) -> bool:
    theta, lowest = ranked["theta"].iloc[0], ranked["lowest"].iloc[0]
    if pd.isna(theta) or theta <= lowest:
        return True  # no match at all, or the pool held every match
    scores = ranked["score"].dropna()
    return bool(len(scores) == limit and scores.iloc[-1] >= theta)


def _days(hits: pd.DataFrame) -> list[object]:
    return sorted({pd.Timestamp(day).date() for day in hits["call_date"]})


def search_words(
    con: duckdb.DuckDBPyConnection, text: str, window: Window, limit: int = 50
) -> pd.DataFrame:
    """``search_calls`` answered from ``transcript_words`` instead of the transcript text
    (a corrected call: from its editor's words)."""
    query = parse_query(text)
    params = window.params | {
        "phrases": [list(p) for p in query.phrases],
        "word_pattern": r"(?i)^\W*(" + "|".join(escape_word(t) for t in query.terms) + r")\W*$",
        "limit": limit,
    }
    return attach_hits(con, con.execute(WORDS_SEARCH_SQL, params).df(), query)


def attach_hits(
    con: duckdb.DuckDBPyConnection, hits: pd.DataFrame, query: SearchQuery
) -> pd.DataFrame:
    """Add ``spans`` (character ranges to highlight), ``hit_start_s`` (when the first
    phrase is spoken, from the transcript's words) and ``talkgroup_name`` to search results."""
    hits = name_frame(con, hits)
    compiled = [re.compile(p) for p in query.patterns]
    hits["spans"] = [highlight_spans(text, compiled) for text in hits["text"]]
    starts: dict[str, float | None] = {}
    if not hits.empty:
        days = _days(hits)
        params = {"uids": list(hits["call_uid"]), "days": days, "d0": days[0], "d1": days[-1]}
        words = con.execute(HIT_WORDS_SQL, params).df()
        words = words.merge(hits[["call_uid", "model_id"]], on=["call_uid", "model_id"])
        for call_uid, group in words.groupby("call_uid", sort=False):
            starts[str(call_uid)] = phrase_start(list(group["word"]), list(group["start_s"]), query)
    hits["hit_start_s"] = [starts.get(uid) for uid in hits["call_uid"]]
    return hits
