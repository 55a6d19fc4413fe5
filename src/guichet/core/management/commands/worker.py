"""`guichet worker`: run background tasks and enqueue the periodic ones."""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils.crypto import get_random_string
from django.utils.module_loading import autodiscover_modules

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend

from guichet.core.commands import GuichetCommand, UsageError
from guichet.core.schedule import PERIODIC
from guichet.core.worker import Companion, GuichetWorker

logger = logging.getLogger("guichet.core.worker")


class Command(GuichetCommand):
    help = (
        "Run queued background tasks (every queue by default) and enqueue the periodic "
        "ones when they are due. Stop with SIGTERM or Ctrl+C: the current task finishes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            metavar="NAME",
            help="Run only this queue's tasks (repeatable). Default: every queue.",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="schedule",
            help="Do not enqueue periodic tasks (another worker does).",
        )
        parser.add_argument(
            "--exit-with-parent",
            nargs="?",
            type=int,
            const=0,
            metavar="PID",
            help="Stop (after the current task) when the process that started this one "
            "ends. Give the parent's PID to be sure to notice it ending during start-up.",
        )
        parser.add_argument(
            "--worker-id",
            default="",
            help="Name of this worker in task results; unique among running workers. "
            "Default: host, process id and a random suffix.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise UsageError(
                "guichet worker runs tasks of the database backend; TASKS['default'] "
                f"is {type(backend).__name__}."
            )
        known = sorted(backend.queues)
        queues = options["queues"] or known
        unknown = sorted(set(queues) - set(known)) if known else []
        if unknown:
            raise UsageError(
                f"unknown queue(s) {', '.join(unknown)}; known: {', '.join(known)}"
            )
        # Each app declares its tasks, periodic ones and retry policies in `tasks.py`.
        autodiscover_modules("tasks")
        worker_id = options["worker_id"] or (
            f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"
        )
        if options["verbosity"] == 0:
            for name in ("django_tasks", "django_tasks_db", "guichet.core"):
                logging.getLogger(name).setLevel(logging.WARNING)
        worker = GuichetWorker(
            queue_names=queues or ["*"],
            interval=settings.WORKER_POLL_SECONDS,
            batch=False,
            backend_name=backend.alias,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        companion = Companion(
            tick=settings.WORKER_TICK_SECONDS,
            schedule=options["schedule"],
            parent=_parent(options["exit_with_parent"]),
        )
        logger.info(
            "Worker %s runs queues %s%s",
            worker_id,
            ", ".join(queues) or "*",
            f"; periodic tasks: {', '.join(sorted(PERIODIC))}"
            if options["schedule"]
            else "; no scheduler",
        )
        worker.configure_signals()
        companion.start()
        try:
            worker.run()
        finally:
            # Also after the SystemExit that the worker's signal handler raises.
            companion.stop()
            worker.reset_signals()
            logger.info("Worker %s stopped", worker_id)


def _parent(given: int | None) -> int | None:
    """The process whose end stops the worker: None (no watch), or a PID."""
    if given is None:
        return None
    return given or os.getppid()
