"""The home page: who the agent is, and the access given or asked near them."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.agents.models import Role, Team
from guichet.agents.services import access_changed, access_snapshot, roles_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(make_agent: Any) -> dict[str, Any]:
    """An administrator asked the supervisor role and the visas team for `clerk`."""
    roles_ensure()
    admin = make_agent("admin", level="A2", teams=("support",), username="adm1")
    clerk = make_agent("first_line", level="C", teams=("cc-fr",), username="clerk")
    Team.objects.create(code="visas", name="Visas")
    before = access_snapshot(clerk)
    clerk.roles.add(Role.objects.get(code="supervisor"))
    access_changed(actor=admin, agent=clerk, before=before, via="test")
    return {
        "clerk": clerk,
        "team_supervisor": make_agent(
            "supervisor", level="A1", teams=("cc-fr",), username="sup.cc"
        ),
        "other_supervisor": make_agent(
            "supervisor", level="A1", teams=("visas",), username="sup.visas"
        ),
        "colleague": make_agent(
            "first_line", level="C", teams=("cc-fr",), username="colleague"
        ),
    }


@pytest.mark.parametrize(
    ("_case", "viewer", "sees"),
    [
        ("the agent concerned", "clerk", True),
        ("their team's supervisor", "team_supervisor", True),
        ("another team's supervisor", "other_supervisor", False),
        ("a colleague who is no supervisor", "colleague", False),
    ],
)
def test_an_access_request_shows_in_the_history_of_those_concerned(
    client_for: Any, asked: dict[str, Any], _case: str, viewer: str, sees: bool
) -> None:
    page = client_for(asked[viewer]).get("/home/").content.decode()
    assert ("Waiting for approval" in page) is sees
