"""Retries of background tasks: a failure that may pass is tried again later.

A task declares how it is retried, above its `@task`:

    @retrying(attempts=5, backoff=dt.timedelta(minutes=1))
    @task(queue_name="mail")
    def send_letter_email(dispatch_id: str) -> str: ...

When an attempt raises one of `on` (by default `TransientError`), `guichet worker`
puts the same task result back in its queue, due `backoff * 2 ** (attempt - 1)`
later (at most `max_backoff`), until the task has had `attempts` attempts; the last
failure stays FAILED with its exception and traceback, as any other failure. While
a retry waits, the row keeps the last attempt's exception and traceback. Any other
exception fails the task at once. The attempt count is the number of workers that
claimed the row (`TaskResult.attempts`), so a run the reaper queued again after a
crash counts as an attempt too. Tasks are idempotent (STYLE.md §3), so a retry
does no harm. The immediate backend of the tests runs a task once, without retries.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.module_loading import import_string

from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

TaskT = TypeVar("TaskT", bound=Task[Any, Any])


class TransientError(Exception):
    """A failure that may pass on its own (a mail server that does not answer)."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often, and how long apart, a task is tried."""

    attempts: int
    backoff: dt.timedelta
    max_backoff: dt.timedelta
    on: tuple[type[BaseException], ...]

    def delay(self, attempt: int) -> dt.timedelta:
        """The wait after failed attempt number `attempt` (1 for the first)."""
        seconds = self.backoff.total_seconds() * 2.0 ** min(attempt - 1, 64)
        return dt.timedelta(seconds=min(seconds, self.max_backoff.total_seconds()))

    def retries(self, *, attempt: int, error: type[BaseException]) -> bool:
        """Whether a task whose attempt `attempt` raised `error` is tried again."""
        return attempt < self.attempts and issubclass(error, self.on)


RETRYING: dict[str, RetryPolicy] = {}


def retrying(
    *,
    attempts: int,
    backoff: dt.timedelta = dt.timedelta(seconds=30),
    max_backoff: dt.timedelta = dt.timedelta(hours=1),
    on: tuple[type[BaseException], ...] = (TransientError,),
) -> Callable[[TaskT], TaskT]:
    """Declare how the task below is retried; returns the task unchanged."""
    if attempts < 1:
        raise ValueError("a task has at least one attempt")
    if backoff <= dt.timedelta(0) or max_backoff < backoff:
        raise ValueError("the backoff is positive and at most max_backoff")
    policy = RetryPolicy(
        attempts=attempts, backoff=backoff, max_backoff=max_backoff, on=on
    )

    def declare(task: TaskT) -> TaskT:
        RETRYING[task.module_path] = policy
        return task

    return declare


def policy_for(task_path: str) -> RetryPolicy | None:
    return RETRYING.get(task_path)


def _exception_class(path: str) -> type[BaseException] | None:
    try:
        found: Any = import_string(path)
    except ImportError:
        return None
    if isinstance(found, type) and issubclass(found, BaseException):
        return found
    return None


def task_result_retry(
    result: DBTaskResult[..., Any], *, now: dt.datetime
) -> dt.datetime | None:
    """Queue a failed task result again if its task's policy says so.

    Returns when it will run again, or None when it stays failed.
    """
    policy = policy_for(result.task_path)
    if policy is None or result.status != TaskResultStatus.FAILED:
        return None
    error = _exception_class(result.exception_class_path)
    attempt = len(result.worker_ids)
    if error is None or not policy.retries(attempt=attempt, error=error):
        return None
    run_after = now + policy.delay(attempt)
    requeued = DBTaskResult.objects.filter(
        id=result.id, status=TaskResultStatus.FAILED
    ).update(status=TaskResultStatus.READY, run_after=run_after, finished_at=None)
    if not requeued:
        return None
    logger.warning(
        "Task %s (%s) failed at attempt %d of %d; tried again at %s",
        result.id,
        result.task_path,
        attempt,
        policy.attempts,
        run_after.isoformat(),
    )
    return run_after
