"""`guichet worker`: django-tasks-db's worker, with retries, a scheduler and a
watch on its parent process.

The loop that claims and runs tasks is django-tasks-db's own `Worker` (one task at
a time; SIGTERM or SIGINT finish the current task, then stop; a second one stops
at once). `GuichetWorker` adds to it: a failed task whose retry policy allows
another attempt is queued again (`core.retries`), and so is a task cut short by a
forced stop. Beside the loop, a `Companion` thread ticks every
`GUICHET_WORKER_TICK_SECONDS`: it enqueues the periodic tasks that are due
(`core.scheduler`) and, when asked, stops the worker (with SIGTERM, so the current
task still finishes) once its parent process is gone.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection

from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from . import clock, scheduler
from .retries import task_result_retry

logger = logging.getLogger(__name__)


# What a task "raises" when the worker is stopped at once (a second Ctrl+C).
INTERRUPTIONS = frozenset({"builtins.SystemExit", "builtins.KeyboardInterrupt"})


class GuichetWorker(Worker):
    """django-tasks-db's worker; a failed attempt is retried when its policy says so.

    A task cut short by a forced stop did not fail: it is queued again at once, as
    the reaper would queue it had the worker been killed.
    """

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        super().run_task(db_task_result)
        if db_task_result.status != TaskResultStatus.FAILED:
            return
        if db_task_result.exception_class_path in INTERRUPTIONS:
            DBTaskResult.objects.filter(
                id=db_task_result.id, status=TaskResultStatus.FAILED
            ).update(status=TaskResultStatus.READY, finished_at=None)
            logger.warning(
                "Task %s (%s) was cut short by the worker's stop; queued again",
                db_task_result.id,
                db_task_result.task_path,
            )
            return
        task_result_retry(db_task_result, now=clock.now())


class Companion(threading.Thread):
    """The scheduler's ticks and the parent watch, in a thread beside the loop."""

    def __init__(
        self, *, tick: float, schedule: bool, parent: int | None = None
    ) -> None:
        super().__init__(name="guichet-worker-companion", daemon=True)
        self.tick = tick
        self.schedule = schedule
        self.parent = parent
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            if self.schedule:
                self._safely(scheduler.periodic_runs_sync)
            while not self.stopping.is_set():
                if self.parent is not None and os.getppid() != self.parent:
                    logger.warning(
                        "The worker's parent process %d is gone: stopping", self.parent
                    )
                    os.kill(os.getpid(), signal.SIGTERM)
                    return
                if self.schedule:
                    self._safely(scheduler.periodic_runs_enqueue_due)
                self.stopping.wait(self.tick)
        finally:
            connection.close()

    def _safely(self, step: Callable[[], object]) -> None:
        """Run one step; a failure (the database restarting) waits for the next tick."""
        close_old_connections()
        try:
            step()
        except Exception:
            logger.exception("The worker's scheduler failed; trying again")
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)
