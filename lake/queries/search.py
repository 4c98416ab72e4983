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
        return [r"(?i)\b" + _body(phrase) + r"\b" for phrase in self.phrases]

    @property
    def lead_pattern(self) -> str:
        """The longest phrase's pattern: the most selective one to scan with first."""
        return max(zip(self.patterns, self.phrases, strict=True), key=lambda p: len(p[1]))[0]

    @property
    def any_pattern(self) -> str:
        """Any phrase, longest first, so a match names the phrase it belongs to."""
        ordered = sorted(self.phrases, key=len, reverse=True)
        return r"(?i)\b(?:" + "|".join(_body(phrase) for phrase in ordered) + r")\b"

    @property
    def terms(self) -> list[str]:
        return sorted({word for phrase in self.phrases for word in phrase})


def _body(phrase: tuple[str, ...]) -> str:
    return r"\W+".join(re.escape(word) for word in phrase)


def normalize_word(word: str) -> str:
    """A transcript word as search compares it: lower case, punctuation dropped."""
    return "".join(_TOKEN.findall(word.lower()))


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return n < len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def parse_query(text: str) -> SearchQuery:
    """Words and "quoted phrases" of a search box, each phrase as normalized words. A phrase
    inside a longer one is dropped: the longer one already requires it."""
    phrases: list[tuple[str, ...]] = []
    quoted = [tuple(_TOKEN.findall(q.lower()))[:MAX_WORDS_PER_PHRASE] for q in _QUOTED.findall(text)]
    words = [(w,) for w in _TOKEN.findall(_QUOTED.sub(" ", text).lower())]
    seen: set[str] = set()
    for phrase in quoted + words:
        # "10-50" and "10 50" are the same phrase to the patterns
        key = " ".join(re.split(r"\W+", " ".join(phrase)))
        if phrase and key not in seen:
            seen.add(key)
            phrases.append(phrase)
    phrases = [p for p in phrases if not any(_inside(p, other) for other in phrases)]
    if not phrases:
        raise EmptySearch(f"nothing to search for in {text!r}")
    return SearchQuery(tuple(phrases[:MAX_PHRASES]))


# A transcript matches when its matches of $any name $n_phrases distinct phrases; every
# pattern is a constant of the statement, so DuckDB compiles each regex once.
TEXT_SEARCH_SQL = r"""
WITH m AS (
    SELECT call_uid, call_date, model_id, text, transcribed_at,
           regexp_extract_all(text, $any) AS found
    FROM transcripts
    WHERE call_date BETWEEN $d0 AND $d1 AND regexp_matches(text, $lead)
), k AS (
    SELECT *, len(found) AS tf, len(string_split(text, ' ')) AS n_words
    FROM m
    -- one phrase: every match is it (and the lead scan already required one)
    WHERE $n_phrases = 1
       OR len(list_distinct(list_transform(found, f -> lower(regexp_replace(f, '\W+', ' ', 'g')))))
          = $n_phrases
    QUALIFY row_number() OVER (PARTITION BY call_uid ORDER BY transcribed_at DESC) = 1
), top AS (
    SELECT k.call_uid, k.call_date, c.start_time, c.talkgroup, c.talkgroup_tag,
           c.talkgroup_group AS agency, c.audio_key AS raw_audio_key, k.model_id, k.text,
           k.tf * 2.2 / (k.tf + 1.2 * (0.25 + 0.75 * k.n_words / 20.0)) AS score
    FROM k JOIN raw_calls c ON c.call_uid = k.call_uid
    WHERE c.call_date BETWEEN $d0 AND $d1 AND c.start_time >= $since AND c.start_time < $until
    ORDER BY score DESC, c.start_time DESC
    LIMIT $limit
)
SELECT top.* EXCLUDE (raw_audio_key), coalesce(n.audio_key, top.raw_audio_key) AS audio_key
FROM top
LEFT JOIN normalized_audio n ON n.call_uid = top.call_uid AND n.call_date BETWEEN $d0 AND $d1
ORDER BY top.score DESC, top.start_time DESC
"""

WORDS_SEARCH_SQL = """
WITH w AS (
    SELECT call_uid, call_date, model_id, word_index,
           lower(regexp_replace(word, '[^A-Za-z0-9''-]', '', 'g')) AS term
    FROM transcript_words
    WHERE call_date BETWEEN $d0 AND $d1 AND regexp_matches(word, $word_pattern)
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
    SELECT k.*, t.text, t.transcribed_at, len(string_split(t.text, ' ')) AS n_words
    FROM k JOIN transcripts t USING (call_uid, model_id)
    WHERE t.call_date BETWEEN $d0 AND $d1
    QUALIFY row_number() OVER (PARTITION BY k.call_uid ORDER BY t.transcribed_at DESC) = 1
), top AS (
    SELECT t.call_uid, t.call_date, c.start_time, c.talkgroup, c.talkgroup_tag,
           c.talkgroup_group AS agency, c.audio_key AS raw_audio_key, t.model_id, t.text,
           t.tf * 2.2 / (t.tf + 1.2 * (0.25 + 0.75 * t.n_words / 20.0)) AS score
    FROM t JOIN raw_calls c ON c.call_uid = t.call_uid
    WHERE c.call_date BETWEEN $d0 AND $d1 AND c.start_time >= $since AND c.start_time < $until
    ORDER BY score DESC, c.start_time DESC
    LIMIT $limit
)
SELECT top.* EXCLUDE (raw_audio_key), coalesce(n.audio_key, top.raw_audio_key) AS audio_key
FROM top
LEFT JOIN normalized_audio n ON n.call_uid = top.call_uid AND n.call_date BETWEEN $d0 AND $d1
ORDER BY top.score DESC, top.start_time DESC
"""

# Reads only the days between the hits' first and last call date.
HIT_WORDS_SQL = """
SELECT w.call_uid, w.word_index, w.word, w.start_s
FROM transcript_words w
JOIN (SELECT unnest($uids) AS call_uid, unnest($models) AS model_id) h USING (call_uid, model_id)
WHERE w.call_date BETWEEN $d0 AND $d1
ORDER BY w.call_uid, w.word_index
"""



def search_calls(
    con: duckdb.DuckDBPyConnection, text: str, window: Window, limit: int = 50
) -> pd.DataFrame:
    """Calls in the window whose transcript holds every phrase of ``text``, best first."""
    query = parse_query(text)
    params = window.params | {
        "any": query.any_pattern,
        "lead": query.lead_pattern,
        "n_phrases": len(query.phrases),
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
    """Add ``spans`` (character ranges to highlight) and ``hit_start_s`` (when the first
    phrase is spoken, from the transcript's words) to search results."""
    hits = hits.copy()
    compiled = [re.compile(p) for p in query.patterns]
    hits["spans"] = [highlight_spans(text, compiled) for text in hits["text"]]
    starts: dict[str, float | None] = {}
    if not hits.empty:
        days = pd.to_datetime(hits["call_date"])
        params = {"d0": days.min().date(), "d1": days.max().date()}
        words = con.execute(
            HIT_WORDS_SQL, params | {"uids": list(hits["call_uid"]), "models": list(hits["model_id"])}
        ).df()
        for call_uid, group in words.groupby("call_uid", sort=False):
            starts[str(call_uid)] = phrase_start(list(group["word"]), list(group["start_s"]), query)
    hits["hit_start_s"] = [starts.get(uid) for uid in hits["call_uid"]]
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
            if tuple(terms[i : i + n]) == phrase and pd.notna(starts[i]):
                return float(starts[i])
    return None
