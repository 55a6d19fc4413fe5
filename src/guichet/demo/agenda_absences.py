"""Demo absences: a week of leave with a substitute, a training morning, a sick
day; built through the agenda's services, idempotent like the rest of the demo.

The leave starts next week, so that today nobody's work goes to a substitute
(the demo's requests and their tests stay as they are)."""

from __future__ import annotations

import datetime as dt

from guichet.agenda.absences import services
from guichet.agenda.absences.periods import BRUSSELS
from guichet.agenda.models import Absence
from guichet.agents.models import Agent
from guichet.core import clock


def build(agents: dict[str, Agent]) -> int:
    support = [agents["support.d"], agents["support.c"], agents["support.b"]]
    if Absence.objects.filter(agent__in=support).exists():
        return 0
    today = clock.today()
    monday = today + dt.timedelta(days=7 - today.weekday())
    services.absence_create(
        actor=agents["supervisor.support"],
        agent=agents["support.d"],
        kind="leave",
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        substitute=agents["support.c"],
    )
    tomorrow = today + dt.timedelta(days=1)
    services.absence_create(
        actor=agents["support.b"],
        agent=agents["support.b"],
        kind="training",
        starts_at=dt.datetime.combine(tomorrow, dt.time(9), tzinfo=BRUSSELS),
        ends_at=dt.datetime.combine(tomorrow, dt.time(12), tzinfo=BRUSSELS),
    )
    services.absence_create(
        actor=agents["support.c"],
        agent=agents["support.c"],
        kind="sick",
        starts_on=today,
        ends_on=today,
    )
    return 3
