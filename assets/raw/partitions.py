"""Call-date partitions: every layer is partitioned like ``raw_calls``, by the UTC day a
call started, so a backfill over a date range rebuilds the same slice in every table."""

from dagster import DailyPartitionsDefinition

# end_offset=1 lets today's partition (still filling, micro-batch by micro-batch) exist.
call_date_partitions = DailyPartitionsDefinition(
    start_date="2024-01-01", timezone="UTC", end_offset=1
)
