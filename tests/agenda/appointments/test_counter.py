"""A booked citizen at the counter: checked in at the kiosk with their reference,
called before the visitors who came earlier once their time comes, and served."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.agenda.appointments import services
from guichet.agenda.models import Offer
from guichet.agents.models import Agent, Team
from guichet.core.errors import NotFound
from guichet.parties.models import Person
from guichet.visits import appointments as counter
from guichet.visits import services as visits
from tests.agenda.appointments.conftest import Clock, brussels

pytestmark = pytest.mark.django_db


@pytest.fixture
def appts_site(appts_chief: Agent, appts_teams: dict[str, Team]) -> Any:
    site = visits.site_create(actor=appts_chief, code="post", name="Post")
    visits.service_create(
        actor=appts_chief,
        site=site,
        code="passports",
        names={"fr": "P", "nl": "P", "de": "P", "en": "Passports"},
        prefix="P",
        team=appts_teams["travel-documents"],
    )
    desk = visits.desk_create(
        actor=appts_chief,
        site=site,
        code="desk-1",
        name="Desk 1",
        services=list(site.services.all()),
    )
    return site, desk


def test_checked_in_citizen_is_called_first_at_their_time_and_served(
    settings: Any,
    appts_site: Any,
    appts_offer: Offer,
    appts_clerk: Agent,
    appts_person: Person,
    appts_clock: Clock,
) -> None:
    settings.VISITS_KIOSK_TICKETS_PER_MINUTE = 100
    site, desk = appts_site
    booked = services.appointment_book(
        actor=appts_clerk,
        offer=appts_offer,
        person=appts_person,
        start=brussels(22, 9, 30),
    )
    walk_in = visits.ticket_issue(site=site, service="passports", language="fr")
    with pytest.raises(NotFound):
        counter.ticket_check_in(site=site, reference="APT-2027-99999")
    ticket = counter.ticket_check_in(site=site, reference=booked.reference)
    booked.refresh_from_db()
    assert booked.status == "checked_in"
    assert ticket.appointment == booked
    # Before their time, first come first served; from 09:15, the booked citizen.
    appts_clock.instant = brussels(22, 9, 20)
    called = visits.ticket_call_next(actor=appts_clerk, desk=desk)
    assert called is not None
    assert called.pk == ticket.pk
    visits.ticket_serve(actor=appts_clerk, ticket=called)
    booked.refresh_from_db()
    assert booked.status == "served"
    assert visits.ticket_call_next(actor=appts_clerk, desk=desk).pk == walk_in.pk


def test_the_desk_checks_a_citizen_in_from_the_appointment(
    appts_site: Any,
    appts_offer: Offer,
    appts_clerk: Agent,
    appts_person: Person,
) -> None:
    from django.test import Client

    from guichet.visits.models import Ticket

    booked = services.appointment_book(
        actor=appts_clerk,
        offer=appts_offer,
        person=appts_person,
        start=brussels(22, 11),
    )
    client = Client()
    client.force_login(appts_clerk)
    page = client.get(f"/appointments/{booked.uuid}/").content.decode()
    assert "Arrived at Post: give a ticket" in page
    answer = client.post(f"/appointments/{booked.uuid}/check-in/", {"site": "post"})
    assert answer.status_code == 302
    assert Ticket.objects.get().appointment == booked
