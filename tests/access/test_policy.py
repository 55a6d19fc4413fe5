"""The access policy, table-driven: roles x levels x teams x actions.

The expected table below is written out by hand from the rules the seeds give;
it is deliberately not computed from `policy.GRANTS`.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import AnonymousUser

import pytest

from guichet.access import policy
from guichet.access.domains import administration, parties
from guichet.agents.models import Agent
from guichet.parties.models import Person
from tests.factories import AgentFactory, PersonFactory, TeamFactory

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
SERVING = {
    "first_line",
    "second_line",
    "front_office",
    "support_agent",
    "dossier_handler",
    "payment_agent",
    "supervisor",
}

# action -> (roles allowed, lowest level allowed)
EXPECTED: dict[str, tuple[set[str], str]] = {
    "person.view": (SERVING, "D"),
    "person.create": (SERVING, "D"),
    "person.edit_contact": (SERVING, "D"),
    "person.edit_identity": (SERVING, "C"),
    "person.restrict": ({"supervisor"}, "D"),
    "person.merge": ({"supervisor", "support_agent"}, "C"),
    "person.duplicates": ({"supervisor", "support_agent"}, "D"),
    "organisation.view": (SERVING, "D"),
    "organisation.create": (SERVING, "D"),
    "organisation.edit": (SERVING, "C"),
    "audit.view": ({"supervisor", "admin"}, "D"),
    "audit.verify": ({"admin"}, "D"),
    "reference.manage": ({"admin"}, "D"),
    "agent.manage": ({"admin"}, "D"),
    "agent.team_access_history": ({"supervisor"}, "D"),
}


def test_every_action_of_these_domains_has_an_expected_row() -> None:
    assert set(EXPECTED) == {
        str(action) for module in (parties, administration) for action in module.Action
    }


def _allowed(action: str, role: str, level: str) -> bool:
    roles, minimum = EXPECTED[action]
    return role in roles and LEVELS.index(level) >= LEVELS.index(minimum)


@pytest.fixture
def agents(db: Any) -> dict[tuple[str, str], Agent]:
    team = TeamFactory(code="cc-fr")
    return {
        (role, level): AgentFactory(
            username=f"{role}-{level}", roles=[role], level=level, teams=[team]
        )
        for role, level in itertools.product(ROLES, LEVELS)
    }


@pytest.mark.django_db
def test_actions_without_object_follow_the_table(
    agents: dict[tuple[str, str], Agent],
) -> None:
    for (role, level), agent in agents.items():
        for action in EXPECTED:
            assert policy.may(agent, action) == _allowed(action, role, level), (
                role,
                level,
                action,
            )


@pytest.mark.django_db
def test_person_actions_depend_on_team_for_confidential_persons(
    agents: dict[tuple[str, str], Agent],
) -> None:
    own_team = TeamFactory(code="cc-fr")
    other_team = TeamFactory(code="visas")
    public = PersonFactory()
    own = PersonFactory(confidential_team=own_team)
    other = PersonFactory(confidential_team=other_team)
    person_actions = [
        "person.view",
        "person.edit_contact",
        "person.edit_identity",
        "person.restrict",
        "person.merge",
    ]
    for (role, level), agent in agents.items():
        for action in person_actions:
            allowed = _allowed(action, role, level)
            assert policy.may(agent, action, public) == allowed, (
                role,
                level,
                action,
                "public",
            )
            assert policy.may(agent, action, own) == allowed, (
                role,
                level,
                action,
                "own team",
            )
            assert policy.may(agent, action, other) is False, (
                role,
                level,
                action,
                "other team",
            )
        visible = set(policy.visible(agent, Person.objects.all()))
        expected = {public, own} if _allowed("person.view", role, level) else set()
        assert visible == expected, (role, level)


@pytest.mark.django_db
def test_denies_by_default() -> None:
    agent = AgentFactory(roles=["supervisor"], level="A2", teams=[TeamFactory()])
    person = PersonFactory()
    assert policy.may(agent, "person.fly") is False
    assert policy.may(AnonymousUser(), "person.view") is False
    assert policy.may(None, "person.view") is False
    assert policy.visible(AnonymousUser(), Person.objects.all()).count() == 0
    # An action that is not about persons, asked about a person, is refused.
    assert policy.may(agent, "audit.view", person) is False
    agent.is_active = False
    assert policy.may(agent, "person.view") is False


@pytest.mark.django_db
def test_agents_without_roles_see_nothing() -> None:
    agent = AgentFactory(roles=[], level="A2", teams=[TeamFactory()])
    PersonFactory()
    assert not any(policy.may(agent, action) for action in policy.GRANTS)
    assert policy.visible(agent, Person.objects.all()).count() == 0


@pytest.mark.django_db
def test_has_perm_answers_like_the_policy_without_superuser_bypass() -> None:
    agent = AgentFactory(roles=["first_line"], level="C", teams=[TeamFactory()])
    admin = AgentFactory(roles=["admin"], level="A2", teams=[TeamFactory()])
    person = PersonFactory()
    assert agent.has_perm("person.view", person)
    assert not agent.has_perm("agents.change_team")
    assert admin.has_perm("agents.change_team")
    assert admin.is_staff
    assert not agent.is_staff
    assert not admin.has_perm("person.view", person)
