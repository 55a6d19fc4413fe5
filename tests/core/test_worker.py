"""`guichet worker`: a real worker process on the test database, and its parts."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection

import pytest
from django_tasks_db.models import DBTaskResult

from guichet.core import scheduler
from guichet.core import worker as worker_module
from guichet.core.models import PeriodicRun
from tests.core import sample_tasks

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(condition: Callable[[], Any], *, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"still waiting after {timeout} s")


@pytest.fixture
def shared_database(
    transactional_db: None, database_backend: None, tmp_path: Path
) -> Iterator[str]:
    """The URL of a test database that another process can open.

    PostgreSQL's test database is one. SQLite's is in memory: it is copied into a
    file, and this process's connection points at the file for the test.
    """
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        yield (
            f"postgres://{quote(settings_dict['USER'])}:"
            f"{quote(settings_dict['PASSWORD'] or '')}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
        return
    path = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    in_memory, name = connection.connection, settings_dict["NAME"]
    with sqlite3.connect(path) as copy:
        in_memory.backup(copy)
    copy.close()
    connection.connection = None
    settings_dict["NAME"] = str(path)
    try:
        connection.connect()
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = in_memory


def _start_worker(database_url: str, tmp_path: Path) -> subprocess.Popen[str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "guichet.settings",
        "DATABASE_URL": database_url,
        "GUICHET_VAR_DIR": str(tmp_path),
        "GUICHET_WORKER_POLL_SECONDS": "0.05",
        "GUICHET_WORKER_TICK_SECONDS": "0.1",
        "GUICHET_LOG_LEVEL": "INFO",
        # The worker imports the sample tasks from tests/ by their path.
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "guichet", "worker", "--worker-id", "test-process"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _status(queued: Any) -> Any:
    return DBTaskResult.objects.get(id=queued.id)


def test_a_worker_runs_tasks_retries_schedules_and_stops_after_its_task(
    shared_database: str, tmp_path: Path
) -> None:
    echoed = sample_tasks.echo.enqueue("hello")
    flaky = sample_tasks.flaky.enqueue(succeed_at=2)

    process = _start_worker(shared_database, tmp_path)
    try:
        # Starting takes a few seconds, many more on a loaded machine.
        echoed_row = _wait_for(
            lambda: (row := _status(echoed)).status == "SUCCESSFUL" and row,
            timeout=120,
        )
        assert (echoed_row.return_value, echoed_row.worker_ids) == (
            "hello",
            ["test-process"],
        )
        flaky_row = _wait_for(
            lambda: (row := _status(flaky)).status == "SUCCESSFUL" and row
        )
        assert flaky_row.return_value == 2  # the first attempt failed, was retried
        reaped = _wait_for(
            lambda: DBTaskResult.objects.filter(
                task_path="guichet.core.tasks.task_results_reap", status="SUCCESSFUL"
            ).first()
        )
        assert reaped.return_value == {"requeued": 0, "failed": 0}
        assert PeriodicRun.objects.get(
            name="guichet.core.tasks.task_results_reap"
        ).last_enqueued_at

        sleepy = sample_tasks.sleepy.enqueue(1.0)
        _wait_for(lambda: _status(sleepy).status == "RUNNING")
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    except (AssertionError, subprocess.TimeoutExpired) as error:  # pragma: no cover
        process.kill()
        said, _ = process.communicate()
        raise AssertionError(f"{error}\nThe worker's output:\n{said}") from error

    assert process.returncode == 0, output
    assert _status(sleepy).status == "SUCCESSFUL", output
    assert "Worker test-process stopped" in output


def _companion(**options: Any) -> worker_module.Companion:
    return worker_module.Companion(tick=0.01, **{"schedule": False, **options})


def test_the_worker_stops_when_its_parent_is_gone(monkeypatch: Any) -> None:
    signals: list[tuple[int, int]] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: signals.append((pid, sig)))
    # A parent process id that is not this process's parent: it "died".
    companion = _companion(parent=os.getppid() + 1)

    companion.start()
    companion.join(timeout=10)

    assert not companion.is_alive()
    assert signals == [(os.getpid(), signal.SIGTERM)]


def test_the_worker_keeps_running_while_its_parent_lives(monkeypatch: Any) -> None:
    signals: list[tuple[int, int]] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: signals.append((pid, sig)))
    companion = _companion(parent=os.getppid())

    companion.start()
    time.sleep(0.1)
    companion.stop()

    assert (companion.is_alive(), signals) == (False, [])


def test_a_failing_scheduler_step_is_logged_and_tried_at_the_next_tick(
    monkeypatch: Any, caplog: Any
) -> None:
    calls: list[str] = []
    ticked = threading.Event()

    def failing(**_options: Any) -> None:
        calls.append("tick")
        if len(calls) >= 2:
            ticked.set()
        raise RuntimeError("database restarting")

    monkeypatch.setattr(scheduler, "periodic_runs_sync", lambda: None)
    monkeypatch.setattr(scheduler, "periodic_runs_enqueue_due", failing)
    companion = _companion(schedule=True)

    companion.start()
    assert ticked.wait(timeout=10)
    companion.stop()

    assert "The worker's scheduler failed; trying again" in caplog.text


@pytest.mark.django_db
def test_the_worker_needs_the_database_backend(cli: Callable[..., Any]) -> None:
    code, _out, err = cli("worker")

    assert code == 2
    assert "TASKS['default'] is ImmediateBackend" in err


@pytest.mark.django_db
def test_an_unknown_queue_is_refused(
    cli: Callable[..., Any], database_backend: None
) -> None:
    code, _out, err = cli("worker", "--queue", "mail", "--queue", "nowhere")

    assert code == 2
    assert "unknown queue(s) nowhere" in err
