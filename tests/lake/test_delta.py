import dataclasses
import datetime as dt

import pyarrow as pa
import pytest

from lake import delta
from lake.tables import RAW_CALLS, RAW_QUARANTINE, TABLES, conform
from tests.lake.rows import NOW, raw_calls

DAY1, DAY2 = dt.date(2026, 11, 2), dt.date(2026, 11, 3)


def test_every_table_declares_schema_key_and_partitions():
    for spec in TABLES.values():
        assert spec.key and set(spec.key) <= set(spec.columns)
        assert set(spec.partition_by) <= set(spec.columns)


def test_merge_twice_keeps_one_row_per_key(lake):
    first = delta.merge(lake, RAW_CALLS, raw_calls(5))
    again = delta.merge(lake, RAW_CALLS, raw_calls(5))
    assert (first.rows_inserted, again.rows_inserted) == (5, 0)
    assert delta.read(lake, RAW_CALLS).num_rows == 5


def test_merge_updates_matched_rows_unless_insert_only(lake):
    delta.merge(lake, RAW_CALLS, raw_calls(2))
    changed = raw_calls(2).set_column(6, "duration_s", pa.array([9.0, 9.0]))
    delta.merge(lake, RAW_CALLS, changed, update=False)
    assert delta.read(lake, RAW_CALLS)["duration_s"].to_pylist() == [3.5, 3.5]
    delta.merge(lake, RAW_CALLS, changed)
    assert delta.read(lake, RAW_CALLS)["duration_s"].to_pylist() == [9.0, 9.0]


def test_merge_source_with_duplicate_keys_keeps_last(lake):
    rows = pa.concat_tables(
        [raw_calls(1), raw_calls(1).set_column(6, "duration_s", pa.array([7.0]))]
    )
    delta.merge(lake, RAW_CALLS, rows)
    assert delta.read(lake, RAW_CALLS)["duration_s"].to_pylist() == [7.0]


def test_read_by_partition_and_keys(lake):
    delta.merge(
        lake, RAW_CALLS, pa.concat_tables([raw_calls(3, DAY1, "a"), raw_calls(2, DAY2, "b")])
    )
    assert delta.read(lake, RAW_CALLS, partitions={"call_date": [DAY2]}).num_rows == 2
    assert delta.keys(lake, RAW_CALLS, partitions={"call_date": ["2026-11-02"]}) == {
        ("a-0",),
        ("a-1",),
        ("a-2",),
    }


def test_overwrite_partitions_replaces_only_that_day(lake):
    delta.merge(
        lake, RAW_CALLS, pa.concat_tables([raw_calls(3, DAY1, "a"), raw_calls(2, DAY2, "b")])
    )
    delta.overwrite_partitions(lake, RAW_CALLS, raw_calls(1, DAY1, "c"), {"call_date": [DAY1]})
    days = delta.read(lake, RAW_CALLS)["call_uid"].to_pylist()
    assert sorted(days) == ["b-0", "b-1", "c-0"]


def test_overwrite_refuses_rows_outside_the_partitions(lake):
    with pytest.raises(ValueError, match="outside"):
        delta.overwrite_partitions(lake, RAW_CALLS, raw_calls(1, DAY2), {"call_date": [DAY1]})


def test_append_once_skips_a_retried_transaction(lake):
    rows = pa.Table.from_pylist([dict(source="s", source_ref="r", reason="x", quarantined_at=NOW)])
    assert not delta.append_once(lake, RAW_QUARANTINE, rows, "ingest", 7).skipped
    assert delta.append_once(lake, RAW_QUARANTINE, rows, "ingest", 7).skipped
    assert delta.append_once(lake, RAW_QUARANTINE, rows, "ingest", 6).skipped
    assert not delta.append_once(lake, RAW_QUARANTINE, rows, "ingest", 8).skipped
    assert delta.read(lake, RAW_QUARANTINE).num_rows == 2


def test_delete_where_keys(lake):
    delta.merge(lake, RAW_CALLS, raw_calls(3))
    assert delta.delete_where_keys(lake, RAW_CALLS, pa.table({"call_uid": ["sys-1-1"]})) == 1
    assert sorted(delta.read(lake, RAW_CALLS)["call_uid"].to_pylist()) == ["sys-1-0", "sys-1-2"]


def test_conform_rejects_missing_required_column_and_fills_nullable():
    with pytest.raises(ValueError, match="call_uid"):
        conform(raw_calls(1).drop_columns(["call_uid"]), RAW_CALLS)
    table = conform(raw_calls(1), RAW_CALLS)
    assert table.schema == RAW_CALLS.schema
    assert table["talkgroup_tag"].null_count == 1


def test_missing_table_reads_empty_with_schema(lake):
    assert delta.read(lake, RAW_CALLS).schema == RAW_CALLS.schema


def test_a_column_registered_later_reads_as_null_then_joins_on_merge(lake):
    old_schema = RAW_CALLS.schema.remove(RAW_CALLS.schema.get_field_index("duration_s"))
    older = dataclasses.replace(RAW_CALLS, schema=old_schema)
    delta.merge(lake, older, raw_calls(2).drop_columns(["duration_s"]))
    assert delta.read(lake, RAW_CALLS, ["call_uid", "duration_s"])["duration_s"].to_pylist() == [
        None,
        None,
    ]
    delta.merge(lake, RAW_CALLS, raw_calls(3))
    assert sorted(delta.read(lake, RAW_CALLS)["duration_s"].to_pylist()) == [3.5, 3.5, 3.5]


def test_a_column_registered_later_joins_on_append_once(lake):
    # alert_deliveries gained `notice`: a claim appended to a log written before must not fail
    old_schema = RAW_CALLS.schema.remove(RAW_CALLS.schema.get_field_index("duration_s"))
    older = dataclasses.replace(RAW_CALLS, schema=old_schema)
    delta.merge(lake, older, raw_calls(2).drop_columns(["duration_s"]))
    assert not delta.append_once(lake, RAW_CALLS, raw_calls(3).slice(2), "later", 1).skipped
    assert sorted(delta.read(lake, RAW_CALLS)["duration_s"].to_pylist(), key=str) == [
        3.5,
        None,
        None,
    ]
