"""The worker's scheduler: when a periodic task is due, and who enqueues it."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from django.db import connection

import pytest
from django_tasks_db.models import DBTaskResult
from hypothesis import given
from hypothesis import strategies as st

from guichet.core import scheduler
from guichet.core.models import PeriodicRun
from guichet.core.schedule import PERIODIC, Periodic
from tests.core import sample_tasks

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("_case", "now", "expected"),
    [
        ("due exactly now", T0, T0 + MINUTE),
        ("a little late", T0 + dt.timedelta(seconds=5), T0 + MINUTE),
        ("late by two and a half runs", T0 + 2.5 * MINUTE, T0 + 3 * MINUTE),
        ("late by exactly one run", T0 + MINUTE, T0 + 2 * MINUTE),
        ("not yet due", T0 - MINUTE, T0 + MINUTE),
    ],
)
def test_the_next_run_keeps_the_cadence(
    _case: str, now: dt.datetime, expected: dt.datetime
) -> None:
    assert scheduler.next_run_after(due=T0, every=MINUTE, now=now) == expected


@given(
    every=st.timedeltas(
        min_value=dt.timedelta(seconds=1), max_value=dt.timedelta(days=2)
    ),
    late=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=30)),
)
def test_the_next_run_is_the_first_of_the_cadence_after_now(
    every: dt.timedelta, late: dt.timedelta
) -> None:
    now = T0 + late
    following = scheduler.next_run_after(due=T0, every=every, now=now)
    assert following > now
    assert following - every <= now
    assert (following - T0) % every == dt.timedelta(0)


@pytest.fixture
def declared(monkeypatch: pytest.MonkeyPatch) -> dict[str, Periodic]:
    """An empty registry for the test, so declared tasks are only the test's."""
    registry: dict[str, Periodic] = {}
    monkeypatch.setattr(scheduler, "PERIODIC", registry)
    return registry


def _declare(registry: dict[str, Periodic], name: str, every: dt.timedelta) -> None:
    registry[name] = Periodic(name=name, task=sample_tasks.echo, every=every)


def _echo_results() -> int:
    return DBTaskResult.objects.filter(task_path="tests.core.sample_tasks.echo").count()


@pytest.mark.django_db
def test_sync_makes_new_tasks_due_now_and_keeps_known_ones(
    declared: dict[str, Periodic],
) -> None:
    _declare(declared, "new", MINUTE)
    _declare(declared, "known", MINUTE)
    PeriodicRun.objects.create(
        name="known", next_run_at=T0 + 30 * dt.timedelta(seconds=1)
    )

    scheduler.periodic_runs_sync(now=T0)

    assert dict(PeriodicRun.objects.values_list("name", "next_run_at")) == {
        "known": T0 + dt.timedelta(seconds=30),
        "new": T0,
    }


@pytest.mark.django_db
def test_sync_brings_a_shortened_interval_forward(
    declared: dict[str, Periodic],
) -> None:
    PeriodicRun.objects.create(name="checkpoint", next_run_at=T0 + dt.timedelta(days=1))
    _declare(declared, "checkpoint", MINUTE)

    scheduler.periodic_runs_sync(now=T0)

    assert PeriodicRun.objects.get().next_run_at == T0 + MINUTE


@pytest.mark.django_db
def test_a_due_run_is_enqueued_once_and_moved_to_its_next_time(
    declared: dict[str, Periodic], database_backend: None
) -> None:
    _declare(declared, "seal", MINUTE)
    _declare(declared, "later", dt.timedelta(hours=1))
    scheduler.periodic_runs_sync(now=T0)
    PeriodicRun.objects.filter(name="later").update(next_run_at=T0 + MINUTE)
    PeriodicRun.objects.create(name="undeclared", next_run_at=T0)

    first = scheduler.periodic_runs_enqueue_due(now=T0 + dt.timedelta(seconds=5))
    again = scheduler.periodic_runs_enqueue_due(now=T0 + dt.timedelta(seconds=6))

    assert (first, again) == (["seal"], [])
    assert _echo_results() == 1
    seal = PeriodicRun.objects.get(name="seal")
    assert (seal.next_run_at, seal.last_enqueued_at) == (
        T0 + MINUTE,
        T0 + dt.timedelta(seconds=5),
    )
    assert PeriodicRun.objects.get(name="undeclared").last_enqueued_at is None


@pytest.mark.django_db
def test_a_run_moved_by_another_scheduler_is_not_enqueued(
    declared: dict[str, Periodic], database_backend: None, monkeypatch: Any
) -> None:
    _declare(declared, "seal", MINUTE)
    scheduler.periodic_runs_sync(now=T0)
    # What a scheduler without row locks read before another one claimed the run.
    stale = PeriodicRun(name="seal", next_run_at=T0)
    PeriodicRun.objects.filter(name="seal").update(next_run_at=T0 + MINUTE)
    monkeypatch.setattr(scheduler, "_locked_due", lambda name, now: stale)

    assert scheduler.periodic_runs_enqueue_due(now=T0 + MINUTE) == []
    assert _echo_results() == 0
    assert PeriodicRun.objects.get().next_run_at == T0 + MINUTE


class _Refusing:
    module_path = "tests.core.refusing"

    def enqueue(self) -> None:
        raise RuntimeError("the queue refuses")


@pytest.mark.django_db
def test_a_task_that_cannot_be_enqueued_does_not_hold_back_the_others(
    declared: dict[str, Periodic], database_backend: None, caplog: Any
) -> None:
    declared["refusing"] = Periodic(name="refusing", task=_Refusing(), every=MINUTE)
    _declare(declared, "seal", MINUTE)
    scheduler.periodic_runs_sync(now=T0)

    assert scheduler.periodic_runs_enqueue_due(now=T0) == ["seal"]

    # The refused run is still due, for the next tick.
    assert PeriodicRun.objects.get(name="refusing").next_run_at == T0
    assert "Periodic task refusing could not be enqueued" in caplog.text


class _Slow:
    """Enqueues the echo task slowly, so concurrent claims overlap."""

    module_path = "tests.core.slow"

    def enqueue(self) -> Any:
        time.sleep(0.2)
        return sample_tasks.echo.enqueue("tick")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_schedulers_enqueue_each_run_once(
    declared: dict[str, Periodic], database_backend: None
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises every writer")
    names = ["seal", "warn", "remind"]
    for name in names:
        declared[name] = Periodic(name=name, task=_Slow(), every=MINUTE)
    scheduler.periodic_runs_sync(now=T0)
    start = threading.Barrier(4)
    enqueued: list[str] = []
    lock = threading.Lock()

    def schedule() -> None:
        try:
            start.wait()
            mine = scheduler.periodic_runs_enqueue_due(now=T0 + dt.timedelta(seconds=1))
            with lock:
                enqueued.extend(mine)
        finally:
            connection.close()

    threads = [threading.Thread(target=schedule) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(enqueued) == sorted(names)
    assert _echo_results() == 3
    assert set(PeriodicRun.objects.values_list("next_run_at", flat=True)) == {
        T0 + MINUTE
    }


def test_the_registry_holds_core_s_own_periodic_tasks() -> None:
    import guichet.core.tasks  # noqa: F401 - declares them

    assert {
        name: periodic.every
        for name, periodic in PERIODIC.items()
        if name.startswith("guichet.core.")
    } == {
        "guichet.core.tasks.task_results_reap": MINUTE,
        "guichet.core.tasks.task_results_prune": dt.timedelta(days=1),
    }
