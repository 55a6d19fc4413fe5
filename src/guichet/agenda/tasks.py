"""Background work of the agenda: thin, idempotent calls of the services.

Appointments: each e-mail to a citizen is sent by `send_appointment_message`,
enqueued inside the booking's transaction (the database task backend is
transactional) and retried on an SMTP failure; every hour the reminders of
tomorrow's appointments are queued (once per appointment) and the appointments
whose time passed without a check-in are recorded as no-shows. Minutes are
archived as PDF/A by `archive_minutes`.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from django_tasks import task

from guichet.agenda.models import Minutes
from guichet.core.retries import TransientError, retrying
from guichet.core.schedule import periodic

REMIND_EVERY = dt.timedelta(hours=1)
NO_SHOW_EVERY = dt.timedelta(minutes=15)


@task(queue_name="letters")
def archive_minutes(minutes_id: str) -> str:
    """Render and store minutes as PDF/A (nothing if they are archived)."""
    from guichet.agenda.minutes.services import minutes_archive

    minutes = minutes_archive(
        minutes_id=Minutes.objects.values_list("pk", flat=True).get(uuid=minutes_id)
    )
    return minutes.pdf_sha256


@retrying(attempts=5, backoff=dt.timedelta(minutes=1))
@task(queue_name="mail")
def send_appointment_message(message_id: str) -> str:
    """Send one e-mail about an appointment (nothing if it was sent); a failure
    fails the task, which the worker tries again 1, 2, 4 and 8 minutes later."""
    from guichet.agenda.appointments.services import appointment_message_deliver
    from guichet.agenda.models.appointments import MessageStatus

    message = appointment_message_deliver(message_id=message_id)
    if message.status == MessageStatus.FAILED:
        raise TransientError(f"Appointment message {message_id}: {message.error}")
    return str(message.status)


@task(queue_name="default")
def appointment_reminders() -> int:
    """Queue the reminders of tomorrow's appointments (once each)."""
    from guichet.agenda.appointments.services import appointment_reminders_queue

    return appointment_reminders_queue()


@task(queue_name="default")
def appointment_no_shows() -> int:
    """Record the appointments whose time passed without a check-in."""
    from guichet.agenda.appointments.services import appointments_no_show_sweep

    return appointments_no_show_sweep()


periodic(appointment_reminders, every=REMIND_EVERY)
periodic(appointment_no_shows, every=NO_SHOW_EVERY)


# Meetings and events: enqueued once the writing transaction commits; a mail
# server that does not answer fails the task, retried 1, 2, 4 and 8 minutes later.


@retrying(attempts=5, backoff=dt.timedelta(minutes=1))
@task(queue_name="mail")
def send_meeting_mail(meeting_id: str) -> int:
    """Send the meeting's invitations, updates or cancellation (iCalendar)."""
    from guichet.agenda.meetings.services import meeting_invitations_deliver

    try:
        return meeting_invitations_deliver(meeting_id=meeting_id)
    except (smtplib.SMTPException, OSError) as error:
        raise TransientError(f"Meeting {meeting_id}: {error}") from error


@retrying(attempts=5, backoff=dt.timedelta(minutes=1))
@task(queue_name="mail")
def send_seat_mail(registration_id: str) -> bool:
    """Tell a registration promoted from an event's waiting list it has a seat."""
    from guichet.agenda.meetings.services import seat_mail_deliver

    try:
        return seat_mail_deliver(registration_id=registration_id)
    except (smtplib.SMTPException, OSError) as error:
        raise TransientError(f"Registration {registration_id}: {error}") from error


@retrying(attempts=5, backoff=dt.timedelta(minutes=1))
@task(queue_name="mail")
def send_event_cancelled_mail(registration_id: str) -> bool:
    """Tell someone registered or waiting that their event is cancelled."""
    from guichet.agenda.meetings.services import event_cancelled_mail_deliver

    try:
        return event_cancelled_mail_deliver(registration_id=registration_id)
    except (smtplib.SMTPException, OSError) as error:
        raise TransientError(f"Registration {registration_id}: {error}") from error
