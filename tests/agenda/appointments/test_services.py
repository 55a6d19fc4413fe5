"""Offers and bookings: the slot grid, the refusals (nothing written), moves,
cancellations, no-shows, the policy (a hidden appointment is not found)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from guichet.agenda import availability
from guichet.agenda.appointments import selectors, services
from guichet.agenda.models import Appointment, AppointmentMessage, Offer
from guichet.agents.models import Agent, Team
from guichet.audit.models import AuditEvent
from guichet.calendars.models import BusinessCalendar, ClosingDay
from guichet.calendars.selectors import calendar_cache_clear
from guichet.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from guichet.parties.models import Person
from tests.agenda.appointments.conftest import Clock, brussels, offer_input
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _codes(error: Any) -> list[str]:
    return [problem.code for problem in error.value.errors]


def test_an_offer_is_set_up_by_a_supervisor_of_its_team(
    appts_offer: Offer, appts_clerk: Agent, appts_teams: dict[str, Team]
) -> None:
    assert appts_offer.monday_hours == "09:00-12:00"
    assert appts_offer.name("nl") == "Biometrie paspoort"
    with pytest.raises(Forbidden):
        services.offer_create(
            actor=appts_clerk, team=appts_teams["travel-documents"], data=offer_input()
        )


def test_a_bad_offer_is_refused_with_every_reason(
    appts_chief: Agent, appts_teams: dict[str, Team]
) -> None:
    with pytest.raises(ValidationFailed) as error:
        services.offer_create(
            actor=appts_chief,
            team=appts_teams["payment-office"],
            data=offer_input(
                slot_minutes=0, places=0, hours=("12:00-09:00",) + ("",) * 6
            ),
        )
    codes = set(_codes(error))
    assert {"not_your_team", "out_of_range"} <= codes
    assert len(codes) >= 3  # and the monday's hours
    assert not Offer.objects.exists()


def test_edit_and_deactivate_an_offer(appts_offer: Offer, appts_chief: Agent) -> None:
    changed = services.offer_update(
        actor=appts_chief,
        offer=appts_offer,
        data=offer_input(places=3),
        expected_version=appts_offer.version,
    )
    assert (changed.places, changed.version) == (3, 2)
    with pytest.raises(StaleVersion):
        services.offer_deactivate(actor=appts_chief, offer=changed, expected_version=1)
    done = services.offer_deactivate(
        actor=appts_chief, offer=changed, expected_version=2
    )
    assert not done.is_active


def test_book_numbers_audits_and_queues_the_confirmation(
    appts_offer: Offer, appts_clerk: Agent, appts_person: Person
) -> None:
    appointment = services.appointment_book(
        actor=appts_clerk,
        offer=appts_offer,
        person=appts_person,
        start=brussels(23, 9, 30),
    )
    assert appointment.reference == "APT-2027-00001"
    assert appointment.language == "nl"
    assert appointment.end - appointment.start == brussels(23, 10) - brussels(23, 9, 30)
    assert AuditEvent.objects.filter(action="agenda.appointment_book").count() == 1
    message = AppointmentMessage.objects.get()
    assert (message.kind, message.address, message.sequence) == (
        "confirmation",
        "citizen@example.org",
        0,
    )


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (brussels(22, 8, 30), "in_the_past"),
        (brussels(29, 9), "holiday"),  # Easter Monday
        (brussels(23, 12), "outside_hours"),
        (brussels(27, 9), "outside_hours"),  # a Saturday
        (brussels(23, 9, 10), "not_on_grid"),
    ],
)
def test_refusals_write_nothing(
    appts_offer: Offer, appts_clerk: Agent, appts_person: Person, start: Any, code: str
) -> None:
    with pytest.raises(ValidationFailed) as error:
        services.appointment_book(
            actor=appts_clerk, offer=appts_offer, person=appts_person, start=start
        )
    assert _codes(error) == [code]
    assert str(error.value.errors[0].message)
    assert not Appointment.objects.exists()
    assert not AppointmentMessage.objects.exists()


def test_a_closing_day_of_the_team_is_refused(
    appts_offer: Offer, appts_clerk: Agent, appts_person: Person
) -> None:
    calendar = BusinessCalendar.objects.get(code="default")
    ClosingDay.objects.create(
        calendar=calendar, date=brussels(24, 9).date(), reason="x"
    )
    BusinessCalendar.objects.filter(pk=calendar.pk).update(version=calendar.version + 1)
    calendar_cache_clear()
    with pytest.raises(ValidationFailed) as error:
        services.appointment_book(
            actor=appts_clerk,
            offer=appts_offer,
            person=appts_person,
            start=brussels(24, 9),
        )
    assert _codes(error) == ["closing_day"]


def test_a_full_slot_is_refused(
    appts_offer: Offer, appts_clerk: Agent, appts_person: Person
) -> None:
    for _ in range(2):
        services.appointment_book(
            actor=appts_clerk,
            offer=appts_offer,
            person=PersonFactory(),
            start=brussels(23, 9),
        )
    with pytest.raises(Conflict) as error:
        services.appointment_book(
            actor=appts_clerk,
            offer=appts_offer,
            person=appts_person,
            start=brussels(23, 9),
        )
    assert error.value.code == "slot_full"
    assert "full" in str(error.value.message)
    assert Appointment.objects.count() == 2


@pytest.fixture
def appts_away(appts_offer: Offer, appts_clerk: Agent) -> Iterator[Agent]:
    def away(agent: Any, start: Any, end: Any) -> list[Any]:
        return (
            [(brussels(23, 9), brussels(23, 10))] if agent.pk == appts_clerk.pk else []
        )

    availability.busy_sources.append(away)
    Offer.objects.filter(pk=appts_offer.pk).update(agent=appts_clerk)
    appts_offer.refresh_from_db()
    yield appts_clerk
    availability.busy_sources.remove(away)


def test_an_absent_agent_has_no_slots(
    appts_offer: Offer, appts_away: Agent, appts_person: Person
) -> None:
    with pytest.raises(ValidationFailed) as error:
        services.appointment_book(
            actor=appts_away,
            offer=appts_offer,
            person=appts_person,
            start=brussels(23, 9, 30),
        )
    assert _codes(error) == ["agent_away"]
    listed = selectors.offer_slots(
        agent=appts_away,
        offer=appts_offer,
        first=brussels(23, 9).date(),
        last=brussels(23, 9).date(),
    )
    assert [slot.free for slot in listed] == [0, 0, 2, 2, 2, 2]


def test_move_cancel_and_their_messages(
    appts_offer: Offer, appts_clerk: Agent, appts_person: Person
) -> None:
    booked = services.appointment_book(
        actor=appts_clerk, offer=appts_offer, person=appts_person, start=brussels(23, 9)
    )
    moved = services.appointment_move(
        actor=appts_clerk,
        appointment=booked,
        start=brussels(24, 10),
        expected_version=booked.version,
    )
    assert (moved.start, moved.sequence) == (brussels(24, 10), 1)
    with pytest.raises(StaleVersion):
        services.appointment_cancel(
            actor=appts_clerk, appointment=moved, expected_version=booked.version
        )
    cancelled = services.appointment_cancel(
        actor=appts_clerk,
        appointment=moved,
        expected_version=moved.version,
        reason="ill",
    )
    assert (cancelled.status, cancelled.sequence) == ("cancelled", 2)
    kinds = list(
        AppointmentMessage.objects.order_by("id").values_list("kind", "sequence")
    )
    assert kinds == [("confirmation", 0), ("update", 1), ("cancellation", 2)]
    # The place is free again.
    assert (
        selectors.offer_slots(
            agent=appts_clerk,
            offer=appts_offer,
            first=brussels(24, 9).date(),
            last=brussels(24, 9).date(),
        )[2].taken
        == 0
    )


def test_no_show_and_served(
    appts_offer: Offer,
    appts_clerk: Agent,
    appts_person: Person,
    appts_clock: Clock,
) -> None:
    booked = services.appointment_book(
        actor=appts_clerk, offer=appts_offer, person=appts_person, start=brussels(23, 9)
    )
    with pytest.raises(Conflict) as early:
        services.appointment_no_show(
            actor=appts_clerk, appointment=booked, expected_version=booked.version
        )
    assert early.value.code == "too_early"
    appts_clock.instant = brussels(23, 9, 10)
    absent = services.appointment_no_show(
        actor=appts_clerk, appointment=booked, expected_version=booked.version
    )
    assert absent.status == "no_show"
    other = services.appointment_book(
        actor=appts_clerk,
        offer=appts_offer,
        person=appts_person,
        start=brussels(23, 11),
    )
    served = services.appointment_served(
        actor=appts_clerk, appointment=other, expected_version=other.version
    )
    assert served.status == "served"


def test_the_sweep_records_no_shows_once(
    appts_offer: Offer, appts_clerk: Agent, appts_person: Person, appts_clock: Clock
) -> None:
    services.appointment_book(
        actor=appts_clerk, offer=appts_offer, person=appts_person, start=brussels(23, 9)
    )
    appts_clock.instant = brussels(23, 10, 1)
    assert services.appointments_no_show_sweep() == 1
    assert services.appointments_no_show_sweep() == 0
    assert Appointment.objects.get().status == "no_show"


def test_a_hidden_appointment_is_not_found(
    appts_offer: Offer,
    appts_clerk: Agent,
    appts_agent: Callable[..., Agent],
    appts_teams: dict[str, Team],
) -> None:
    secret = PersonFactory(confidential_team=appts_teams["payment-office"])
    with pytest.raises(NotFound):
        services.appointment_book(
            actor=appts_clerk, offer=appts_offer, person=secret, start=brussels(23, 9)
        )
    booked = services.appointment_book(
        actor=appts_clerk,
        offer=appts_offer,
        person=PersonFactory(),
        start=brussels(23, 9),
    )
    outsider = appts_agent("payment_agent", "D", "payment-office")
    for key in (booked.uuid, booked.reference):
        with pytest.raises(NotFound):
            selectors.appointment_get_for_agent(agent=outsider, key=key)
    seen = selectors.appointment_get_for_agent(agent=appts_clerk, key=booked.reference)
    assert seen.obj == booked
    with pytest.raises(Forbidden):
        services.appointment_cancel(
            actor=outsider, appointment=booked, expected_version=booked.version
        )


def test_a_citizen_without_e_mail_gets_a_letter_or_a_note_why_not(
    appts_offer: Offer, appts_clerk: Agent, appts_person_without_email: Person
) -> None:
    services.appointment_book(
        actor=appts_clerk,
        offer=appts_offer,
        person=appts_person_without_email,
        start=brussels(23, 9),
    )
    message = AppointmentMessage.objects.get()
    assert message.address == ""
    assert message.status in {"letter", "no_channel"}
    if message.status == "no_channel":
        assert message.error  # the reason (no letterhead for the team)


def test_bookings_keep_wall_clock_across_the_spring_change(
    appts_offer: Offer, appts_clerk: Agent, appts_person: Person
) -> None:
    before = services.appointment_book(
        actor=appts_clerk, offer=appts_offer, person=appts_person, start=brussels(26, 9)
    )
    after = services.appointment_book(
        actor=appts_clerk, offer=appts_offer, person=appts_person, start=brussels(30, 9)
    )
    assert before.start.astimezone(dt.UTC).hour == 8  # CET
    assert after.start.astimezone(dt.UTC).hour == 7  # CEST
