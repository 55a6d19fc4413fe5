"""Appointments over HTTP: an offer created, edited and deactivated; its slots;
a booking moved, cancelled; a full slot and a hidden appointment as problems."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guichet.agenda.models import Offer
from guichet.agents.models import Agent
from guichet.parties.models import Person
from tests.agenda.appointments.conftest import WEEKDAYS, brussels
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

OFFER = {
    "team": "payment-office",
    "code": "visit",
    "names": {"fr": "Visite", "nl": "Bezoek", "de": "Besuch", "en": "Visit"},
    "purpose": "payment_visit",
    "slot_minutes": 20,
    "places": 1,
    "hours": list(WEEKDAYS),
}


def test_offer_lifecycle(
    api_for: Callable[..., Any], appts_agent: Callable[..., Agent], appts_clock: Any
) -> None:
    chief = appts_agent("supervisor", "B", "payment-office")
    api = api_for(chief)
    made = api.post("/agenda/offers", OFFER)
    assert made.status_code == 201, made.content
    offer = made.json()
    assert offer["hours"][0] == "09:00-12:00"
    changed = api.patch(
        f"/agenda/offers/{offer['id']}", {**OFFER, "places": 2}, HTTP_IF_MATCH='"1"'
    )
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == '"2"'
    slots = api.get(
        f"/agenda/offers/{offer['id']}/slots?first=2027-03-23&last=2027-03-23"
    ).json()["items"]
    assert len(slots) == 9
    assert slots[0]["free"] == 2
    stale = api.post(f"/agenda/offers/{offer['id']}/deactivate", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    done = api.post(f"/agenda/offers/{offer['id']}/deactivate", HTTP_IF_MATCH='"2"')
    assert done.json()["is_active"] is False
    clerk = appts_agent("payment_agent", "D", "payment-office")
    assert api_for(clerk).post("/agenda/offers", OFFER).status_code == 403


def test_book_move_cancel_and_the_refusals(
    api_for: Callable[..., Any],
    appts_offer: Offer,
    appts_clerk: Agent,
    appts_person: Person,
    appts_agent: Callable[..., Agent],
) -> None:
    api = api_for(appts_clerk)
    booked = api.post(
        "/agenda/appointments",
        {
            "offer": str(appts_offer.uuid),
            "person": str(appts_person.uuid),
            "start": brussels(23, 9).isoformat(),
        },
    )
    assert booked.status_code == 201, booked.content
    reference = booked.json()["reference"]
    moved = api.post(
        f"/agenda/appointments/{reference}/move",
        {"start": brussels(23, 9, 30).isoformat()},
        HTTP_IF_MATCH='"1"',
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["sequence"] == 1
    holiday = api.post(
        f"/agenda/appointments/{reference}/move",
        {"start": brussels(29, 9).isoformat()},
        HTTP_IF_MATCH='"2"',
    )
    assert holiday.status_code == 422
    assert holiday.json()["errors"][0]["code"] == "holiday"
    for _ in range(2):
        api.post(
            "/agenda/appointments",
            {
                "offer": str(appts_offer.uuid),
                "person": str(PersonFactory().uuid),
                "start": brussels(23, 11).isoformat(),
            },
        )
    full = api.post(
        "/agenda/appointments",
        {
            "offer": str(appts_offer.uuid),
            "person": str(appts_person.uuid),
            "start": brussels(23, 11).isoformat(),
        },
    )
    assert full.status_code == 409
    assert full.json()["code"] == "slot_full"
    cancelled = api.post(
        f"/agenda/appointments/{reference}/cancel",
        {"reason": "ill"},
        HTTP_IF_MATCH='"2"',
    )
    assert cancelled.json()["status"] == "cancelled"
    mine = api.get(f"/persons/{appts_person.uuid}/appointments").json()["items"]
    assert [item["reference"] for item in mine] == [reference]
    day = api.get("/agenda/teams/travel-documents/appointments?day=2027-03-23").json()
    assert len(day["items"]) == 2
    outsider = api_for(appts_agent("payment_agent", "D", "payment-office"))
    assert outsider.get(f"/agenda/appointments/{reference}").status_code == 404
    assert (
        outsider.post(
            f"/agenda/appointments/{reference}/cancel", {}, HTTP_IF_MATCH='"3"'
        ).status_code
        == 404
    )
