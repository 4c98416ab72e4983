"""Scale-out on Dagster's Celery executor (dagster-celery), with Redis as broker and
result backend.

With ``SCANLAKE_CELERY_BROKER_URL`` set, the ``pipeline`` job (backfills) sends each step to
a Celery queue instead of a local process: transcription to ``asr`` (the workers holding the
ASR model, on GPUs in production), every other step to ``default``. Workers are started per
queue with ``scanlake celery-worker --queue asr|default`` (:mod:`orchestration.celery_worker`)
and keep their models loaded across tasks. Steps on several hosts need the PostgreSQL
instance (``dagster-postgres.yaml``) and the lake on S3, which every worker reaches.

Live micro-batches stay in one process on the resident worker: a Celery step costs a
broker round trip and the executor's one-second poll, which a run of a handful of calls
does not repay. ``SCANLAKE_CELERY_LIVE=true`` sends live steps to Celery too, for a run
host without the models (the ASR on GPU workers only).

Workers run one task at a time in their own process (pool ``solo``); more steps at once
means more workers. Never ``prefork``: delta-rs panics in a process forked after its
runtime started. Never ``threads``: Dagster steps in threads of one process deadlock on
the logging module's lock (a handler holding its lock writes the event to PostgreSQL,
whose pool logs), which the concurrency test hit with four threads.
"""

from __future__ import annotations

import os
from typing import Any

import dagster as dg
from dagster_celery import celery_executor
from dagster_celery.config import DEFAULT_CONFIG

from assets.lanes import DEFAULT_QUEUE

BROKER_ENV = "SCANLAKE_CELERY_BROKER_URL"
BACKEND_ENV = "SCANLAKE_CELERY_BACKEND_URL"
KEY_PREFIX_ENV = "SCANLAKE_CELERY_KEY_PREFIX"
LIVE_ENV = "SCANLAKE_CELERY_LIVE"
WARM_ENV = "SCANLAKE_CELERY_WARM"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
DEFAULT_KEY_PREFIX = "scanlake:"


def enabled() -> bool:
    return bool(os.environ.get(BROKER_ENV))


def live_enabled() -> bool:
    return enabled() and os.environ.get(LIVE_ENV, "").lower() in ("1", "true", "yes")


def broker_url() -> str:
    return os.environ.get(BROKER_ENV) or DEFAULT_BROKER


def backend_url() -> str:
    return os.environ.get(BACKEND_ENV) or broker_url()


def celery_settings() -> dict[str, Any]:
    """Celery settings the executor (which sends tasks) and the workers (which take them)
    must agree on. The key prefix keeps several scanlake deployments, or test runs, apart
    on one Redis."""
    prefix = os.environ.get(KEY_PREFIX_ENV) or DEFAULT_KEY_PREFIX
    return {
        "task_default_queue": DEFAULT_QUEUE,
        "worker_pool": "solo",
        "worker_prefetch_multiplier": 1,
        # A step is seconds to minutes of work: take one at a time, acknowledge it when
        # done, so a worker that dies mid-step gives it back to the queue.
        "task_acks_late": True,
        "broker_transport_options": {
            **DEFAULT_CONFIG["broker_transport_options"],
            "global_keyprefix": prefix,
            "visibility_timeout": 3600,
        },
        "result_backend_transport_options": {"global_keyprefix": prefix},
        "result_expires": 86400,
        "broker_connection_retry_on_startup": True,
    }


def _source(env: str, fallback: str) -> Any:
    # Set variables reach the executor as environment references, resolved in the run
    # process, so the UI shows where the broker came from and a password never sits in
    # the job's config.
    return {"env": env} if os.environ.get(env) else fallback


def executor() -> dg.ExecutorDefinition:
    return celery_executor.configured(
        {
            "broker": _source(BROKER_ENV, DEFAULT_BROKER),
            "backend": _source(BACKEND_ENV, broker_url()),
            "config_source": celery_settings(),
        },
        name="scanlake_celery",
    )
