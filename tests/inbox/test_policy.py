"""The inbox's grants, written out by hand (not computed from the grant table)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from guichet.access import policy
from guichet.access.domains import inbox
from tests.factories import AgentFactory, TeamFactory

ROLES = [
    "first_line",
    "second_line",
    "front_office",
    "support_agent",
    "dossier_handler",
    "payment_agent",
    "supervisor",
    "admin",
]
LEVELS = ["D", "C", "B", "A1", "A2"]
SERVING = set(ROLES) - {"admin"}

EXPECTED: dict[str, set[str]] = {
    "inbox.view": SERVING,
    "inbox.handle": SERVING,
    # What went wrong, never the content: administrators, and supervisors.
    "inbox.problems": {"supervisor", "admin"},
}


def test_every_inbox_action_has_an_expected_row() -> None:
    assert set(EXPECTED) == {str(action) for action in inbox.Action}


@pytest.mark.django_db
def test_actions_follow_the_table_at_every_level(db: Any) -> None:
    team = TeamFactory(code="population")
    for role, level in itertools.product(ROLES, LEVELS):
        agent = AgentFactory(
            username=f"{role}-{level}", roles=[role], level=level, teams=[team]
        )
        for action, roles in EXPECTED.items():
            assert policy.may(agent, action) == (role in roles), (action, role, level)
