"""The appointments screens answer, each with what the policy grants: the day,
booking (a full slot refused on the form), moving, cancelling, the person's tab,
the dossier's panel, the offers; hidden appointments are not found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client

import pytest

from guichet.agenda.appointments import services
from guichet.agenda.models import Appointment, Offer
from guichet.agents.models import Agent
from guichet.parties.models import Person
from tests.agenda.appointments.conftest import brussels
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _client(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def test_book_move_cancel_on_screen(
    appts_offer: Offer, appts_clerk: Agent, appts_person: Person
) -> None:
    client = _client(appts_clerk)
    page = client.get(
        f"/appointments/book/?person={appts_person.uuid}&offer={appts_offer.uuid}"
        "&day=2027-03-23"
    )
    assert page.status_code == 200
    assert "2 places free" in page.content.decode()
    start = brussels(23, 9).astimezone(dt.UTC).isoformat()
    for _ in range(2):
        services.appointment_book(
            actor=appts_clerk,
            offer=appts_offer,
            person=PersonFactory(),
            start=brussels(23, 9),
        )
    full = client.post(
        f"/appointments/book/?person={appts_person.uuid}&offer={appts_offer.uuid}"
        "&day=2027-03-23",
        {"start": start},
    )
    assert full.status_code == 200
    assert "This slot is full: choose another time." in full.content.decode()
    later = brussels(23, 10).astimezone(dt.UTC).isoformat()
    booked = client.post(
        f"/appointments/book/?person={appts_person.uuid}&offer={appts_offer.uuid}"
        "&day=2027-03-23",
        {"start": later},
    )
    assert booked.status_code == 302
    appointment = Appointment.objects.get(person=appts_person)
    assert client.get(booked["Location"]).status_code == 200
    moved = client.post(
        f"/appointments/{appointment.uuid}/move/?offer={appts_offer.uuid}&day=2027-03-23",
        {"start": brussels(23, 11).astimezone(dt.UTC).isoformat(), "version": 1},
    )
    assert moved.status_code == 302
    cancelled = client.post(
        f"/appointments/{appointment.uuid}/cancel/", {"version": 2, "reason": "ill"}
    )
    assert cancelled.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    for url in (
        "/appointments/",
        "/appointments/?team=travel-documents&day=2027-03-23",
        f"/persons/{appts_person.uuid}/appointments/",
        "/appointments/offers/",
    ):
        assert client.get(url).status_code == 200, url


def test_offers_on_screen_are_the_supervisors(
    appts_offer: Offer, appts_chief: Agent, appts_clerk: Agent
) -> None:
    chief = _client(appts_chief)
    assert chief.get("/appointments/offers/new/").status_code == 200
    page = chief.get(f"/appointments/offers/{appts_offer.uuid}/")
    assert page.status_code == 200
    done = chief.post(
        f"/appointments/offers/{appts_offer.uuid}/deactivate/", {"version": 1}
    )
    assert done.status_code == 302
    assert _client(appts_clerk).get("/appointments/offers/new/").status_code == 403


def test_a_hidden_appointment_is_not_found_on_screen(
    appts_offer: Offer,
    appts_clerk: Agent,
    appts_person: Person,
    appts_agent: Callable[..., Any],
) -> None:
    booked = services.appointment_book(
        actor=appts_clerk, offer=appts_offer, person=appts_person, start=brussels(23, 9)
    )
    outsider = _client(appts_agent("payment_agent", "D", "payment-office"))
    assert outsider.get(f"/appointments/{booked.uuid}/").status_code == 404
    assert (
        outsider.post(
            f"/appointments/{booked.uuid}/cancel/", {"version": 1}
        ).status_code
        == 404
    )
