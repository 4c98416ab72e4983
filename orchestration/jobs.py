"""Jobs over the layers: the live pipeline the sensors trigger, and the partitioned
backfill job for rebuilding a date range."""

import dagster as dg

from assets.raw.partitions import call_date_partitions

pipeline_job = dg.define_asset_job(
    "pipeline",
    selection=dg.AssetSelection.assets("raw_calls").downstream(),
    partitions_def=call_date_partitions,
    description="Every layer for one call date: run it over a range in the UI to backfill.",
)

jobs = [pipeline_job]
