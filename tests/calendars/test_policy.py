"""The access policy for calendars: administrators keep them, everyone reads them.

Written out by hand, not computed from GRANTS.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from guichet.access import policy
from guichet.access.domains import calendars
from guichet.agents.models import FunctionLevel, RoleCode
from tests.factories import AgentFactory, TeamFactory

ROLES = list(RoleCode.values)
LEVELS = list(FunctionLevel.values)

EXPECTED: dict[str, set[str]] = {
    "calendar.view": set(ROLES),  # all eight roles
    "calendar.manage": {"admin"},
}


def test_every_calendars_action_has_an_expected_row() -> None:
    assert set(EXPECTED) == {str(action) for action in calendars.Action}


@pytest.mark.django_db
def test_actions_follow_the_table(db: Any) -> None:
    team = TeamFactory(code="support")
    for role, level in itertools.product(ROLES, LEVELS):
        agent = AgentFactory(
            username=f"{role}-{level}", roles=[role], level=level, teams=[team]
        )
        for action, roles in EXPECTED.items():
            assert policy.may(agent, action) == (role in roles), (role, level, action)


@pytest.mark.django_db
def test_only_administrators_have_the_admins_model_permissions(db: Any) -> None:
    team = TeamFactory(code="support")
    admin = AgentFactory(username="admin", roles=["admin"], level="A2", teams=[team])
    supervisor = AgentFactory(
        username="boss", roles=["supervisor"], level="A2", teams=[team]
    )
    for model in ("businesscalendar", "closingday", "teamcalendar"):
        for verb in ("view", "add", "change", "delete"):
            permission = f"calendars.{verb}_{model}"
            assert admin.has_perm(permission), permission
            assert not supervisor.has_perm(permission), permission
    assert admin.has_module_perms("calendars")
    assert not supervisor.has_module_perms("calendars")


def test_admin_models_are_gathered_from_every_domain_module() -> None:
    assert policy.ADMIN_MODELS["calendars.businesscalendar"] == "calendar.manage"
    assert policy.ADMIN_MODELS["agents.team"] == "reference.manage"
