"""The Django admin: administrators keep reference data; nobody else gets in."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest

from guichet.agents.models import Team
from guichet.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("_case", "roles", "expected"),
    [
        ("administrator", ("admin",), 200),
        ("supervisor", ("supervisor",), 302),
        ("first line", ("first_line",), 302),
    ],
)
def test_only_administrators_enter_the_admin(
    make_agent: Any, _case: str, roles: tuple[str, ...], expected: int
) -> None:
    client = Client()
    client.force_login(make_agent(*roles, level="A2", teams=("support",)))
    assert client.get("/admin/agents/team/").status_code == expected


def test_admin_changes_are_audited_and_translated(make_agent: Any) -> None:
    admin = make_agent("admin", level="A2", teams=("support",), language="nl")
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/agents/team/add/",
        {
            "code": "visas",
            "name": "Visas",
            "language": "fr",
            "email": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    team = Team.objects.get(code="visas")
    event = AuditEvent.objects.get(chain="changes", action="team.create")
    assert (event.actor_id, event.object_id) == (admin.pk, str(team.uuid))
    page = client.get("/admin/agents/team/")
    assert "Teams" in page.content.decode() or "teams" in page.content.decode()
    assert 'lang="nl"' in page.content.decode()


def test_persons_are_not_in_the_admin(make_agent: Any) -> None:
    client = Client()
    client.force_login(make_agent("admin", level="A2", teams=("support",)))
    assert client.get("/admin/parties/person/").status_code == 404


def _agent_form(
    agent: Any, *, roles: list[str], teams: list[tuple[str, bool]]
) -> dict[str, Any]:
    """The admin's change form for `agent`, as a browser posts it."""
    from guichet.agents.models import Membership, Role

    current = list(Membership.objects.filter(agent=agent).order_by("pk"))
    data: dict[str, Any] = {
        "username": agent.username,
        "first_name": agent.first_name,
        "last_name": agent.last_name,
        "email": agent.email,
        "language": agent.language,
        "is_active": "on",
        "level": agent.level,
        "roles": [str(Role.objects.get(code=code).pk) for code in roles],
        "memberships-TOTAL_FORMS": str(len(teams)),
        "memberships-INITIAL_FORMS": str(len(current)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, (code, lead) in enumerate(teams):
        team = Team.objects.get(code=code)
        existing = next((m for m in current if m.team_id == team.pk), None)
        data[f"memberships-{index}-team"] = str(team.pk)
        data[f"memberships-{index}-agent"] = str(agent.pk)
        if existing is not None:
            data[f"memberships-{index}-id"] = str(existing.pk)
        if lead:
            data[f"memberships-{index}-is_lead"] = "on"
    return data


def _admin_client(agent: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(agent)
    return client


def test_a_grant_waits_for_a_second_administrator(make_agent: Any) -> None:
    from guichet.agents.models import AccessRequest, Agent
    from guichet.agents.services import roles_ensure

    roles_ensure()
    first_admin = make_agent("admin", level="A2", teams=("support",), username="adm1")
    second_admin = make_agent("admin", level="A2", teams=("support",), username="adm2")
    clerk = make_agent("first_line", level="C", teams=("cc-fr",), username="clerk")
    Team.objects.create(code="visas", name="Visas")
    # The first administrator gives the clerk the supervisor role and the visas team.
    response = _admin_client(first_admin).post(
        f"/admin/agents/agent/{clerk.pk}/change/",
        _agent_form(
            clerk,
            roles=["first_line", "supervisor"],
            teams=[("cc-fr", False), ("visas", False)],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    clerk = Agent.objects.get(pk=clerk.pk)
    assert clerk.role_codes == {"first_line"}
    assert set(clerk.teams.values_list("code", flat=True)) == {"cc-fr"}
    pending = AccessRequest.objects.filter(agent=clerk, status="pending")
    assert sorted(pending.values_list("kind", flat=True)) == ["membership", "role"]
    event = AuditEvent.objects.get(action="agent.access_change")
    assert event.summary["before"]["roles"] == ["first_line"]
    assert event.summary["after"]["roles"] == ["first_line"]
    assert event.summary["before"]["teams"] == ["cc-fr"]
    assert sorted(item["target"] for item in event.summary["pending"]) == [
        "supervisor",
        "visas",
    ]
    # The same administrator cannot approve their own request.
    _admin_client(first_admin).post(
        "/admin/agents/accessrequest/",
        {
            "action": "approve",
            "_selected_action": [str(item.pk) for item in pending],
        },
    )
    assert AccessRequest.objects.filter(agent=clerk, status="pending").count() == 2
    # A second administrator approves them: now they apply.
    _admin_client(second_admin).post(
        "/admin/agents/accessrequest/",
        {
            "action": "approve",
            "_selected_action": [str(item.pk) for item in pending],
        },
    )
    clerk = Agent.objects.get(pk=clerk.pk)
    assert clerk.role_codes == {"first_line", "supervisor"}
    assert set(clerk.teams.values_list("code", flat=True)) == {"cc-fr", "visas"}
    assert AccessRequest.objects.filter(agent=clerk, status="approved").count() == 2
    approvals = AuditEvent.objects.filter(
        action="agent.access_change", summary__via="approval"
    )
    assert approvals.count() == 2
    assert {event.actor_id for event in approvals} == {second_admin.pk}


def test_an_administrator_cannot_change_their_own_roles_or_teams(
    make_agent: Any,
) -> None:
    from guichet.agents.models import AccessRequest, Agent
    from guichet.agents.services import roles_ensure

    roles_ensure()
    admin = make_agent("admin", level="A2", teams=("support",), username="adm1")
    Team.objects.create(code="visas", name="Visas")
    client = _admin_client(admin)
    page = client.get(f"/admin/agents/agent/{admin.pk}/change/").content.decode()
    assert 'name="roles"' not in page
    assert 'name="level"' not in page
    client.post(
        f"/admin/agents/agent/{admin.pk}/change/",
        {
            **_agent_form(
                admin,
                roles=["admin", "supervisor"],
                teams=[("support", True), ("visas", False)],
            ),
            "level": "A2",
        },
    )
    admin = Agent.objects.get(pk=admin.pk)
    assert admin.role_codes == {"admin"}
    assert set(admin.teams.values_list("code", flat=True)) == {"support"}
    assert not AccessRequest.objects.exists()


def test_a_removal_applies_at_once_and_a_level_change_is_recorded(
    make_agent: Any,
) -> None:
    from guichet.agents.models import AccessRequest, Agent
    from guichet.agents.services import roles_ensure

    roles_ensure()
    admin = make_agent("admin", level="A2", teams=("support",), username="adm1")
    clerk = make_agent(
        "first_line", "second_line", level="C", teams=("cc-fr",), username="clerk"
    )
    form = _agent_form(clerk, roles=["first_line"], teams=[("cc-fr", False)])
    form["level"] = "B"
    assert (
        _admin_client(admin)
        .post(f"/admin/agents/agent/{clerk.pk}/change/", form)
        .status_code
        == 302
    )
    clerk = Agent.objects.get(pk=clerk.pk)
    assert clerk.role_codes == {"first_line"}
    assert clerk.level == "B"
    assert not AccessRequest.objects.exists()
    event = AuditEvent.objects.get(action="agent.access_change")
    assert event.summary["before"]["roles"] == ["first_line", "second_line"]
    assert event.summary["after"]["roles"] == ["first_line"]
    assert (event.summary["before"]["level"], event.summary["after"]["level"]) == (
        "C",
        "B",
    )
