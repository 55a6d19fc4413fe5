"""Fixtures of absences and feeds: a service with two agents and its supervisor,
the clock pinned to a Monday in Brussels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.core import clock
from tests.factories import AgentFactory, TeamFactory

NOW = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)  # Monday 10:00 in Brussels


@dataclass(frozen=True)
class AbsenceTeam:
    agent: Agent
    colleague: Agent
    supervisor: Agent
    outsider: Agent


@pytest.fixture
def absence_team(db: Any, monkeypatch: pytest.MonkeyPatch) -> AbsenceTeam:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: NOW.date())
    team = TeamFactory(code="visas")
    return AbsenceTeam(
        agent=AgentFactory(
            roles=["front_office"], teams=[team], username="anna", first_name="Anna"
        ),
        colleague=AgentFactory(
            roles=["front_office"], teams=[team], username="bert", first_name="Bert"
        ),
        supervisor=AgentFactory(
            roles=["supervisor"], level="A1", teams=[team], username="chief"
        ),
        outsider=AgentFactory(
            roles=["supervisor"],
            level="A1",
            teams=[TeamFactory(code="legalisations")],
            username="other",
        ),
    )
