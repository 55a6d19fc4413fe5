"""Bearer tokens: one query finds the token, its agent and what gives the agent
access, and every change of that access is seen at the very next call."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from guichet.agents.models import Agent, ApiToken, Membership, Role
from guichet.agents.selectors import token_for_bearer
from guichet.agents.services import token_create, token_revoke
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(make_agent: Any) -> Any:
    return make_agent(
        "second_line", "supervisor", teams=["cc-fr", "visas"], username="second"
    )


def _queue(api: Any) -> Any:
    return api.get("/requests?team=cc-fr")


def test_one_query_brings_the_token_its_agent_roles_and_teams(
    second: Any, django_assert_num_queries: Any
) -> None:
    issued = token_create(actor=None, agent=second, name="tests")
    teams = set(second.memberships.values_list("team", flat=True))
    with django_assert_num_queries(1):
        row = token_for_bearer(issued.secret)
        assert row is not None
        agent = row.agent
        assert agent.role_codes == {"second_line", "supervisor"}
        assert agent.team_ids == teams
    fresh = Agent.objects.get(pk=second.pk)
    for name in ("uuid", "username", "level", "language", "is_active", "created_at"):
        assert getattr(agent, name) == getattr(fresh, name), name
    assert (row.pk, row.expires_at, row.uuid) == (
        issued.token.pk,
        issued.token.expires_at,
        issued.token.uuid,
    )


def test_an_agent_without_roles_or_teams_has_none(make_agent: Any) -> None:
    bare = make_agent(teams=(), username="bare")
    row = token_for_bearer(token_create(actor=None, agent=bare, name="t").secret)
    assert row is not None
    assert (row.agent.role_codes, row.agent.team_ids) == (frozenset(), frozenset())


def test_a_wrong_secret_or_prefix_finds_nothing(second: Any) -> None:
    secret = token_create(actor=None, agent=second, name="tests").secret
    prefix, _ = secret.rsplit("_", 1)
    assert token_for_bearer(f"{prefix}_wrong") is None
    assert token_for_bearer("gch_ffffffff_" + secret.rsplit("_", 1)[1]) is None
    assert token_for_bearer(secret.replace("gch_", "xyz_")) is None


def test_a_revoked_token_is_refused_at_the_next_call(second: Any, api_for: Any) -> None:
    api = api_for(second)
    assert _queue(api).status_code == 200
    token_revoke(actor=None, token=ApiToken.objects.get(agent=second))
    assert _queue(api).status_code == 401


def test_an_expired_token_is_refused_at_the_next_call(
    second: Any, api_for: Any
) -> None:
    api = api_for(second)
    assert _queue(api).status_code == 200
    ApiToken.objects.filter(agent=second).update(
        expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    assert _queue(api).status_code == 401


def test_a_deactivated_agent_is_refused_at_the_next_call(
    second: Any, api_for: Any
) -> None:
    api = api_for(second)
    assert _queue(api).status_code == 200
    Agent.objects.filter(pk=second.pk).update(is_active=False)
    assert _queue(api).status_code == 401


def test_a_removed_role_no_longer_grants_at_the_next_call(
    second: Any, api_for: Any
) -> None:
    api = api_for(second)
    assert api.get("/workload").status_code == 200
    second.roles.remove(Role.objects.get(code="second_line"))
    second.roles.remove(Role.objects.get(code="supervisor"))
    assert api.get("/workload").status_code == 403
    second.roles.add(Role.objects.get(code="second_line"))
    assert api.get("/workload").status_code == 200


def test_a_removed_membership_no_longer_grants_at_the_next_call(
    second: Any, api_for: Any
) -> None:
    api = api_for(second)
    assert _queue(api).json()["teams"] == ["cc-fr", "visas"]
    Membership.objects.filter(agent=second, team__code="visas").delete()
    assert _queue(api).json()["teams"] == ["cc-fr"]
    # The person confidential to visas is no longer seen either.
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    assert api.get(f"/persons/{hidden.uuid}").status_code == 404
    Membership.objects.create(agent=second, team=TeamFactory(code="visas"))
    assert api.get(f"/persons/{hidden.uuid}").status_code == 200
