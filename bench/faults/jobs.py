"""A live job of ``raw_calls`` alone, for the resident-worker fault trials: the worker
executes it as it executes scanlake's live job, without the ASR and NLP layers behind it.
The lake comes from ``SCANLAKE_LAKE_URI`` and the standard AWS variables."""

import dagster as dg

from assets.lanes import LANE_TAG, LIVE_LANE
from assets.raw.assets import raw_calls
from lake.location import LakeLocation
from resources.lake import LakeResource
from resources.trunk_recorder.resource import TrunkRecorderSource

FAULTS_JOB = "faults_raw_calls"


def _lake() -> LakeResource:
    return LakeResource.for_location(LakeLocation.from_env())


defs = dg.Definitions(
    assets=[raw_calls],
    jobs=[
        dg.define_asset_job(
            FAULTS_JOB, selection=[raw_calls], executor_def=dg.in_process_executor, tags={LANE_TAG: LIVE_LANE}
        )
    ],
    resources={"lake": _lake(), "trunk_recorder": TrunkRecorderSource(capture_dirs=[])},
)


def raw_calls_job() -> dg.JobDefinition:
    return defs.resolve_job_def(FAULTS_JOB)
