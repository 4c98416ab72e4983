"""Call-date partitions: every layer is partitioned like ``raw_calls``, by the UTC day a
call started, so a backfill over a date range rebuilds the same slice in every table.

The range is ``resources.bounds``'s: from ``SCANLAKE_FIRST_CALL_DATE`` (2000-01-01) to
today plus the allowed recorder clock skew. A call outside it is quarantined as
``date_out_of_range`` before any run is requested for it.

It sits at the root of ``assets/`` because every layer, the jobs and the checks share it,
and it is Dagster wiring: ``lake.tables`` keeps the fact beneath it (tables are partitioned
by ``call_date``) and imports no dagster.
"""

import math

from dagster import DailyPartitionsDefinition

from resources.bounds import LIMITS

# end_offset=1 lets today's partition (still filling, micro-batch by micro-batch) exist;
# each further day of allowed clock skew adds one more: a recorder a few seconds fast at
# UTC midnight delivers "tomorrow", and its partition must already exist.
call_date_partitions = DailyPartitionsDefinition(
    start_date=LIMITS.first_call_date.isoformat(),
    timezone="UTC",
    end_offset=1 + math.ceil(LIMITS.max_clock_skew_s / 86400),
)
