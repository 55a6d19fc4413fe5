"""Retries: a transient failure is tried again later, then left failed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult
from hypothesis import given
from hypothesis import strategies as st

from guichet.core.retries import (
    RETRYING,
    RetryPolicy,
    TransientError,
    retrying,
    task_result_retry,
)
from tests.core import sample_tasks

SECOND = dt.timedelta(seconds=1)


def _policy(**changes: object) -> RetryPolicy:
    fields: dict[str, object] = {
        "attempts": 5,
        "backoff": 30 * SECOND,
        "max_backoff": dt.timedelta(minutes=5),
        "on": (TransientError,),
    }
    fields.update(changes)
    return RetryPolicy(**fields)  # type: ignore[arg-type]


def test_the_wait_doubles_after_each_attempt_up_to_the_cap() -> None:
    policy = _policy()
    assert [policy.delay(attempt) for attempt in range(1, 7)] == [
        30 * SECOND,
        60 * SECOND,
        120 * SECOND,
        240 * SECOND,
        300 * SECOND,
        300 * SECOND,
    ]


@given(attempt=st.integers(min_value=1, max_value=10_000))
def test_the_wait_never_exceeds_the_cap_nor_shrinks(attempt: int) -> None:
    policy = _policy(max_backoff=dt.timedelta(days=1))
    assert policy.backoff <= policy.delay(attempt) <= policy.max_backoff
    assert policy.delay(attempt) <= policy.delay(attempt + 1)


@pytest.mark.parametrize(
    ("_case", "attempt", "error", "expected"),
    [
        ("transient, attempts left", 1, TransientError, True),
        ("a subclass of a listed error", 4, type("Down", (TransientError,), {}), True),
        ("the last attempt", 5, TransientError, False),
        ("an error not listed", 1, ValueError, False),
    ],
)
def test_only_listed_errors_with_attempts_left_are_retried(
    _case: str, attempt: int, error: type[BaseException], expected: bool
) -> None:
    assert _policy().retries(attempt=attempt, error=error) is expected


@pytest.mark.parametrize(
    ("_case", "arguments"),
    [
        ("no attempt", {"attempts": 0}),
        ("no backoff", {"attempts": 2, "backoff": dt.timedelta(0)}),
        ("cap below backoff", {"attempts": 2, "max_backoff": SECOND}),
    ],
)
def test_a_policy_that_cannot_work_is_refused(
    _case: str, arguments: dict[str, object]
) -> None:
    with pytest.raises(ValueError, match=r"attempt|backoff"):
        retrying(**arguments)  # type: ignore[arg-type]


def test_the_policy_is_declared_under_the_task_s_path() -> None:
    assert RETRYING["tests.core.sample_tasks.patient"] == RetryPolicy(
        attempts=3,
        backoff=dt.timedelta(minutes=10),
        max_backoff=dt.timedelta(hours=1),
        on=(TransientError,),
    )


def _make_due(result: DBTaskResult) -> None:  # type: ignore[type-arg]
    """The backoff has passed."""
    DBTaskResult.objects.filter(id=result.id).update(run_after=timezone.now())


@pytest.mark.django_db
def test_a_transient_failure_is_queued_again_after_its_backoff(
    run_ready: Callable[..., int],
) -> None:
    queued = sample_tasks.patient.enqueue(succeed_at=2)
    before = timezone.now()

    assert run_ready() == 1

    result = DBTaskResult.objects.get(id=queued.id)
    assert (result.status, result.worker_ids) == ("READY", ["test-worker"])
    assert before + dt.timedelta(minutes=10) <= result.run_after
    assert result.run_after <= timezone.now() + dt.timedelta(minutes=10)
    assert result.exception_class_path == "guichet.core.retries.TransientError"
    assert "attempt 1 fails" in result.traceback
    assert run_ready() == 0  # not before its time

    _make_due(result)
    assert run_ready(worker_id="other-worker") == 1

    result.refresh_from_db()
    assert (result.status, result.return_value) == ("SUCCESSFUL", 2)
    assert result.worker_ids == ["test-worker", "other-worker"]


@pytest.mark.django_db
def test_the_last_failure_stays_failed_with_its_error(
    run_ready: Callable[..., int],
) -> None:
    queued = sample_tasks.patient.enqueue(succeed_at=10)
    for _attempt in range(3):
        assert run_ready() == 1
        _make_due(DBTaskResult.objects.get(id=queued.id))

    result = DBTaskResult.objects.get(id=queued.id)
    assert (result.status, len(result.worker_ids)) == ("FAILED", 3)
    assert result.exception_class_path == "guichet.core.retries.TransientError"
    assert "attempt 3 fails" in result.traceback
    assert result.finished_at is not None
    assert run_ready() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("_case", "task", "error"),
    [
        ("an error no retry mends", sample_tasks.broken, "builtins.ValueError"),
        ("a task without a policy", sample_tasks.sleepy, "builtins.TypeError"),
    ],
)
def test_other_failures_fail_at_once(
    _case: str, task: object, error: str, run_ready: Callable[..., int]
) -> None:
    queued = task.enqueue()  # type: ignore[attr-defined]

    assert run_ready() == 1

    result = DBTaskResult.objects.get(id=queued.id)
    assert (result.status, result.exception_class_path) == ("FAILED", error)


@pytest.mark.django_db
def test_a_result_is_not_retried_twice_nor_when_its_error_is_unknown(
    run_ready: Callable[..., int],
) -> None:
    queued = sample_tasks.patient.enqueue(succeed_at=2)
    run_ready()
    result = DBTaskResult.objects.get(id=queued.id)

    # Already queued again: a second retry changes nothing.
    result.status = "FAILED"
    assert task_result_retry(result, now=timezone.now()) is None
    # An exception class that cannot be imported any more is not retried.
    DBTaskResult.objects.filter(id=result.id).update(status="FAILED")
    result.exception_class_path = "tests.core.gone.Error"
    assert task_result_retry(result, now=timezone.now()) is None
    result.exception_class_path = "tests.core.sample_tasks.echo"
    assert task_result_retry(result, now=timezone.now()) is None


@pytest.mark.django_db
def test_a_task_cut_short_by_a_forced_stop_is_queued_again(
    run_ready: Callable[..., int],
) -> None:
    queued = sample_tasks.interrupted.enqueue()

    assert run_ready(limit=1) == 1

    result = DBTaskResult.objects.get(id=queued.id)
    assert (result.status, result.finished_at, len(result.worker_ids)) == (
        "READY",
        None,
        1,
    )
    assert result.exception_class_path == "builtins.SystemExit"
