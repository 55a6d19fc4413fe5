"""Background work of dossiers: reminders of document requests at their deadline,
and the end of retention of closed dossiers.

Periodic (`guichet.core.schedule`) and idempotent: a request is reminded once
(`DocumentRequest.reminded_on`, set by a conditional update), so a doubled or
late run reminds nobody twice; a dossier is archived or destroyed once
(`retention.py`: each in its own transaction, re-read under its lock), and a
crash leaves the dossiers not reached for the next run.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from guichet.core.schedule import periodic

from . import retention, services

REMIND_EVERY = dt.timedelta(hours=1)
RETENTION_EVERY = dt.timedelta(days=1)


@task(queue_name="default")
def document_requests_remind() -> int:
    """Remind the unanswered document requests whose deadline has come."""
    return services.document_requests_remind()


@task(queue_name="default")
def dossiers_retention_run() -> int:
    """Archive or destroy the closed dossiers whose retention has ended."""
    return retention.dossiers_retention_run().total


periodic(document_requests_remind, every=REMIND_EVERY)
periodic(dossiers_retention_run, every=RETENTION_EVERY)
