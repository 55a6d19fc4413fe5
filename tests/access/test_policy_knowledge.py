"""The knowledge base's grants, written out by hand from the seeds
(access/domains/knowledge.py): readers, authors from level C, reviewers from level
B and supervisors, feedback handled by supervisors."""

from __future__ import annotations

import itertools

import pytest

from guichet.access import policy
from guichet.access.domains import knowledge
from tests.access.test_policy import LEVELS, ROLES
from tests.factories import AgentFactory, TeamFactory

SERVING = set(ROLES) - {"admin"}
BELOW_SUPERVISOR = SERVING - {"supervisor"}


def _expected(action: str, role: str, level: str) -> bool:
    rank = LEVELS.index(level)
    if action in {"knowledge.view", "knowledge.propose", "knowledge.feedback_report"}:
        return role in SERVING
    if action == "knowledge.write":
        return role == "supervisor" or (role in BELOW_SUPERVISOR and rank >= 1)
    if action == "knowledge.publish":
        return role == "supervisor" or (role in BELOW_SUPERVISOR and rank >= 2)
    if action == "knowledge.feedback_handle":
        return role == "supervisor"
    raise AssertionError(action)


@pytest.mark.django_db
def test_every_role_and_level_against_every_knowledge_action() -> None:
    team = TeamFactory(code="cc-fr")
    for role, level in itertools.product(ROLES, LEVELS):
        agent = AgentFactory(roles=[role], level=level, teams=[team])
        for action in knowledge.Action:
            assert policy.may(agent, action) == _expected(action, role, level), (
                role,
                level,
                action,
            )
