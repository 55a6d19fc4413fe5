"""Background work of the audit trail: the sealer, and the daily checkpoint.

Both are periodic (`guichet.core.schedule`), take no arguments and are idempotent:
a doubled seal run finds the queue empty, a doubled checkpoint run finds the
day's file written.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from django_tasks import task

from guichet.core.schedule import periodic

from . import services

# Every 2 seconds: with the worker running, a row is sealed well within
# AUDIT_SEAL_DELAY (10 s by default), which `guichet audit verify` checks.
SEAL_EVERY = dt.timedelta(seconds=2)


@task(queue_name="audit")
def chain_seal() -> int:
    """Seal the rows queued since the last run; return how many."""
    return services.chain_seal()


@task(queue_name="audit")
def checkpoint_write() -> str:
    """Write today's signed checkpoint into AUDIT_CHECKPOINT_DIR (once a day)."""
    path = services.checkpoint_write(directory=settings.AUDIT_CHECKPOINT_DIR)
    return str(path) if path is not None else ""


periodic(chain_seal, every=SEAL_EVERY)
periodic(checkpoint_write, every=dt.timedelta(days=1))
