"""Background work of dossiers: reminders of document requests at their deadline.

Periodic (`guichet.core.schedule`) and idempotent: a request is reminded once
(`DocumentRequest.reminded_on`, set by a conditional update), so a doubled or
late run reminds nobody twice.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from guichet.core.schedule import periodic

from . import services

REMIND_EVERY = dt.timedelta(hours=1)


@task(queue_name="default")
def document_requests_remind() -> int:
    """Remind the unanswered document requests whose deadline has come."""
    return services.document_requests_remind()


periodic(document_requests_remind, every=REMIND_EVERY)
