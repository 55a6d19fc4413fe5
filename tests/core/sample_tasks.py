"""Tasks for the worker's tests: module-level, so a worker process can import them."""

from __future__ import annotations

import datetime as dt
import time

from django_tasks import TaskContext, task

from guichet.core.retries import TransientError, retrying


@task()
def echo(value: str) -> str:
    return value


@retrying(attempts=3, backoff=dt.timedelta(milliseconds=50))
@task(takes_context=True)
def flaky(context: TaskContext, succeed_at: int) -> int:
    """Fails with a transient error until attempt `succeed_at`; returns the attempt."""
    if context.attempt < succeed_at:
        raise TransientError(f"attempt {context.attempt} fails")
    return context.attempt


# The same with a backoff far longer than a test on a loaded machine takes, so that
# "not before its time" holds however slowly the test runs (the tests make each
# retry due by hand).
@retrying(attempts=3, backoff=dt.timedelta(minutes=10))
@task(takes_context=True)
def patient(context: TaskContext, succeed_at: int) -> int:
    """Fails with a transient error until attempt `succeed_at`; returns the attempt."""
    if context.attempt < succeed_at:
        raise TransientError(f"attempt {context.attempt} fails")
    return context.attempt


@retrying(attempts=3)
@task()
def broken() -> None:
    """Fails with an error that no retry can mend."""
    raise ValueError("not transient")


@task()
def sleepy(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@task()
def interrupted() -> None:
    """What the worker's signal handler does to a task on a forced stop."""
    raise SystemExit(1)
