"""Background work of core: keep the task queue itself in order.

Declared periodic, so every `guichet worker` runs them without a cron job.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import reaper
from .schedule import periodic


@task()
def task_results_reap() -> dict[str, int]:
    """Queue again (or fail) the tasks a stopped worker left running."""
    reaped = reaper.task_results_reap()
    return {"requeued": reaped.requeued, "failed": reaped.failed}


@task()
def task_results_prune() -> None:
    """Delete finished task results older than their retention."""
    reaper.task_results_prune()


periodic(task_results_reap, every=dt.timedelta(minutes=1))
periodic(task_results_prune, every=dt.timedelta(days=1))
