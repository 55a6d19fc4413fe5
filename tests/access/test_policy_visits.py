"""The counter queue's grants and the figures of the channels, written out by hand
from the seeds (access/domains/visits.py, access/domains/contacts.py): the front
office, the support agents and the supervisors staff the desks; supervisors set
the sites up and see the figures of their teams."""

from __future__ import annotations

import itertools

import pytest

from guichet.access import policy
from guichet.access.domains import visits
from tests.access.test_policy import LEVELS, ROLES
from tests.factories import AgentFactory, TeamFactory

EXPECTED: dict[str, set[str]] = {
    "visits.desk_work": {"front_office", "support_agent", "supervisor"},
    "visits.setup": {"supervisor"},
    "contact.figures": {"supervisor"},
}


def test_every_action_of_the_queue_has_an_expected_row() -> None:
    assert {str(action) for action in visits.Action} <= set(EXPECTED)


@pytest.mark.django_db
def test_every_role_and_level_against_every_queue_action() -> None:
    team = TeamFactory(code="visas")
    for role, level in itertools.product(ROLES, LEVELS):
        agent = AgentFactory(roles=[role], level=level, teams=[team])
        for action, roles in EXPECTED.items():
            assert policy.may(agent, action) == (role in roles), (role, level, action)
