"""Search through DuckDB's fts extension: an inverted index over a copy of the transcripts.

Kept beside the scan-based search so ``bench/query`` can compare them on one lake. The
index is a snapshot: it must be rebuilt to see transcripts written after it, which is the
cost the benchmark weighs against its query time. It indexes the effective text: a
corrected call's editor's words, not the machine's.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lake.queries.search import attach_hits
from lake.queries.search_query import parse_query
from lake.queries.window import Window

# The default ignore pattern drops digits; house numbers and 10-codes must stay searchable.
BUILD_INDEX_SQL = (
    """
CREATE OR REPLACE TABLE search_docs AS
SELECT call_uid || '|' || model_id AS doc_id, call_uid, call_date, model_id, text,
       transcribed_at, len(string_split(text, ' ')) AS n_words
FROM effective_transcripts
WHERE call_date BETWEEN $d0 AND $d1
""",
    """
PRAGMA create_fts_index('search_docs', 'doc_id', 'text', stemmer = 'none',
    stopwords = 'none', ignore = '(\\.|[^a-z0-9])+', overwrite = 1)
""",
)

FTS_SEARCH_SQL = r"""
WITH f AS (
    SELECT call_uid, call_date, model_id, text, transcribed_at,
           fts_main_search_docs.match_bm25(doc_id, $terms, conjunctive := 1) AS score
    FROM search_docs
), k AS (
    -- the index matches words; phrases are confirmed on the few documents it returns
    SELECT * FROM f
    WHERE score IS NOT NULL
      AND len(list_distinct(list_transform(regexp_extract_all(text, $any),
                                           m -> lower(regexp_replace(m, '\W+', ' ', 'g')))))
          = $n_phrases
    QUALIFY row_number() OVER (PARTITION BY call_uid ORDER BY transcribed_at DESC) = 1
), top AS (
    SELECT k.call_uid, k.call_date, c.start_time, c.system, c.talkgroup, c.talkgroup_tag,
           c.talkgroup_group AS agency, c.audio_key AS raw_audio_key, k.model_id, k.text, k.score
    FROM k JOIN raw_calls c ON c.call_uid = k.call_uid
    WHERE c.call_date BETWEEN $d0 AND $d1 AND c.start_time >= $since AND c.start_time < $until
    ORDER BY k.score DESC, c.start_time DESC
    LIMIT $limit
)
SELECT top.* EXCLUDE (raw_audio_key), coalesce(n.audio_key, top.raw_audio_key) AS audio_key
FROM top
LEFT JOIN normalized_audio n ON n.call_uid = top.call_uid AND n.call_date BETWEEN $d0 AND $d1
ORDER BY top.score DESC, top.start_time DESC
"""


def build_search_index(con: duckdb.DuckDBPyConnection, window: Window) -> int:
    """Copy the window's transcripts into a table and index it; returns the documents."""
    con.execute(BUILD_INDEX_SQL[0], window.days)
    con.execute(BUILD_INDEX_SQL[1])
    row = con.execute("SELECT count(*) FROM search_docs").fetchone()
    return int(row[0]) if row else 0


def search_fts(
    con: duckdb.DuckDBPyConnection, text: str, window: Window, limit: int = 50
) -> pd.DataFrame:
    """``search_calls`` answered from the fts index built by ``build_search_index``."""
    query = parse_query(text)
    params = window.params | {
        "terms": " ".join(query.terms),
        "any": query.any_pattern,
        "n_phrases": len(query.phrases),
        "limit": limit,
    }
    return attach_hits(con, con.execute(FTS_SEARCH_SQL, params).df(), query)
