"""Task results left behind: tasks of a stopped worker, and old finished results.

A worker that is killed (or loses its machine) in the middle of a task leaves the
task RUNNING for ever: `task_results_reap` queues such a task again once it has
been running longer than `GUICHET_WORKER_TASK_TIMEOUT_SECONDS`, or marks it FAILED
(`WorkerLost`) when it has had its attempts (its retry policy's, else
`GUICHET_WORKER_TASK_ATTEMPTS`). `task_results_prune` deletes finished results
after `GUICHET_TASK_RESULTS_KEEP_DAYS` (failed ones after
`GUICHET_TASK_FAILED_RESULTS_KEEP_DAYS`) with django-tasks-db's own pruning.
Both run as periodic tasks (`core/tasks.py`).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.prune_db_task_results import (
    Command as PruneCommand,
)
from django_tasks_db.models import DBTaskResult

from . import clock
from .retries import policy_for

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker running a task stopped before the task finished, too many times."""


@dataclass(frozen=True)
class Reaped:
    requeued: int
    failed: int


def _abandoned_message(result: DBTaskResult[..., Any], attempts: int) -> str:
    return (
        f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: the worker running this "
        f"task stopped before it finished, at each of its {attempts} attempts "
        f"(workers {', '.join(result.worker_ids)}).\n"
    )


def task_results_reap(
    *,
    now: dt.datetime | None = None,
    timeout: dt.timedelta | None = None,
    attempts: int | None = None,
) -> Reaped:
    """Queue again, or fail, the tasks RUNNING for longer than `timeout`."""
    now = now or clock.now()
    if timeout is None:
        timeout = dt.timedelta(seconds=settings.WORKER_TASK_TIMEOUT_SECONDS)
    default_attempts = attempts or settings.WORKER_TASK_ATTEMPTS
    requeued = failed = 0
    for result in DBTaskResult.objects.running().filter(started_at__lt=now - timeout):
        policy = policy_for(result.task_path)
        allowed = policy.attempts if policy is not None else default_attempts
        # Conditional on the row being as read: its worker may finish it meanwhile.
        same = DBTaskResult.objects.filter(
            id=result.id,
            status=TaskResultStatus.RUNNING,
            started_at=result.started_at,
        )
        if len(result.worker_ids) < allowed:
            if same.update(status=TaskResultStatus.READY):
                requeued += 1
                logger.warning(
                    "Task %s (%s) was abandoned by worker %s; queued again",
                    result.id,
                    result.task_path,
                    result.worker_ids[-1] if result.worker_ids else "?",
                )
        elif same.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=_abandoned_message(result, len(result.worker_ids)),
        ):
            failed += 1
            logger.error(
                "Task %s (%s) was abandoned by its worker at each of its %d attempts;"
                " marked failed",
                result.id,
                result.task_path,
                len(result.worker_ids),
            )
    return Reaped(requeued=requeued, failed=failed)


def task_results_prune() -> None:
    """Delete old finished results of every database task backend."""
    for alias in settings.TASKS:
        backend = task_backends[alias]
        if not isinstance(backend, DatabaseBackend):
            continue
        PruneCommand().handle(
            verbosity=1,
            backend=backend,
            min_age_days=settings.TASK_RESULTS_KEEP_DAYS,
            failed_min_age_days=settings.TASK_FAILED_RESULTS_KEEP_DAYS,
            queue_name="*",
            dry_run=False,
        )
