"""Background work of the agenda: thin, idempotent calls of the services.

Appointments: each e-mail to a citizen is sent by `send_appointment_message`,
enqueued inside the booking's transaction (the database task backend is
transactional) and retried on an SMTP failure; every hour the reminders of
tomorrow's appointments are queued (once per appointment) and the appointments
whose time passed without a check-in are recorded as no-shows.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from guichet.core.retries import TransientError, retrying
from guichet.core.schedule import periodic

REMIND_EVERY = dt.timedelta(hours=1)
NO_SHOW_EVERY = dt.timedelta(minutes=15)


@retrying(attempts=5, backoff=dt.timedelta(minutes=1))
@task(queue_name="mail")
def send_appointment_message(message_id: str) -> str:
    """Send one e-mail about an appointment (nothing if it was sent); a failure
    fails the task, which the worker tries again 1, 2, 4 and 8 minutes later."""
    from .models.appointments import MessageStatus
    from .services.appointments import appointment_message_deliver

    message = appointment_message_deliver(message_id=message_id)
    if message.status == MessageStatus.FAILED:
        raise TransientError(f"Appointment message {message_id}: {message.error}")
    return str(message.status)


@task(queue_name="default")
def appointment_reminders() -> int:
    """Queue the reminders of tomorrow's appointments (once each)."""
    from .services.appointments import appointment_reminders_queue

    return appointment_reminders_queue()


@task(queue_name="default")
def appointment_no_shows() -> int:
    """Record the appointments whose time passed without a check-in."""
    from .services.appointments import appointments_no_show_sweep

    return appointments_no_show_sweep()


periodic(appointment_reminders, every=REMIND_EVERY)
periodic(appointment_no_shows, every=NO_SHOW_EVERY)
