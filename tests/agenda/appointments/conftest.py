"""Fixtures of the appointments tests (prefixed `appts_`): the passport team with
a biometrics offer (Monday to Friday 09:00-12:00, 30-minute slots, 2 places), its
agents, a citizen with an e-mail address, and the clock pinned on Monday
22 March 2027, 09:00 in Brussels (the week before the clocks go forward)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from guichet.agenda.appointments import services
from guichet.agenda.models import Offer
from guichet.agents.models import Agent, Team
from guichet.core import clock
from guichet.parties.models import EmailAddress, Person
from tests.factories import AgentFactory, PersonFactory, TeamFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = dt.datetime(2027, 3, 22, 9, 0, tzinfo=BRUSSELS)
WEEKDAYS = ("09:00-12:00",) * 5 + ("", "")


def brussels(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    """An instant of 2027 in Brussels wall-clock time."""
    return dt.datetime(2027, month, day, hour, minute, tzinfo=BRUSSELS)


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.instant = NOW
        monkeypatch.setattr(clock, "now", lambda: self.instant.astimezone(dt.UTC))
        monkeypatch.setattr(
            clock, "today", lambda: self.instant.astimezone(BRUSSELS).date()
        )


@pytest.fixture
def appts_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def appts_teams(db: Any) -> dict[str, Team]:
    return {
        code: TeamFactory(code=code) for code in ("travel-documents", "payment-office")
    }


@pytest.fixture
def appts_agent(appts_teams: dict[str, Team]) -> Callable[..., Agent]:
    def make(role: str = "front_office", level: str = "D", *codes: str) -> Agent:
        chosen = codes or ("travel-documents",)
        agent: Agent = AgentFactory(
            roles=[role], level=level, teams=[appts_teams[code] for code in chosen]
        )
        return agent

    return make


@pytest.fixture
def appts_chief(appts_agent: Callable[..., Agent]) -> Agent:
    return appts_agent("supervisor", "B")


@pytest.fixture
def appts_clerk(appts_agent: Callable[..., Agent]) -> Agent:
    return appts_agent("front_office", "D")


def offer_input(**changes: Any) -> services.OfferInput:
    values: dict[str, Any] = {
        "code": "biometrics",
        "names": {
            "fr": "Biométrie passeport",
            "nl": "Biometrie paspoort",
            "de": "Biometrie Reisepass",
            "en": "Passport biometrics",
        },
        "slot_minutes": 30,
        "places": 2,
        "hours": WEEKDAYS,
        "purpose": "biometrics",
    }
    values.update(changes)
    return services.OfferInput(**values)


@pytest.fixture
def appts_offer(
    appts_chief: Agent, appts_teams: dict[str, Team], appts_clock: Clock
) -> Offer:
    return services.offer_create(
        actor=appts_chief, team=appts_teams["travel-documents"], data=offer_input()
    )


@pytest.fixture
def appts_person(db: Any) -> Person:
    person: Person = PersonFactory(language="nl")
    EmailAddress.objects.create(
        person=person, address="citizen@example.org", is_primary=True
    )
    return person


@pytest.fixture
def appts_person_without_email(db: Any) -> Person:
    person: Person = PersonFactory(language="fr")
    return person
