"""Run tags that say which lane a run belongs to. The live lane (the sensors'
micro-batches) runs one at a time and, when a resident worker is up, in that worker
(``orchestration.launcher``); backfills run in their own processes. Shared by every layer
(the ASR queue tag) and by ``orchestration/`` (jobs, launcher, Celery), so it sits at the
root of ``assets/``."""

LANE_TAG = "scanlake/lane"
LIVE_LANE = "live"
BATCH_TAG = "scanlake/batch"
# The job the sensors request: every layer from raw_calls down (orchestration/jobs.py).
LIVE_JOB = "live"
# Celery queues (dagster-celery routes a step by this op tag): transcription needs the ASR
# model and, in production, a GPU, so it has its own queue; every other step goes to the
# default queue.
QUEUE_TAG = "dagster-celery/queue"
ASR_QUEUE = "asr"
DEFAULT_QUEUE = "default"
