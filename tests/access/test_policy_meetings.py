"""Meetings, rooms and equipment, events: the grants written out by hand from the
seeds (access/domains/meetings.py): every agent plans meetings, books and
registers; supervisors and administrators set up rooms and equipment; support
agents and supervisors organise events."""

from __future__ import annotations

import itertools

import pytest

from guichet.access import policy
from guichet.access.domains import meetings
from tests.access.test_policy import LEVELS, ROLES
from tests.factories import AgentFactory, TeamFactory

EVERYONE = set(ROLES)
EXPECTED: dict[str, set[str]] = {
    "agenda.meeting_view": EVERYONE,
    "agenda.meeting_organise": EVERYONE,
    "agenda.meeting_edit": EVERYONE,
    "agenda.meeting_answer": EVERYONE,
    "agenda.resource_book": EVERYONE,
    "agenda.resource_manage": {"supervisor", "admin"},
    "agenda.event_register": EVERYONE,
    "agenda.event_organise": {"support_agent", "supervisor"},
    "agenda.event_manage": {"support_agent", "supervisor"},
}


def test_every_action_has_an_expected_row() -> None:
    assert {str(action) for action in meetings.Action} == set(EXPECTED)


@pytest.mark.django_db
def test_every_role_and_level_against_every_action() -> None:
    team = TeamFactory(code="support")
    for role, level in itertools.product(ROLES, LEVELS):
        agent = AgentFactory(roles=[role], level=level, teams=[team])
        for action, roles in EXPECTED.items():
            assert policy.may(agent, action) == (role in roles), (role, level, action)
