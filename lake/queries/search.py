"""Full-text search over transcripts: phrases, ranking, highlights and the hit's audio time.

A query is words and "quoted phrases"; a call matches when every phrase occurs in one of
its transcripts (any model; the newest matching transcript represents the call). Results
are ranked by a BM25-style score (term frequency saturated, normalized by transcript length)
and then by recency. Each hit carries the character spans to highlight and the start time
of its first phrase, from ``transcript_words``, for an audio player to start at.

Three ways to find the matches live here, because ``bench/query`` measures them at scale:
a regular-expression scan of ``transcripts.text`` (``search_calls``, what the app uses; see
bench/README.md for the numbers behind that choice), a scan of ``transcript_words``
(``search_words``) and DuckDB's fts index (``lake.queries.search_index``). User text only
ever reaches DuckDB as parameter values: escaped patterns and lists of terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from lake.queries.window import Window

MAX_PHRASES = 8
MAX_WORDS_PER_PHRASE = 8
_TOKEN = re.compile(r"[a-z0-9'-]+")
_QUOTED = re.compile(r'"([^"]*)"')


class EmptySearch(ValueError):
    """The search text has no word to look for."""


@dataclass(frozen=True)
class SearchQuery:
    phrases: tuple[tuple[str, ...], ...]

    @property
    def patterns(self) -> list[str]:
        """One case-insensitive pattern per phrase, valid for both RE2 (DuckDB) and ``re``."""
        return [
            r"(?i)\b" + r"\W+".join(re.escape(word) for word in phrase) + r"\b"
            for phrase in self.phrases
        ]

    @property
    def lead_pattern(self) -> str:
        """The longest phrase's pattern: the most selective one to scan with first."""
        return max(zip(self.patterns, self.phrases, strict=True), key=lambda p: len(p[1]))[0]

    @property
    def terms(self) -> list[str]:
        return sorted({word for phrase in self.phrases for word in phrase})


def normalize_word(word: str) -> str:
    """A transcript word as search compares it: lower case, punctuation dropped."""
    return "".join(_TOKEN.findall(word.lower()))


def parse_query(text: str) -> SearchQuery:
    """Words and "quoted phrases" of a search box, each phrase as normalized words."""
    phrases: list[tuple[str, ...]] = []
    for quoted in _QUOTED.findall(text):
        words = tuple(_TOKEN.findall(quoted.lower()))[:MAX_WORDS_PER_PHRASE]
        if words:
            phrases.append(words)
    for word in _TOKEN.findall(_QUOTED.sub(" ", text).lower()):
        if (word,) not in phrases:
            phrases.append((word,))
    if not phrases:
        raise EmptySearch(f"nothing to search for in {text!r}")
    return SearchQuery(tuple(phrases[:MAX_PHRASES]))


TEXT_SEARCH_SQL = """
WITH m AS (
    SELECT call_uid, call_date, model_id, text, transcribed_at,
           list_transform($patterns, p -> len(regexp_extract_all(text, p))) AS tf,
           len(string_split(text, ' ')) AS n_words
    FROM transcripts
    WHERE call_date BETWEEN $d0 AND $d1 AND regexp_matches(text, $lead)
), k AS (
    SELECT * FROM m WHERE list_min(tf) > 0
    QUALIFY row_number() OVER (PARTITION BY call_uid ORDER BY transcribed_at DESC) = 1
)
SELECT k.call_uid, k.call_date, c.start_time, c.talkgroup, c.talkgroup_tag,
       c.talkgroup_group AS agency, c.audio_key AS raw_audio_key, k.model_id, k.text,
       list_sum(list_transform(k.tf, f -> f * 2.2 / (f + 1.2 * (0.25 + 0.75 * k.n_words / 20.0))))
           AS score
FROM k JOIN raw_calls c ON c.call_uid = k.call_uid
WHERE c.call_date BETWEEN $d0 AND $d1 AND c.start_time >= $since AND c.start_time < $until
ORDER BY score DESC, c.start_time DESC
LIMIT $limit
"""

WORDS_SEARCH_SQL = """
WITH w AS (
    SELECT call_uid, call_date, model_id, word_index, start_s,
           lower(regexp_replace(word, '[^A-Za-z0-9''-]', '', 'g')) AS term
    FROM transcript_words
    WHERE call_date BETWEEN $d0 AND $d1 AND regexp_matches(word, $word_pattern)
), p AS (
    SELECT unnest($phrases) AS terms, generate_subscripts($phrases, 1) AS phrase
), occ AS (
    -- a phrase occurs at a word when its next len(terms) - 1 hits are the phrase's words
    SELECT w.call_uid, w.call_date, w.model_id, p.phrase
    FROM w JOIN p ON w.term = p.terms[1]
    WHERE len(p.terms) = (
        SELECT count(*) FROM w AS x
        WHERE x.call_uid = w.call_uid AND x.model_id = w.model_id
          AND x.word_index BETWEEN w.word_index AND w.word_index + len(p.terms) - 1
          AND x.term = p.terms[x.word_index - w.word_index + 1]
    )
), k AS (
    SELECT call_uid, any_value(call_date) AS call_date, model_id,
           list(n ORDER BY phrase) AS tf
    FROM (SELECT call_uid, call_date, model_id, phrase, count(*) AS n FROM occ GROUP BY ALL)
    GROUP BY call_uid, model_id
    HAVING count(*) = len($phrases)
), t AS (
    SELECT k.*, t.text, t.transcribed_at, len(string_split(t.text, ' ')) AS n_words
    FROM k JOIN transcripts t USING (call_uid, model_id)
    WHERE t.call_date BETWEEN $d0 AND $d1
    QUALIFY row_number() OVER (PARTITION BY k.call_uid ORDER BY t.transcribed_at DESC) = 1
)
SELECT t.call_uid, t.call_date, c.start_time, c.talkgroup, c.talkgroup_tag,
       c.talkgroup_group AS agency, c.audio_key AS raw_audio_key, t.model_id, t.text,
       list_sum(list_transform(t.tf, f -> f * 2.2 / (f + 1.2 * (0.25 + 0.75 * t.n_words / 20.0))))
           AS score
FROM t JOIN raw_calls c ON c.call_uid = t.call_uid
WHERE c.call_date BETWEEN $d0 AND $d1 AND c.start_time >= $since AND c.start_time < $until
ORDER BY score DESC, c.start_time DESC
LIMIT $limit
"""

# Both read only the days between the hits' first and last call date.
HIT_WORDS_SQL = """
SELECT w.call_uid, w.word_index, w.word, w.start_s
FROM transcript_words w
JOIN (SELECT unnest($uids) AS call_uid, unnest($models) AS model_id) h USING (call_uid, model_id)
WHERE w.call_date BETWEEN $d0 AND $d1
ORDER BY w.call_uid, w.word_index
"""

HIT_AUDIO_SQL = """
SELECT call_uid, audio_key FROM normalized_audio
WHERE call_date BETWEEN $d0 AND $d1 AND list_contains($uids, call_uid)
"""


def search_calls(
    con: duckdb.DuckDBPyConnection, text: str, window: Window, limit: int = 50
) -> pd.DataFrame:
    """Calls in the window whose transcript holds every phrase of ``text``, best first."""
    query = parse_query(text)
    params = window.params | {
        "patterns": query.patterns,
        "lead": query.lead_pattern,
        "limit": limit,
    }
    return attach_hits(con, con.execute(TEXT_SEARCH_SQL, params).df(), query)


def search_words(
    con: duckdb.DuckDBPyConnection, text: str, window: Window, limit: int = 50
) -> pd.DataFrame:
    """``search_calls`` answered from ``transcript_words`` instead of the transcript text."""
    query = parse_query(text)
    params = window.params | {
        "phrases": [list(p) for p in query.phrases],
        "word_pattern": r"(?i)^\W*(" + "|".join(re.escape(t) for t in query.terms) + r")\W*$",
        "limit": limit,
    }
    return attach_hits(con, con.execute(WORDS_SEARCH_SQL, params).df(), query)


def attach_hits(con: duckdb.DuckDBPyConnection, hits: pd.DataFrame, query: SearchQuery) -> pd.DataFrame:
    """Add ``spans`` (character ranges to highlight), ``hit_start_s`` (when the first phrase
    is spoken, from the transcript's words) and ``audio_key`` (normalized audio when there
    is some, else raw) to search results."""
    hits = hits.copy()
    compiled = [re.compile(p) for p in query.patterns]
    hits["spans"] = [highlight_spans(text, compiled) for text in hits["text"]]
    starts: dict[str, float | None] = {}
    normalized: dict[str, str] = {}
    if not hits.empty:
        days = pd.to_datetime(hits["call_date"])
        params = {"d0": days.min().date(), "d1": days.max().date(), "uids": list(hits["call_uid"])}
        words = con.execute(HIT_WORDS_SQL, params | {"models": list(hits["model_id"])}).df()
        for call_uid, group in words.groupby("call_uid", sort=False):
            starts[str(call_uid)] = phrase_start(list(group["word"]), list(group["start_s"]), query)
        audio = con.execute(HIT_AUDIO_SQL, params).fetchall()
        normalized = {str(uid): str(key) for uid, key in audio}
    hits["hit_start_s"] = [starts.get(uid) for uid in hits["call_uid"]]
    hits["audio_key"] = [
        normalized.get(uid, raw) for uid, raw in zip(hits["call_uid"], hits["raw_audio_key"], strict=True)
    ]
    return hits


def highlight_spans(text: str, patterns: list[re.Pattern[str]]) -> list[tuple[int, int]]:
    """Merged, sorted character spans of every phrase occurrence in ``text``."""
    spans = sorted(m.span() for p in patterns for m in p.finditer(text))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def phrase_start(words: list[str], starts: list[float | None], query: SearchQuery) -> float | None:
    """When the query's first phrase is first spoken, from a transcript's timed words."""
    terms = [normalize_word(w) for w in words]
    for phrase in query.phrases:
        n = len(phrase)
        for i in range(len(terms) - n + 1):
            if tuple(terms[i : i + n]) == phrase and starts[i] is not None:
                return float(starts[i])
    return None
