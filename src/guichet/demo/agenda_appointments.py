"""The demo's appointments: the passport team (travel-documents) offers passport
biometrics (Monday to Friday 09:00-12:00 and 13:30-16:00, 20-minute slots, two
places) and passport hand-overs (Tuesdays and Thursdays 14:00-16:00, 15 minutes,
one place, at the passport counter); the front office has booked the passport
dossiers' applicants for their biometrics on the next open days, through the
services, so the citizens are told as for any booking."""

from __future__ import annotations

import datetime as dt

from guichet.agenda.appointments import services
from guichet.agenda.appointments.selectors import offer_slots
from guichet.agenda.models import Offer
from guichet.agents.models import Agent, Team
from guichet.core import clock
from guichet.dossiers.models import Dossier

TEAM = "travel-documents"
OFFERS = [
    services.OfferInput(
        code="biometrics",
        names={
            "fr": "Biométrie passeport",
            "nl": "Biometrie paspoort",
            "de": "Biometrie Reisepass",
            "en": "Passport biometrics",
        },
        purpose="biometrics",
        slot_minutes=20,
        places=2,
        hours=("09:00-12:00, 13:30-16:00",) * 5 + ("", ""),
        counter_service="passports",
    ),
    services.OfferInput(
        code="handover",
        names={
            "fr": "Remise du passeport",
            "nl": "Overhandiging paspoort",
            "de": "Aushändigung des Reisepasses",
            "en": "Passport hand-over",
        },
        purpose="handover",
        slot_minutes=15,
        places=1,
        hours=("", "14:00-16:00", "", "14:00-16:00", "", "", ""),
        counter_service="passports",
    ),
]


def build(agents: dict[str, Agent]) -> int:
    """Make the offers and book the passport applicants once; return how many
    appointments were booked."""
    team = Team.objects.get(code=TEAM)
    if Offer.objects.filter(team=team).exists():
        return 0
    chief, front = agents["supervisor.consular"], agents["front.travel"]
    made = [services.offer_create(actor=chief, team=team, data=data) for data in OFFERS]
    biometrics = made[0]
    first = clock.today() + dt.timedelta(days=1)
    free = [
        slot
        for slot in offer_slots(
            agent=front,
            offer=biometrics,
            first=first,
            last=first + dt.timedelta(days=13),
        )
        if slot.free > 0
    ]
    dossiers = Dossier.objects.filter(
        team=team, case_type__code="consular-passport", person__isnull=False
    ).select_related("person")
    booked = 0
    for dossier, slot in zip(dossiers, free[::3], strict=False):
        if dossier.person is None:  # pragma: no cover - filtered above
            continue
        services.appointment_book(
            actor=front,
            offer=biometrics,
            person=dossier.person,
            start=slot.start,
            dossier=dossier,
            note="Demo",
        )
        booked += 1
    return booked
