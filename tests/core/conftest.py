"""Fixtures of core's tests: the database task backend, as `guichet worker` runs it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guichet.core.worker import GuichetWorker


@pytest.fixture
def database_backend(settings: Any) -> None:
    """Tasks are stored (django-tasks-db), not run at once as in the other tests."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": settings.TASKS["default"]["QUEUES"],
        }
    }


@pytest.fixture
def run_ready(database_backend: None) -> Callable[..., int]:
    """Claim and run the ready tasks as the worker's loop does; return how many ran.

    The loop itself closes stale connections, which would end the test's
    transaction: this runs its steps without it.
    """
    from django_tasks_db.models import DBTaskResult

    worker = GuichetWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def run(*, worker_id: str = "test-worker") -> int:
        worker.worker_id = worker_id
        count = 0
        while (result := DBTaskResult.objects.ready().get_locked()) is not None:
            result.claim(worker_id)
            worker.run_task(result)
            count += 1
        return count

    return run
