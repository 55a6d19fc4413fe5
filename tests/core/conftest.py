"""Fixtures of core's tests: the database task backend, as `guichet worker` runs it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.core import running


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
    """Claim and run the ready tasks as the worker's loop does; return how many ran."""
    return running.run_ready
