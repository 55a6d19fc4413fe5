"""The scheduler of `guichet worker`: enqueue each periodic task when it is due.

`core.schedule.PERIODIC` says what runs and how often; a `PeriodicRun` row per task
says when it is next due. Every tick, each worker's scheduler looks for due rows and
claims each one in its own transaction: it locks the row (`SELECT ... FOR UPDATE
SKIP LOCKED`, so schedulers never wait on each other), moves `next_run_at` forward
with an update conditional on the value it read, and enqueues the task in the same
transaction (the database backend enqueues transactionally). A second scheduler
finds the row locked or already moved, so it enqueues nothing: several workers on
several machines never enqueue one run twice. On SQLite, which has no row locks,
every transaction takes the database's write lock at BEGIN (`transaction_mode`
IMMEDIATE in settings), which serialises the claims; the conditional update is the
guard on both engines.

Runs missed while no worker ran are not caught up: the next run is the first one
of the task's cadence after now (a daily checkpoint runs once, not once per missed
day).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from . import clock
from .models import PeriodicRun
from .schedule import PERIODIC, Periodic

logger = logging.getLogger(__name__)


def next_run_after(
    *, due: dt.datetime, every: dt.timedelta, now: dt.datetime
) -> dt.datetime:
    """The first time of the cadence `due + k * every` (k >= 1) that is after `now`.

    A run that was due at `due` and is enqueued at `now` moves on by whole intervals,
    so the cadence does not drift with the scheduler's tick or a late worker.
    """
    if now < due:
        return due + every
    return due + every * ((now - due) // every + 1)


def periodic_runs_sync(*, now: dt.datetime | None = None) -> None:
    """Give each declared periodic task its row, due now when it is new.

    A row whose next run lies further away than its task's interval (the interval
    was shortened since) is brought back to one interval from now.
    """
    now = now or clock.now()
    declared = dict(PERIODIC)
    PeriodicRun.objects.bulk_create(
        [PeriodicRun(name=name, next_run_at=now) for name in declared],
        ignore_conflicts=True,
    )
    for name, periodic in declared.items():
        PeriodicRun.objects.filter(
            name=name, next_run_at__gt=now + periodic.every
        ).update(next_run_at=now + periodic.every)


def periodic_runs_enqueue_due(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every declared periodic task that is due; return the names enqueued.

    Each due run is claimed and enqueued in a transaction of its own, so one task
    that cannot be enqueued does not hold back the others (it is tried again at the
    next tick).
    """
    now = now or clock.now()
    declared = dict(PERIODIC)
    due = list(
        PeriodicRun.objects.filter(name__in=declared, next_run_at__lte=now).values_list(
            "name", flat=True
        )
    )
    enqueued = []
    for name in due:
        try:
            if _claim_and_enqueue(declared[name], now=now):
                enqueued.append(name)
        except Exception:
            logger.exception("Periodic task %s could not be enqueued", name)
    return enqueued


def _locked_due(name: str, *, now: dt.datetime) -> PeriodicRun | None:
    """The run, locked, if it is due and no other scheduler holds it."""
    return (
        PeriodicRun.objects.select_for_update(skip_locked=True)
        .filter(name=name, next_run_at__lte=now)
        .first()
    )


def _claim_and_enqueue(periodic: Periodic, *, now: dt.datetime) -> bool:
    with transaction.atomic():
        run = _locked_due(periodic.name, now=now)
        if run is None:
            return False
        # Conditional on the due time read: the guard when rows are not locked.
        claimed = PeriodicRun.objects.filter(
            name=run.name, next_run_at=run.next_run_at
        ).update(
            next_run_at=next_run_after(
                due=run.next_run_at, every=periodic.every, now=now
            ),
            last_enqueued_at=now,
        )
        if not claimed:
            return False
        result = periodic.task.enqueue()
    logger.debug("Enqueued periodic task %s as %s", periodic.name, result.id)
    return True
