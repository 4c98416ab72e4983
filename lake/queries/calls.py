"""Queries about calls: the live list, the map, and one call in detail.

A call's transcript is its newest one (the latest ``transcribed_at`` over all models), so a
re-transcription backfill shows up without a setting; ``call_transcripts`` lists them all.
Its incident type is the first INCIDENT_TYPE entity in its transcript.

Each windowed query first picks its calls into the CTE ``c``; the other tables are then read
only on the window's ``call_date`` partitions and only for those calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from lake.queries.aliases import beside, name_frame, name_rows, talkgroup_names
from lake.queries.window import Window

LATEST_CALLS_SQL = """
WITH c AS (
    SELECT call_uid, call_date, start_time, system, talkgroup, talkgroup_tag,
           talkgroup_group AS agency, duration_s, emergency, units, audio_key AS raw_audio_key
    FROM raw_calls
    WHERE call_date BETWEEN $d0 AND $d1 AND start_time >= $since AND start_time < $until
      AND ($talkgroups IS NULL OR list_contains($talkgroups, talkgroup))
      AND ($agencies IS NULL OR list_contains($agencies, talkgroup_group))
    ORDER BY start_time DESC
    LIMIT $limit
), t AS (
    -- one whole row per call, the newest; a tie on transcribed_at (two models of one batch)
    -- goes to the model id, so the fields never mix rows and compaction changes nothing
    SELECT call_uid, model_id, text AS transcript, confidence, flags
    FROM effective_transcripts
    WHERE call_date BETWEEN $d0 AND $d1 AND call_uid IN (SELECT call_uid FROM c)
    QUALIFY row_number() OVER (PARTITION BY call_uid ORDER BY transcribed_at DESC, model_id DESC) = 1
), i AS (
    SELECT call_uid, arg_min(coalesce(normalized, text), start_char) AS incident_type
    FROM entities
    WHERE call_date BETWEEN $d0 AND $d1 AND label = 'INCIDENT_TYPE'
      AND call_uid IN (SELECT call_uid FROM c)
    GROUP BY call_uid
), a AS (
    SELECT call_uid, audio_key FROM normalized_audio
    WHERE call_date BETWEEN $d0 AND $d1 AND call_uid IN (SELECT call_uid FROM c)
)
SELECT c.call_uid, c.call_date, c.start_time, c.system, c.talkgroup, c.talkgroup_tag, c.agency,
       c.duration_s, c.emergency,
       coalesce(list_transform(c.units, u -> coalesce(u.tag, u.unit_id::VARCHAR)), []::VARCHAR[]) AS units,
       coalesce(list_transform(c.units, u -> u.unit_id), []::BIGINT[]) AS unit_ids,
       coalesce(list_transform(c.units, u -> u.tag), []::VARCHAR[]) AS unit_tags,
       t.transcript, t.model_id, t.confidence, t.flags, i.incident_type,
       coalesce(a.audio_key, c.raw_audio_key) AS audio_key
FROM c LEFT JOIN t USING (call_uid) LEFT JOIN i USING (call_uid) LEFT JOIN a USING (call_uid)
ORDER BY c.start_time DESC
"""

MAP_POINTS_SQL = """
WITH l AS (
    SELECT entity_id, call_uid, lat, lon, query, precision
    FROM locations WHERE call_date BETWEEN $d0 AND $d1
), c AS (
    SELECT call_uid, call_date, start_time, system, talkgroup, talkgroup_tag,
           talkgroup_group AS agency
    FROM raw_calls
    WHERE call_date BETWEEN $d0 AND $d1 AND start_time >= $since AND start_time < $until
      AND ($talkgroups IS NULL OR list_contains($talkgroups, talkgroup))
      AND ($agencies IS NULL OR list_contains($agencies, talkgroup_group))
      AND call_uid IN (SELECT call_uid FROM l)
), i AS (
    SELECT call_uid, arg_min(coalesce(normalized, text), start_char) AS incident_type
    FROM entities
    WHERE call_date BETWEEN $d0 AND $d1 AND label = 'INCIDENT_TYPE'
      AND call_uid IN (SELECT call_uid FROM c)
    GROUP BY call_uid
), g AS (
    SELECT call_uid, incident_id FROM call_incidents
    WHERE call_date BETWEEN $d0 AND $d1 AND call_uid IN (SELECT call_uid FROM c)
), p AS (
    -- the points first: transcripts (the widest column) are read for these calls only
    SELECT l.entity_id, c.call_uid, c.call_date, c.start_time, c.system, c.talkgroup, c.talkgroup_tag,
           c.agency, i.incident_type, g.incident_id, l.lat, l.lon, l.query AS place, l.precision
    FROM c JOIN l USING (call_uid) LEFT JOIN i USING (call_uid) LEFT JOIN g USING (call_uid)
    WHERE $incident_types IS NULL OR list_contains($incident_types, i.incident_type)
    ORDER BY c.start_time DESC
    LIMIT $limit
), t AS (
    SELECT call_uid, arg_max(text, transcribed_at) AS transcript
    FROM effective_transcripts
    WHERE call_date BETWEEN $d0 AND $d1 AND call_uid IN (SELECT call_uid FROM p)
    GROUP BY call_uid
)
SELECT p.*, left(t.transcript, 160) AS snippet
FROM p LEFT JOIN t USING (call_uid)
ORDER BY p.start_time DESC, p.entity_id
"""

FILTER_OPTIONS_SQL = """
WITH c AS (
    SELECT call_uid, system, talkgroup, talkgroup_tag, talkgroup_group
    FROM raw_calls
    WHERE call_date BETWEEN $d0 AND $d1 AND start_time >= $since AND start_time < $until
)
SELECT 'talkgroup' AS kind, talkgroup::VARCHAR AS value, any_value(talkgroup_tag) AS label,
       count(*) AS calls, list(DISTINCT system ORDER BY system) AS systems
FROM c GROUP BY talkgroup
UNION ALL
SELECT 'agency', talkgroup_group, talkgroup_group, count(*), NULL
FROM c WHERE talkgroup_group IS NOT NULL GROUP BY talkgroup_group
UNION ALL
SELECT 'incident_type', coalesce(normalized, text), coalesce(normalized, text),
       count(DISTINCT call_uid), NULL
FROM entities
WHERE call_date BETWEEN $d0 AND $d1 AND label = 'INCIDENT_TYPE'
  AND call_uid IN (SELECT call_uid FROM c)
GROUP BY 2
ORDER BY kind, calls DESC, value
"""

LAKE_SPAN_SQL = """
SELECT min(start_time) AS first_call, max(start_time) AS last_call, count(*) AS calls
FROM raw_calls
"""

# Without its date a call costs one scan of the call_uid column; links carry the date.
CALL_DATE_SQL = "SELECT call_date FROM raw_calls WHERE call_uid = $call_uid LIMIT 1"

CALL_DETAIL_SQL = """
SELECT c.call_uid, c.call_date, c.start_time, c.stop_time, c.system, c.talkgroup,
       c.talkgroup_tag, c.talkgroup_description, c.talkgroup_group AS agency, c.duration_s,
       c.freq_hz, c.emergency, c.encrypted, c.source, c.ingested_at,
       coalesce(list_transform(c.units, u -> coalesce(u.tag, u.unit_id::VARCHAR)), []::VARCHAR[]) AS units,
       coalesce(list_transform(c.units, u -> u.unit_id), []::BIGINT[]) AS unit_ids,
       coalesce(list_transform(c.units, u -> u.tag), []::VARCHAR[]) AS unit_tags,
       c.audio_key AS raw_audio_key, n.audio_key AS normalized_audio_key,
       coalesce(n.audio_key, c.audio_key) AS audio_key, n.tier, n.snr_db, n.speech_ratio,
       coalesce(n.chain, []::VARCHAR[]) AS chain
FROM raw_calls c
LEFT JOIN normalized_audio n ON n.call_uid = c.call_uid AND n.call_date = $call_date
WHERE c.call_date = $call_date AND c.call_uid = $call_uid
"""

CALL_TRANSCRIPTS_SQL = """
SELECT model_id, model_version, text, confidence, avg_logprob, no_speech_prob, flags,
       transcribed_at
FROM transcripts
WHERE call_date = $call_date AND call_uid = $call_uid
ORDER BY transcribed_at DESC
"""

# Editors' versions of a call's text, newest first (``transcript_corrections``).
CALL_CORRECTIONS_SQL = """
SELECT version, text, editor, edited_at, note, base_version, base_model_id
FROM transcript_corrections
WHERE call_date = $call_date AND call_uid = $call_uid
ORDER BY version DESC
"""

CALL_WORDS_SQL = """
SELECT word_index, word, start_s, end_s, probability, unit_id
FROM transcript_words
WHERE call_date = $call_date AND call_uid = $call_uid AND model_id = $model_id
ORDER BY word_index
"""

CALL_ENTITIES_SQL = """
SELECT entity_id, model_id, label, text, normalized, start_char, end_char, start_s, end_s,
       confidence
FROM entities
WHERE call_date = $call_date AND call_uid = $call_uid
ORDER BY start_char NULLS LAST, label
"""

CALL_LOCATIONS_SQL = """
SELECT entity_id, query AS place, lat, lon, precision, backend, score, jurisdiction
FROM locations
WHERE call_date = $call_date AND call_uid = $call_uid
ORDER BY score DESC NULLS LAST
"""


def _listed(values: Sequence[object] | None) -> list[object] | None:
    """An empty filter means no filter, like an untouched multiselect."""
    return list(values) if values else None


def latest_calls(
    con: duckdb.DuckDBPyConnection,
    window: Window,
    limit: int = 50,
    talkgroups: Sequence[int] | None = None,
    agencies: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The newest calls in the window with units, transcript, incident type and audio key."""
    params = window.params | {
        "limit": limit,
        "talkgroups": _listed(talkgroups),
        "agencies": _listed(agencies),
    }
    return name_frame(con, con.execute(LATEST_CALLS_SQL, params).df())


def map_points(
    con: duckdb.DuckDBPyConnection,
    window: Window,
    talkgroups: Sequence[int] | None = None,
    incident_types: Sequence[str] | None = None,
    agencies: Sequence[str] | None = None,
    limit: int = 20_000,
) -> pd.DataFrame:
    """One row per geocoded place of a call in the window, with its transcript snippet and
    its incident (null when the call is in none)."""
    params = window.params | {
        "limit": limit,
        "talkgroups": _listed(talkgroups),
        "incident_types": _listed(incident_types),
        "agencies": _listed(agencies),
    }
    return name_frame(con, con.execute(MAP_POINTS_SQL, params).df())


def filter_options(con: duckdb.DuckDBPyConnection, window: Window) -> pd.DataFrame:
    """The talkgroups, agencies and incident types present in the window, busiest first
    (``kind``, ``value``, ``label``, ``calls``). A talkgroup's label is its name beside its
    id, "Fire Dispatch (1001)": the imported alias (of each system that has the id, joined
    with " / " when they differ), else the recorder's tag; the value stays the id."""
    options = con.execute(FILTER_OPTIONS_SQL, window.params).df()
    rows = options["kind"] == "talkgroup"
    found = [
        (int(tg), list(systems), tag if isinstance(tag, str) and tag else None)
        for tg, systems, tag in options.loc[rows, ["value", "systems", "label"]].itertuples(
            index=False
        )
    ]
    aliases = talkgroup_names(con, [(s, tg) for tg, systems, _ in found for s in systems])
    labels = []
    for tg, systems, tag in found:
        names = dict.fromkeys(aliases[(s, tg)] for s in systems if (s, tg) in aliases)
        labels.append(beside(" / ".join(names) or tag, tg))
    options.loc[rows, "label"] = labels
    return options.drop(columns=["systems"])


def lake_span(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """The first and last call start and the number of calls (for picking a window in a
    notebook over a lake of any age)."""
    return con.execute(LAKE_SPAN_SQL).df().iloc[0].to_dict()


def call_date_of(con: duckdb.DuckDBPyConnection, call_uid: str) -> dt.date | None:
    row = con.execute(CALL_DATE_SQL, {"call_uid": call_uid}).fetchone()
    return row[0] if row else None


def _one_call(
    con: duckdb.DuckDBPyConnection, call_uid: str, call_date: dt.date | None
) -> dict[str, object]:
    return {"call_uid": call_uid, "call_date": call_date or call_date_of(con, call_uid)}


def call_detail(
    con: duckdb.DuckDBPyConnection, call_uid: str, call_date: dt.date | None = None
) -> dict[str, object] | None:
    """One call's metadata and audio keys, or None when there is no such call. List
    columns (units, unit ids and tags, the audio chain) come back as Python lists; with
    ``talkgroup_name``, ``unit_names`` and ``unit_name_of`` (unit id -> "name (id)", for
    the transcript's words) from the imported aliases."""
    frame = con.execute(CALL_DETAIL_SQL, _one_call(con, call_uid, call_date)).df()
    if frame.empty:
        return None
    row = {
        k: v.tolist() if isinstance(v, np.ndarray) else v
        for k, v in frame.iloc[0].to_dict().items()
    }
    (named,) = name_rows(con, [row])
    return named


def unit_name(detail: dict[str, object], unit_id: object) -> str | None:
    """A word's unit as the Call page shows it: its name beside its id (a unit the
    call's srcList does not list, by its id alone)."""
    if unit_id is None or pd.isna(unit_id):  # type: ignore[call-overload]
        return None
    return detail["unit_name_of"].get(int(unit_id)) or beside(None, int(unit_id))  # type: ignore[union-attr, call-overload]


def call_transcripts(
    con: duckdb.DuckDBPyConnection, call_uid: str, call_date: dt.date | None = None
) -> pd.DataFrame:
    """Every model's transcript of a call, newest first."""
    return con.execute(CALL_TRANSCRIPTS_SQL, _one_call(con, call_uid, call_date)).df()


def call_corrections(
    con: duckdb.DuckDBPyConnection, call_uid: str, call_date: dt.date | None = None
) -> pd.DataFrame:
    """Every committed correction of a call's transcript, newest version first."""
    return con.execute(CALL_CORRECTIONS_SQL, _one_call(con, call_uid, call_date)).df()


def call_words(
    con: duckdb.DuckDBPyConnection,
    call_uid: str,
    model_id: str,
    call_date: dt.date | None = None,
) -> pd.DataFrame:
    """A transcript's words with their times in the call audio."""
    params = _one_call(con, call_uid, call_date) | {"model_id": model_id}
    return con.execute(CALL_WORDS_SQL, params).df()


def call_entities(
    con: duckdb.DuckDBPyConnection, call_uid: str, call_date: dt.date | None = None
) -> pd.DataFrame:
    """A call's entities from every model, in transcript order."""
    return con.execute(CALL_ENTITIES_SQL, _one_call(con, call_uid, call_date)).df()


def call_locations(
    con: duckdb.DuckDBPyConnection, call_uid: str, call_date: dt.date | None = None
) -> pd.DataFrame:
    """The geocoded places of a call, best score first."""
    return con.execute(CALL_LOCATIONS_SQL, _one_call(con, call_uid, call_date)).df()
