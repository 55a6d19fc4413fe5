"""Events: registrations up to the capacity, then a waiting list in the order of
arrival; a cancellation gives the seat to the first waiting one, who is told by
e-mail."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable

from django.db import transaction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.agenda.meetings import selectors, services
from guichet.agenda.models import (
    Booking,
    Event,
    Registration,
    RegistrationStatus,
    Resource,
)
from guichet.agents.models import Agent
from guichet.core.errors import Conflict, Forbidden, NotFound, StaleVersion
from tests.agenda.meetings.conftest import at

# The real SMTP server on loopback (aiosmtpd) of the correspondence tests.
from tests.correspondence.test_dispatch import Inbox, smtp  # noqa: F401

pytestmark = pytest.mark.django_db


def _event(organiser: Agent, capacity: int = 2) -> Event:
    return services.event_create(
        actor=organiser,
        kind="training",
        title="New software",
        start=at("2027-04-06", 9),
        end=at("2027-04-06", 12),
        capacity=capacity,
        place="Room 1",
    )


def test_the_first_waiting_one_gets_the_freed_seat_and_an_email(
    smtp: Inbox,  # noqa: F811
    meet_organiser: Agent,
    meet_agent: Callable[..., Agent],
) -> None:
    event = _event(meet_organiser, capacity=1)
    first, second = meet_agent(), meet_agent()
    seated = services.event_register(actor=first, event_id=event.uuid)
    waiting = services.event_register(actor=second, event_id=event.uuid)
    guest = services.event_register(
        actor=meet_organiser,
        event_id=event.uuid,
        guest=services.Guest(email="guest@example.be"),
    )
    assert [seated.status, waiting.status, guest.status] == [
        "registered",
        "waiting",
        "waiting",
    ]
    with pytest.raises(Conflict):
        services.event_register(actor=second, event_id=event.uuid)

    services.event_unregister(actor=first, registration_id=seated.uuid)

    waiting.refresh_from_db()
    guest.refresh_from_db()
    assert (waiting.status, guest.status) == ("registered", "waiting")
    (message,) = smtp.messages
    assert message[1] == [second.email]
    body = email.message_from_bytes(message[2], policy=email.policy.default)
    assert "New software" in str(body.get_body(("plain",)).get_content())
    # The others see only their own registration; the organiser sees all.
    assert selectors.event_registrations(agent=second, event=event) == [waiting]
    assert len(selectors.event_registrations(agent=meet_organiser, event=event)) == 2


def test_who_registers_others_and_unregisters(
    meet_organiser: Agent, meet_agent: Callable[..., Agent]
) -> None:
    event = _event(meet_organiser)
    someone, other = meet_agent("first_line"), meet_agent("first_line")
    with pytest.raises(Forbidden):
        services.event_register(actor=someone, event_id=event.uuid, agent=other)
    with pytest.raises(Forbidden):
        services.event_create(
            actor=someone,
            kind="training",
            title="x",
            start=at("2027-04-06", 9),
            end=at("2027-04-06", 10),
            capacity=3,
        )
    mine = services.event_register(actor=someone, event_id=event.uuid)
    with pytest.raises(NotFound):
        services.event_unregister(actor=other, registration_id=mine.uuid)
    services.event_unregister(actor=meet_organiser, registration_id=mine.uuid)


@settings(max_examples=25, deadline=None)
@given(
    capacity=st.integers(min_value=1, max_value=4),
    steps=st.lists(
        st.tuples(st.booleans(), st.integers(min_value=0, max_value=7)),
        min_size=1,
        max_size=14,
    ),
)
def test_registrations_never_exceed_the_capacity_and_the_waiting_order_holds(
    meet_organiser: Agent,
    meet_agent: Callable[..., Agent],
    capacity: int,
    steps: list[tuple[bool, int]],
) -> None:
    with transaction.atomic():
        people = [meet_agent("first_line") for _ in range(8)]
        event = _event(meet_organiser, capacity=capacity)
        arrival: list[int] = []  # the model: who is in, in the order they came
        for register, index in steps:
            person = people[index]
            current = (
                Registration.objects.filter(event=event, agent=person)
                .exclude(status=RegistrationStatus.CANCELLED)
                .first()
            )
            if register and current is None:
                services.event_register(actor=person, event_id=event.uuid)
                arrival.append(index)
            elif not register and current is not None:
                services.event_unregister(actor=person, registration_id=current.uuid)
                arrival.remove(index)
            rows = list(
                event.registrations.exclude(status=RegistrationStatus.CANCELLED)
                .order_by("position")
                .select_related("agent")
            )
            seated = [r for r in rows if r.status == RegistrationStatus.REGISTERED]
            assert len(seated) == min(capacity, len(arrival))
            # Everyone waiting came after everyone seated... except those seated
            # before a freed seat: the waiting list is in arrival order, and the
            # ones on it are the last to have come.
            waiting = [r for r in rows if r.status == RegistrationStatus.WAITING]
            order = [people.index(r.agent) for r in rows]
            assert order == arrival
            assert [people.index(r.agent) for r in waiting] == arrival[len(seated) :]
        transaction.set_rollback(True)


def test_unregistering_twice_is_refused(
    meet_organiser: Agent, meet_agent: Callable[..., Agent]
) -> None:
    event = _event(meet_organiser)
    someone = meet_agent()
    mine = services.event_register(actor=someone, event_id=event.uuid)
    services.event_unregister(actor=someone, registration_id=mine.uuid)
    with pytest.raises(Conflict):
        services.event_unregister(actor=someone, registration_id=mine.uuid)


def test_a_cancelled_event_frees_its_room_and_tells_everyone_registered_or_waiting(
    smtp: Inbox,  # noqa: F811
    meet_organiser: Agent,
    meet_agent: Callable[..., Agent],
    meet_room: Resource,
) -> None:
    event = services.event_create(
        actor=meet_organiser,
        kind="training",
        title="New software",
        start=at("2027-04-06", 9),
        end=at("2027-04-06", 12),
        capacity=1,
        resources=[meet_room.uuid],
    )
    seated, waiting, gone = meet_agent(), meet_agent(), meet_agent()
    services.event_register(actor=seated, event_id=event.uuid)
    services.event_register(actor=waiting, event_id=event.uuid)
    left = services.event_register(actor=gone, event_id=event.uuid)
    services.event_unregister(actor=gone, registration_id=left.uuid)
    stranger = meet_agent("first_line", "cc-fr")

    # Someone who may not manage it, and a stale version, change nothing.
    with pytest.raises((Forbidden, NotFound)):
        services.event_cancel(actor=stranger, event_id=event.uuid, expected_version=1)
    with pytest.raises(StaleVersion):
        services.event_cancel(
            actor=meet_organiser,
            event_id=event.uuid,
            expected_version=event.version + 9,
        )
    assert not Event.objects.get(pk=event.pk).is_cancelled

    cancelled = services.event_cancel(
        actor=meet_organiser,
        event_id=event.uuid,
        expected_version=Event.objects.get(pk=event.pk).version,
    )

    assert cancelled.is_cancelled
    assert not Booking.objects.filter(event=event, cancelled_at__isnull=True).exists()
    told = sorted(recipient for _sender, (recipient,), _data in smtp.messages)
    assert told == sorted([seated.email, waiting.email])
    with pytest.raises(Conflict):
        services.event_register(actor=stranger, event_id=event.uuid)
    with pytest.raises(Conflict):
        services.event_cancel(
            actor=meet_organiser,
            event_id=event.uuid,
            expected_version=cancelled.version,
        )
