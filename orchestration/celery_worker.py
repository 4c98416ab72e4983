"""The Celery app scanlake's workers run (``celery -A orchestration.celery_worker worker``,
which ``scanlake celery-worker`` starts): dagster-celery's step task, the broker and
settings of :mod:`orchestration.distributed`, and a warm-up that loads the models the
worker's queues need before it takes a task. Tasks then run in this process, so the models
stay loaded from one step to the next."""

from __future__ import annotations

import os
from typing import Any

from celery import signals
from celery.utils.log import get_task_logger
from dagster_celery.executor import CeleryExecutor
from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_task

from assets.lanes import ASR_QUEUE, DEFAULT_QUEUE
from orchestration import distributed

# Built the way dagster-celery's own worker CLI builds its app, from the same settings the
# executor sends with.
app = make_app(
    CeleryExecutor.for_cli(
        broker=distributed.broker_url(),
        backend=distributed.backend_url(),
        config_source=distributed.celery_settings(),
    ).app_args()
)
execute_plan = create_task(app)
_log = get_task_logger("scanlake.celery_worker")
# Solo runs each task in the worker's own process: no fork (delta-rs), no threads (Dagster
# steps in threads of one process deadlock on the logging lock).
_SAFE_POOL = "celery.concurrency.solo"


@signals.celeryd_after_setup.connect
def _check_pool_and_warm(sender: str, instance: Any, conf: Any, **_: Any) -> None:
    pool = getattr(instance.pool_cls, "__module__", str(instance.pool_cls))
    if pool != _SAFE_POOL:
        # Refuse to start rather than fail or hang every step. SystemExit, because Celery
        # logs and ignores an exception from a signal handler.
        raise SystemExit(f"scanlake workers need --pool solo, not {pool}")
    if os.environ.get(distributed.WARM_ENV) == "0":
        return
    queues = set(instance.app.amqp.queues.consume_from or ())
    from orchestration.warm import warm_up

    warm_up(_log.warning, asr=ASR_QUEUE in queues, nlp=DEFAULT_QUEUE in queues)
