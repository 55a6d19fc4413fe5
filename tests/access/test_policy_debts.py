"""The access policy for debts, table-driven: roles x levels x teams x actions.

Written out by hand from the seeds (seed 004, docs/sources.md §5.2: the payment
office, level C, directed by the head of the payment office), not computed from
GRANTS.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from guichet.access import policy
from guichet.access.domains import debts
from guichet.agents.models import Agent
from guichet.debts.models import Debt
from tests.debts.factories import DebtFactory
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
PAYMENT = {"payment_agent", "supervisor"}

# action -> (roles allowed, lowest level allowed)
EXPECTED: dict[str, tuple[set[str], str]] = {
    "garnishment.compute": (PAYMENT, "D"),
    "garnishment.tables_import": ({"admin"}, "D"),
    "debt.view": (PAYMENT, "D"),
    "debt.register": (PAYMENT, "C"),
    "debt.edit": (PAYMENT, "C"),
    "debt.entry_add": (PAYMENT, "C"),
    "debt.plan_set": (PAYMENT, "C"),
    "debt.comment": (PAYMENT, "C"),
    "debt.allocation_post": (PAYMENT, "C"),
}
ON_A_DEBT = [
    "debt.view",
    "debt.edit",
    "debt.entry_add",
    "debt.plan_set",
    "debt.comment",
    "debt.allocation_post",
]


def test_every_debts_action_has_an_expected_row() -> None:
    assert set(EXPECTED) == {str(action) for action in debts.Action}


def _allowed(action: str, role: str, level: str) -> bool:
    roles, minimum = EXPECTED[action]
    return role in roles and LEVELS.index(level) >= LEVELS.index(minimum)


@pytest.fixture
def agents(db: Any) -> dict[tuple[str, str], Agent]:
    team = TeamFactory(code="payment-office")
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
def test_debts_are_seen_by_their_payment_office_only(
    agents: dict[tuple[str, str], Agent],
) -> None:
    own_office = TeamFactory(code="payment-office")
    other_office = TeamFactory(code="payment-office-liege")
    confidential_elsewhere = PersonFactory(confidential_team=TeamFactory(code="visas"))
    confidential_here = PersonFactory(confidential_team=own_office)
    ours = DebtFactory(team=own_office)
    ours_confidential = DebtFactory(team=own_office, person=confidential_here)
    theirs = DebtFactory(team=other_office)
    hidden_person = DebtFactory(team=own_office, person=confidential_elsewhere)
    for (role, level), agent in agents.items():
        for action in ON_A_DEBT:
            allowed = _allowed(action, role, level)
            assert policy.may(agent, action, ours) == allowed, (role, level, action)
            assert policy.may(agent, action, ours_confidential) == allowed, (
                role,
                level,
                action,
                "confidential to the office",
            )
            assert policy.may(agent, action, theirs) is False, (role, level, action)
            assert policy.may(agent, action, hidden_person) is False, (
                role,
                level,
                action,
                "person confidential to another team",
            )
        seen = set(policy.visible(agent, Debt.objects.all()))
        expected = (
            {ours, ours_confidential} if _allowed("debt.view", role, level) else set()
        )
        assert seen == expected, (role, level)


@pytest.mark.django_db
def test_a_supervisor_of_another_service_sees_no_debts() -> None:
    supervisor = AgentFactory(
        roles=["supervisor"], level="A1", teams=[TeamFactory(code="cc-fr")]
    )
    debt = DebtFactory(team=TeamFactory(code="payment-office"))
    assert policy.may(supervisor, "debt.view") is True  # the role concerns debts
    assert policy.may(supervisor, "debt.view", debt) is False  # but not this office's
    assert policy.visible(supervisor, Debt.objects.all()).count() == 0


@pytest.mark.django_db
def test_person_actions_are_not_debt_actions() -> None:
    agent = AgentFactory(
        roles=["payment_agent"], level="C", teams=[TeamFactory(code="payment-office")]
    )
    debt = DebtFactory()
    assert policy.may(agent, "person.view", debt) is False
    assert policy.may(agent, "debt.register", debt) is False  # not an action on a debt
    assert policy.may(agent, "garnishment.compute", debt) is False
