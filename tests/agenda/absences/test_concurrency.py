"""Absences recorded at the same instant (PostgreSQL: SQLite serialises every
writer, so a race proves nothing there): of overlapping absences of one agent,
exactly one is recorded."""

from __future__ import annotations

import datetime as dt

from django.db import connection

import pytest

from guichet.agenda.absences import services
from guichet.agenda.models import Absence
from tests.races import race

from .conftest import AbsenceTeam

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_overlapping_absences_recorded_at_once_give_exactly_one(
    absence_team: AbsenceTeam,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: a race proves nothing there")
    team = absence_team
    first = dt.date(2026, 3, 30)

    results = race(
        [
            lambda offset=offset, actor=actor: services.absence_create(
                actor=actor,
                agent=team.agent,
                kind="leave",
                starts_on=first + dt.timedelta(days=offset % 2),
                ends_on=first + dt.timedelta(days=offset % 2 + 2),
            )
            for offset, actor in enumerate([team.agent, team.supervisor] * 2)
        ]
    )

    assert sum(isinstance(result, Absence) for result in results) == 1, results
    assert Absence.objects.count() == 1
