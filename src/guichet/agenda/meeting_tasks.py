"""Background work of meetings and events: thin, idempotent calls of the services.

Enqueued once the writing transaction commits; a mail server that does not answer
fails the task, which the worker tries again 1, 2, 4 and 8 minutes later.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from django_tasks import task

from guichet.core.retries import TransientError, retrying


@retrying(attempts=5, backoff=dt.timedelta(minutes=1))
@task(queue_name="mail")
def send_meeting_mail(meeting_id: str) -> int:
    """Send the meeting's invitations, updates or cancellation (iCalendar)."""
    from .meeting_services import meeting_invitations_deliver

    try:
        return meeting_invitations_deliver(meeting_id=meeting_id)
    except (smtplib.SMTPException, OSError) as error:
        raise TransientError(f"Meeting {meeting_id}: {error}") from error


@retrying(attempts=5, backoff=dt.timedelta(minutes=1))
@task(queue_name="mail")
def send_seat_mail(registration_id: str) -> bool:
    """Tell a registration promoted from an event's waiting list it has a seat."""
    from .meeting_services import seat_mail_deliver

    try:
        return seat_mail_deliver(registration_id=registration_id)
    except (smtplib.SMTPException, OSError) as error:
        raise TransientError(f"Registration {registration_id}: {error}") from error
