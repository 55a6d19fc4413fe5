"""Four eyes on access: roles, levels and teams (docs/adr/0004)."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.agents.models import AccessRequest, Agent, Role, Team
from guichet.agents.services import (
    access_changed,
    access_request_approve,
    access_request_refuse,
    access_snapshot,
    agent_create,
    roles_ensure,
)
from guichet.audit.models import AuditEvent
from guichet.core.errors import Conflict, Forbidden

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(make_agent: Any) -> tuple[Any, Any]:
    roles_ensure()
    return (
        make_agent("admin", level="A2", teams=("support",), username="adm1"),
        make_agent("admin", level="A2", teams=("support",), username="adm2"),
    )


def test_nobody_changes_their_own_roles(admins: tuple[Any, Any]) -> None:
    admin, _ = admins
    before = access_snapshot(admin)
    admin.roles.add(Role.objects.get(code="supervisor"))
    with pytest.raises(Forbidden) as refused:
        access_changed(actor=admin, agent=admin, before=before, via="test")
    assert refused.value.code == "own_access"


def test_an_agent_created_by_an_administrator_waits_for_its_grants(
    admins: tuple[Any, Any],
) -> None:
    admin, _ = admins
    Team.objects.create(code="visas", name="Visas")
    agent = agent_create(
        actor=admin,
        username="new.clerk",
        password=None,
        level="C",
        roles=["front_office"],
        teams=["visas"],
        lead_teams=["visas"],
    )
    agent = Agent.objects.get(pk=agent.pk)
    assert agent.role_codes == frozenset()
    assert agent.team_ids == frozenset()
    assert sorted(
        AccessRequest.objects.filter(agent=agent).values_list("kind", flat=True)
    ) == ["lead", "membership", "role"]


def test_the_installation_grants_directly_and_records_it(admins: Any) -> None:
    agent = agent_create(
        actor=None,
        username="boot",
        password=None,
        level="C",
        roles=["first_line"],
        teams=["support"],
    )
    assert Agent.objects.get(pk=agent.pk).role_codes == {"first_line"}
    event = AuditEvent.objects.get(
        action="agent.access_change", object_id=str(agent.uuid)
    )
    assert event.summary["before"]["roles"] == []
    assert event.summary["after"]["roles"] == ["first_line"]
    assert event.summary["after"]["teams"] == ["support"]


def _pending(admin: Any, make_agent: Any) -> tuple[Any, AccessRequest]:
    clerk = make_agent("first_line", level="C", teams=("cc-fr",), username="clerk")
    before = access_snapshot(clerk)
    clerk.roles.add(Role.objects.get(code="supervisor"))
    change = access_changed(actor=admin, agent=clerk, before=before, via="test")
    return clerk, change.pending[0]


def test_neither_the_requester_nor_the_agent_concerned_may_decide(
    admins: tuple[Any, Any], make_agent: Any
) -> None:
    first, _ = admins
    clerk, request = _pending(first, make_agent)
    with pytest.raises(Forbidden) as refused:
        access_request_approve(actor=first, request=request)
    assert refused.value.code == "four_eyes"
    clerk.roles.add(Role.objects.get(code="admin"))
    clerk = Agent.objects.get(pk=clerk.pk)
    with pytest.raises(Forbidden):
        access_request_approve(actor=clerk, request=request)
    assert AccessRequest.objects.get(pk=request.pk).status == "pending"


def test_a_non_administrator_may_not_decide(
    admins: tuple[Any, Any], make_agent: Any
) -> None:
    first, _ = admins
    _, request = _pending(first, make_agent)
    supervisor = make_agent("supervisor", level="A2", teams=("cc-fr",), username="sup")
    with pytest.raises(Forbidden):
        access_request_approve(actor=supervisor, request=request)


def test_a_refused_request_changes_nothing_and_cannot_be_decided_again(
    admins: tuple[Any, Any], make_agent: Any
) -> None:
    first, second = admins
    clerk, request = _pending(first, make_agent)
    access_request_refuse(actor=second, request=request)
    assert Agent.objects.get(pk=clerk.pk).role_codes == {"first_line"}
    with pytest.raises(Conflict):
        access_request_approve(actor=second, request=request)
    assert AuditEvent.objects.filter(action="access_request.refuse").count() == 1
