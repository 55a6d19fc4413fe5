"""The reaper: tasks left running by a stopped worker, and old results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from guichet.core import reaper
from guichet.core import tasks as core_tasks
from tests.core import sample_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_backend")]

TIMEOUT = dt.timedelta(minutes=30)


def _running(task: Any, *, started: dt.timedelta, workers: int, **kwargs: Any) -> Any:
    """A task claimed `workers` times, the last time `started` ago."""
    queued = task.enqueue(**kwargs)
    DBTaskResult.objects.filter(id=queued.id).update(
        status="RUNNING",
        started_at=timezone.now() - started,
        worker_ids=[f"worker-{number}" for number in range(1, workers + 1)],
    )
    return DBTaskResult.objects.get(id=queued.id)


def test_a_task_running_past_the_timeout_is_queued_again() -> None:
    abandoned = _running(sample_tasks.echo, started=TIMEOUT * 2, workers=1, value="x")
    busy = _running(sample_tasks.echo, started=TIMEOUT / 2, workers=1, value="y")

    reaped = reaper.task_results_reap(timeout=TIMEOUT, attempts=3)

    assert reaped == reaper.Reaped(requeued=1, failed=0)
    abandoned.refresh_from_db()
    busy.refresh_from_db()
    assert (abandoned.status, busy.status) == ("READY", "RUNNING")
    assert DBTaskResult.objects.ready().get() == abandoned


def test_a_task_abandoned_at_every_attempt_is_failed_with_a_reason() -> None:
    abandoned = _running(sample_tasks.echo, started=TIMEOUT * 2, workers=3, value="x")

    reaped = reaper.task_results_reap(timeout=TIMEOUT, attempts=3)

    assert reaped == reaper.Reaped(requeued=0, failed=1)
    abandoned.refresh_from_db()
    assert abandoned.status == "FAILED"
    assert abandoned.finished_at is not None
    assert abandoned.exception_class_path == "guichet.core.reaper.WorkerLost"
    assert "at each of its 3 attempts (workers worker-1, worker-2, worker-3)" in (
        abandoned.traceback
    )
    assert abandoned.task_result.errors[0].exception_class is reaper.WorkerLost


def test_a_task_s_retry_policy_sets_its_attempts() -> None:
    # flaky has three attempts; the default here would give it only one.
    second = _running(sample_tasks.flaky, started=TIMEOUT * 2, workers=2, succeed_at=1)
    third = _running(sample_tasks.flaky, started=TIMEOUT * 2, workers=3, succeed_at=1)

    reaped = reaper.task_results_reap(timeout=TIMEOUT, attempts=1)

    assert reaped == reaper.Reaped(requeued=1, failed=1)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("READY", "FAILED")


def test_the_timeout_and_attempts_come_from_the_settings(settings: Any) -> None:
    settings.WORKER_TASK_TIMEOUT_SECONDS = 60
    settings.WORKER_TASK_ATTEMPTS = 2
    once = _running(
        sample_tasks.echo, started=dt.timedelta(minutes=2), workers=1, value="a"
    )
    twice = _running(
        sample_tasks.echo, started=dt.timedelta(minutes=2), workers=2, value="b"
    )
    recent = _running(
        sample_tasks.echo, started=dt.timedelta(seconds=30), workers=1, value="c"
    )

    assert core_tasks.task_results_reap.call() == {"requeued": 1, "failed": 1}

    assert [
        DBTaskResult.objects.get(id=row.id).status for row in (once, twice, recent)
    ] == ["READY", "FAILED", "RUNNING"]


def test_a_task_finished_meanwhile_is_left_alone(monkeypatch: Any) -> None:
    abandoned = _running(sample_tasks.echo, started=TIMEOUT * 2, workers=1, value="x")
    seen = list(DBTaskResult.objects.running())
    # Its worker was only slow: it finishes the task after the reaper read it.
    DBTaskResult.objects.filter(id=abandoned.id).update(status="SUCCESSFUL")
    monkeypatch.setattr(
        DBTaskResult.objects, "running", lambda: _Listed(seen), raising=False
    )

    assert reaper.task_results_reap(timeout=TIMEOUT, attempts=3) == reaper.Reaped(0, 0)
    abandoned.refresh_from_db()
    assert abandoned.status == "SUCCESSFUL"


class _Listed:
    """The rows a reaper read before their worker finished them."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def filter(self, **_lookups: Any) -> list[Any]:
        return self.rows


def test_old_results_are_pruned_and_failed_ones_kept_longer(settings: Any) -> None:
    settings.TASK_RESULTS_KEEP_DAYS = 14
    settings.TASK_FAILED_RESULTS_KEEP_DAYS = 90
    now = timezone.now()
    ages = {
        "old success": ("SUCCESSFUL", 20),
        "recent success": ("SUCCESSFUL", 2),
        "old failure": ("FAILED", 100),
        "failure kept": ("FAILED", 20),
        "waiting": ("READY", None),
    }
    for value, (status, days) in ages.items():
        queued = sample_tasks.echo.enqueue(value)
        if days is not None:
            DBTaskResult.objects.filter(id=queued.id).update(
                status=status, finished_at=now - dt.timedelta(days=days)
            )

    core_tasks.task_results_prune.call()

    assert sorted(row.args_kwargs["args"][0] for row in DBTaskResult.objects.all()) == [
        "failure kept",
        "recent success",
        "waiting",
    ]
