import dataclasses
import datetime as dt

import pyarrow as pa

from lake import delta
from lake import duckdb as lake_duckdb
from lake.tables import RAW_CALLS, TABLES, TRANSCRIPT_WORDS, TRANSCRIPTS
from tests.lake.rows import NOW, raw_calls


def transcripts(n: int) -> pa.Table:
    rows = [
        dict(
            call_uid=f"sys-1-{i}",
            call_date=dt.date(2026, 11, 2),
            model_id="tiny.en",
            text="copy",
            transcribed_at=NOW,
        )
        for i in range(n)
    ]
    return pa.Table.from_pylist(rows, schema=TRANSCRIPTS.schema)


def test_extensions_load_from_package_files_without_network(lake):
    con = lake_duckdb.connect(lake)
    loaded = dict(con.execute("SELECT extension_name, loaded FROM duckdb_extensions()").fetchall())
    assert all(loaded[name] for name in lake_duckdb.EXTENSIONS)
    for name in lake_duckdb.EXTENSIONS:
        assert "site-packages" in str(lake_duckdb.extension_path(name))


def test_every_table_is_a_view_even_before_it_exists(lake):
    delta.merge(lake, RAW_CALLS, raw_calls(4))
    con = lake_duckdb.connect(lake)
    views = {
        r[0]
        for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    }
    assert set(TABLES) <= views
    assert con.execute("SELECT count(*) FROM raw_calls WHERE talkgroup > ?", [101]).fetchone() == (
        2,
    )
    assert con.execute("SELECT count(*) FROM transcripts").fetchone() == (0,)


def test_views_read_a_pinned_read_only_snapshot_until_refreshed(lake):
    delta.merge(lake, RAW_CALLS, raw_calls(4))
    con = lake_duckdb.connect(lake)
    assert con.execute("SELECT count(*) FROM raw_calls").fetchone() == (4,)
    delta.merge(lake, RAW_CALLS, raw_calls(8))
    assert con.execute("SELECT count(*) FROM raw_calls").fetchone() == (4,)
    lake_duckdb.refresh_views(con, lake)
    assert con.execute("SELECT count(*) FROM raw_calls").fetchone() == (8,)
    attached = dict(
        con.execute(
            "SELECT database_name, readonly FROM duckdb_databases() WHERE type = 'delta'"
        ).fetchall()
    )
    assert attached == {"delta_raw_calls": True}


def test_pinned_lake_repins_once_its_snapshots_are_max_age_old(lake):
    delta.merge(lake, RAW_CALLS, raw_calls(4))
    now = [100.0]
    pinned = lake_duckdb.PinnedLake(
        lake_duckdb.connect(lake), lake, max_age_s=5.0, clock=lambda: now[0]
    )
    # a snapshot is read on the table's first query after a (re)pin, and kept
    assert pinned.connection().execute("SELECT count(*) FROM raw_calls").fetchone() == (4,)
    delta.merge(lake, RAW_CALLS, raw_calls(6))
    delta.merge(lake, TRANSCRIPTS, transcripts(2))
    now[0] = 104.9
    con = pinned.connection()
    assert con.execute("SELECT count(*) FROM raw_calls").fetchone() == (4,)
    assert con.execute("SELECT count(*) FROM transcripts").fetchone() == (0,)
    now[0] = 105.0
    con = pinned.connection()
    assert con.execute("SELECT count(*) FROM raw_calls").fetchone() == (6,)
    # a table first written after the connection opened is read too
    assert con.execute("SELECT count(*) FROM transcripts").fetchone() == (2,)
    assert pinned.pinned_at == 105.0


def test_a_view_fills_a_registered_column_the_stored_table_lacks_until_a_merge_adds_it(lake):
    # transcript_words as written before unit_id was registered
    old = dataclasses.replace(
        TRANSCRIPT_WORDS,
        schema=TRANSCRIPT_WORDS.schema.remove(TRANSCRIPT_WORDS.schema.get_field_index("unit_id")),
    )
    word = dict(call_uid="c1", call_date=NOW.date(), model_id="m", word_index=0, word="engine")
    delta.merge(lake, old, pa.Table.from_pylist([word]))
    con = lake_duckdb.connect(lake, extensions=("delta",))
    sql = "SELECT word, unit_id FROM transcript_words ORDER BY word_index"
    assert con.execute(sql).fetchall() == [("engine", None)]
    assert con.execute("SELECT typeof(unit_id) FROM transcript_words").fetchone() == ("BIGINT",)

    delta.merge(lake, TRANSCRIPT_WORDS, pa.Table.from_pylist([word | {"word_index": 1, "unit_id": 7}]))
    lake_duckdb.refresh_views(con, lake)
    assert con.execute(sql).fetchall() == [("engine", None), ("engine", 7)]
