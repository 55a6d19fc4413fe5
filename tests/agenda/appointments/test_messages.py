"""Messages to the citizen: the `.ics` (same UID, growing SEQUENCE, PUBLISH then
CANCEL), e-mails through a real SMTP server (aiosmtpd), a failure retried, and
the reminder of the day before, queued once whatever the runs."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from typing import Any

import icalendar
import pytest
from aiosmtpd.controller import Controller

from guichet.agenda.appointments import services
from guichet.agenda.models import Appointment, AppointmentMessage, Offer
from guichet.agents.models import Agent
from guichet.parties.models import Person
from tests.agenda.appointments.conftest import Clock, brussels
from tests.correspondence.test_dispatch import Inbox

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def appts_smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Guichet <noreply@guichet.example>"
    try:
        yield inbox
    finally:
        controller.stop()


def _events(inbox: Inbox) -> list[tuple[str, str, int, str]]:
    """(subject, METHOD, SEQUENCE, UID) of each e-mail's calendar."""
    found = []
    for _from, _to, raw in inbox.messages:
        parsed = email.message_from_bytes(raw)
        part = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        event = calendar.walk("VEVENT")[0]
        found.append(
            (
                str(
                    email.header.make_header(
                        email.header.decode_header(parsed["Subject"])
                    )
                ),
                str(calendar["METHOD"]),
                int(event["SEQUENCE"]),
                str(event["UID"]),
            )
        )
    return found


def test_book_move_cancel_send_one_event_in_the_citizens_language(
    appts_smtp: Inbox,
    appts_offer: Offer,
    appts_clerk: Agent,
    appts_person: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booked = services.appointment_book(
            actor=appts_clerk,
            offer=appts_offer,
            person=appts_person,
            start=brussels(23, 9),
        )
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.appointment_move(
            actor=appts_clerk,
            appointment=booked,
            start=brussels(23, 10),
            expected_version=1,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(
            actor=appts_clerk, appointment=moved, expected_version=moved.version
        )
    events = _events(appts_smtp)
    assert [(method, sequence) for _s, method, sequence, _u in events] == [
        ("PUBLISH", 0),
        ("PUBLISH", 1),
        ("CANCEL", 2),
    ]
    assert len({uid for *_rest, uid in events}) == 1
    assert all("APT-2027-00001" in subject for subject, *_rest in events)
    assert "afspraak" in events[0][0].lower()  # the citizen reads Dutch
    assert set(AppointmentMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_the_ics_times_are_utc_of_brussels_wall_clock(
    appts_offer: Offer, appts_clerk: Agent, appts_person: Person
) -> None:
    booked = services.appointment_book(
        actor=appts_clerk, offer=appts_offer, person=appts_person, start=brussels(23, 9)
    )
    event = icalendar.Calendar.from_ical(services.appointment_ics(booked)).walk(
        "VEVENT"
    )[0]
    assert event.decoded("DTSTART") == brussels(23, 9)
    assert event.decoded("DTEND") == brussels(23, 9, 30)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Biometrie paspoort" in str(event["SUMMARY"])


def test_an_smtp_failure_is_kept_and_a_retry_sends(
    settings: Any, appts_offer: Offer, appts_clerk: Agent, appts_person: Person
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    settings.EMAIL_TIMEOUT = 5
    services.appointment_book(
        actor=appts_clerk, offer=appts_offer, person=appts_person, start=brussels(23, 9)
    )
    failed = AppointmentMessage.objects.get()
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert failed.error
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        sent = services.appointment_message_deliver(message_id=failed.uuid)
        again = services.appointment_message_deliver(message_id=failed.uuid)
    finally:
        controller.stop()
    assert (sent.status, sent.attempts) == ("sent", 2)
    assert again.attempts == 2
    assert len(inbox.messages) == 1


def test_the_reminder_is_queued_once_the_day_before(
    appts_offer: Offer,
    appts_clerk: Agent,
    appts_person: Person,
    appts_clock: Clock,
) -> None:
    services.appointment_book(
        actor=appts_clerk, offer=appts_offer, person=appts_person, start=brussels(24, 9)
    )
    services.appointment_book(
        actor=appts_clerk, offer=appts_offer, person=appts_person, start=brussels(25, 9)
    )
    assert services.appointment_reminders_queue() == 0  # Monday: nothing tomorrow
    appts_clock.instant = brussels(23, 8)
    assert services.appointment_reminders_queue() == 1
    assert services.appointment_reminders_queue() == 0
    appts_clock.instant = brussels(23, 20)
    assert services.appointment_reminders_queue() == 0
    reminders = AppointmentMessage.objects.filter(kind="reminder")
    assert reminders.count() == 1
    assert reminders.get().appointment == Appointment.objects.get(start=brussels(24, 9))
