from lake import delta
from lake import duckdb as lake_duckdb
from lake.tables import RAW_CALLS, TABLES
from tests.lake.rows import raw_calls


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
