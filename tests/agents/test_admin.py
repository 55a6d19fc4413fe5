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
