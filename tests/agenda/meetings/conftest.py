"""Meetings, rooms and equipment, events: two teams (contact center and support),
their agents and supervisors, a room and a projector."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from guichet.agenda.meetings import services
from guichet.agenda.models import Resource
from guichet.agents.models import Agent, Team
from tests.factories import AgentFactory, TeamFactory

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    """An instant of Brussels, in the future of the tests (2027)."""
    return dt.datetime.fromisoformat(day).replace(
        hour=hour, minute=minute, tzinfo=BRUSSELS
    )


@pytest.fixture
def meet_teams(db: Any) -> dict[str, Team]:
    return {code: TeamFactory(code=code) for code in ("support", "cc-fr")}


@pytest.fixture
def meet_agent(meet_teams: dict[str, Team]) -> Callable[..., Agent]:
    def make(role: str = "support_agent", *codes: str, **fields: Any) -> Agent:
        agent: Agent = AgentFactory(
            roles=[role],
            level="C",
            teams=[meet_teams[code] for code in codes or ("support",)],
            **fields,
        )
        if not agent.email:
            agent.email = f"{agent.username}@guichet.example"
            agent.save(update_fields=["email"])
        return agent

    return make


@pytest.fixture
def meet_organiser(meet_agent: Callable[..., Agent]) -> Agent:
    return meet_agent("support_agent", "support", username="orga")


@pytest.fixture
def meet_chief(meet_agent: Callable[..., Agent]) -> Agent:
    return meet_agent("supervisor", "support", username="chief")


@pytest.fixture
def meet_room(meet_chief: Agent) -> Resource:
    return services.resource_create(
        actor=meet_chief,
        code="room-1",
        name="Room 1",
        kind="room",
        capacity=8,
        features=["screen"],
    )


@pytest.fixture
def meet_projector(meet_chief: Agent) -> Resource:
    return services.resource_create(
        actor=meet_chief, code="projector", name="Projector", kind="equipment"
    )
