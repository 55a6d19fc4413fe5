"""The grants of absences, presence and the agenda feed, written out by hand from
the seeds (access/domains/agenda_absences.py): everyone who serves citizens keeps
their absences and feed and sees their teams' presence; administrators keep none."""

from __future__ import annotations

import itertools

import pytest

from guichet.access import policy
from guichet.access.domains import agenda_absences
from tests.access.test_policy import LEVELS, ROLES
from tests.factories import AgentFactory, TeamFactory

SERVING = set(ROLES) - {"admin"}
EXPECTED: dict[str, set[str]] = {
    "absence.view": SERVING,
    "absence.manage": SERVING,
    "agenda_feed.manage": SERVING,
}


def test_every_action_of_absences_has_an_expected_row() -> None:
    assert {str(action) for action in agenda_absences.Action} == set(EXPECTED)


@pytest.mark.django_db
def test_every_role_and_level_against_every_absence_action() -> None:
    team = TeamFactory(code="visas")
    for role, level in itertools.product(ROLES, LEVELS):
        agent = AgentFactory(roles=[role], level=level, teams=[team])
        for action, roles in EXPECTED.items():
            assert policy.may(agent, action) == (role in roles), (role, level, action)
