"""System accounts (the public web form's, automated payment runs'): Guichet acts
as them, nobody logs in as them, and no list of colleagues offers them."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.agenda.absences.selectors import team_members
from guichet.agents.models import Agent
from guichet.agents.services import agent_create, roles_ensure
from guichet.core.errors import ValidationFailed
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sys_team(db: Any) -> Any:
    roles_ensure()
    return TeamFactory(code="sys-team")


def _system(username: str = "robot") -> Agent:
    return agent_create(
        actor=None,
        username=username,
        password=None,
        level="C",
        roles=["first_line"],
        teams=["sys-team"],
        check_password=False,
        system=True,
    )


def test_a_system_account_has_no_password(sys_team: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        agent_create(
            actor=None,
            username="robot",
            password="a long enough pass phrase 2026",
            level="C",
            roles=["first_line"],
            teams=["sys-team"],
            system=True,
        )
    assert [error.code for error in caught.value.errors] == ["system_password"]
    assert not Agent.objects.filter(username="robot").exists()


def test_people_leaves_out_system_and_inactive_accounts(
    sys_team: Any, make_agent: Any
) -> None:
    robot = _system()
    person = make_agent("first_line", teams=("sys-team",), username="colleague")
    gone = make_agent("first_line", teams=("sys-team",), username="gone")
    Agent.objects.filter(pk=gone.pk).update(is_active=False)
    assert robot.is_system
    assert set(Agent.objects.people().filter(memberships__team=sys_team)) == {person}
    # The presence list of the team.
    assert robot not in team_members(viewer=person)
    assert person in team_members(viewer=person)
