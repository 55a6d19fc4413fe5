"""The demo's rooms, equipment, meetings and event, through the services: two
meeting rooms and a projector of the support service; a weekly team meeting of
the support service in the first room, a meeting with an external partner, and a
training with a few registrations. Dates follow the day the demo is built (next
week), so that they are always to come."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from guichet.agenda.meetings import services
from guichet.agenda.models import Resource
from guichet.agents.models import Agent
from guichet.core import clock

# code, name, kind, capacity, features, location
RESOURCES = [
    ("room-meuse", "Salle Meuse", "room", 8, ["screen"], "1st floor"),
    ("room-escaut", "Salle Escaut", "room", 20, ["videoconference"], "Ground floor"),
    ("projector-1", "Projector 1", "equipment", None, ["HDMI"], "Support office"),
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def build(agents: dict[str, Agent]) -> int:
    """Make the rooms, meetings and event once; return how many meetings."""
    if Resource.objects.filter(code=RESOURCES[0][0]).exists():
        return 0
    chief = agents["supervisor.support"]
    rooms = {
        code: services.resource_create(
            actor=chief,
            code=code,
            name=name,
            kind=kind,
            capacity=capacity,
            features=features,
            location=location,
        )
        for code, name, kind, capacity, features, location in RESOURCES
    }
    today = clock.today()
    monday = today + dt.timedelta(days=7 - today.weekday())
    services.meeting_create(
        actor=chief,
        title="Support team meeting",
        start=_at(monday, 10),
        end=_at(monday, 11),
        place="Salle Meuse",
        agents=[agents["support.c"], agents["support.b"], agents["support.d"]],
        resources=[rooms["room-meuse"]],
    )
    services.meeting_create(
        actor=agents["support.c"],
        title="Partner meeting: printing supplies",
        start=_at(monday + dt.timedelta(days=2), 14),
        end=_at(monday + dt.timedelta(days=2), 15),
        place="Salle Escaut",
        agents=[agents["supervisor.support"]],
        guests=[services.Guest(email="contact@partner.example", name="Partner")],
        resources=[rooms["room-escaut"], rooms["projector-1"]],
    )
    training = services.event_create(
        actor=agents["support.c"],
        kind="training",
        title="Training: the new agenda",
        start=_at(monday + dt.timedelta(days=3), 9),
        end=_at(monday + dt.timedelta(days=3), 12),
        capacity=2,
        place="Salle Escaut",
        resources=[rooms["room-escaut"]],
    )
    for username in ("support.b", "first.fr", "first.nl"):
        services.event_register(actor=agents[username], event_id=training.uuid)
    return 2
