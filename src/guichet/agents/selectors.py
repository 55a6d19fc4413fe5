"""Reads of agents: which token a bearer presents, which username a login names."""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from guichet.core import clock

from .models import AccessRequest, Agent, ApiToken, Membership, Role

M = TypeVar("M", bound=Model)

TOKEN_PREFIX = "gch"  # noqa: S105 - the public prefix of tokens, not a secret


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _bearer_sql(vendor: str, quote: Callable[[str], str]) -> str:
    """The token named by its prefix, its agent, the agent's role codes and team
    ids, in one query (written out in SQL: see `token_for_bearer`)."""
    tokens = ApiToken._meta.db_table
    agents = Agent._meta.db_table
    roles = Role._meta.db_table
    holders = Agent.roles.through._meta.db_table
    members = Membership._meta.db_table
    if vendor == "postgresql":
        codes, teams = "string_agg(r.code, ',')", "string_agg(m.team_id::text, ',')"
    else:
        codes, teams = "group_concat(r.code, ',')", "group_concat(m.team_id, ',')"
    columns = [f"t.{quote(name)}" for name in _columns(ApiToken)]
    columns += [f"a.{quote(name)}" for name in _columns(Agent)]
    return (
        f"SELECT {', '.join(columns)},"  # noqa: S608 - names from the models, the prefix a parameter
        f" (SELECT {codes} FROM {roles} r JOIN {holders} h ON h.role_id = r.id"
        " WHERE h.agent_id = a.id),"
        f" (SELECT {teams} FROM {members} m WHERE m.agent_id = a.id)"
        f" FROM {tokens} t JOIN {agents} a ON a.id = t.agent_id WHERE t.prefix = %s"
    )


def _columns(model: type[Model]) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


_Converter = Callable[[Any, Any, Any], Any]
# Per column of a model: the column expression and the converters the ORM applies.
_Reader = list[tuple[Any, list[_Converter]]]


@functools.cache
def _reading(alias: str) -> tuple[str, _Reader, _Reader]:
    """For the database `alias`: the query and, per token and agent column, the
    converters the ORM would apply (SQLite keeps UUIDs as hex text, instants as
    text, booleans as integers)."""
    database = connections[alias]

    def reader(model: type[Model]) -> _Reader:
        found = []
        for field in model._meta.concrete_fields:
            column = field.get_col(model._meta.db_table)
            found.append(
                (
                    column,
                    [
                        *database.ops.get_db_converters(column),
                        *field.get_db_converters(database),  # type: ignore[attr-defined]  # Django's Field has it, the stubs miss it
                    ],
                )
            )
        return found

    return (
        _bearer_sql(database.vendor, database.ops.quote_name),
        reader(ApiToken),
        reader(Agent),
    )


def _built(model: type[M], reader: _Reader, values: Sequence[Any], alias: str) -> M:
    database = connections[alias]
    converted = []
    for (column, functions), value in zip(reader, values, strict=True):
        for function in functions:
            value = function(value, column, database)
        converted.append(value)
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(alias, names, converted)


def token_for_bearer(token: str) -> ApiToken | None:
    """The unexpired, unrevoked token of an active agent that `token` spells (its
    secret checked in constant time), with its agent, whose role codes and team ids
    are loaded (`Agent.role_codes`, `Agent.team_ids`); else None. Reads only:
    `agents.services.token_authenticate` records the use.

    Every API call authenticates, so this is one query written out in SQL (three
    through the ORM cost more than the creation's budget allows, ADR 0005): the
    token, its agent and what gives the agent access, as stored now. Nothing is kept
    between calls: a revoked or expired token, a deactivated agent, a role or a team
    taken away is refused at the very next call, in every server process."""
    parts = token.strip().split("_")
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    _, prefix, secret = parts
    alias = DEFAULT_DB_ALIAS
    sql, token_reader, agent_reader = _reading(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [prefix])
        found = cursor.fetchone()
    if found is None:
        return None
    split = len(token_reader)
    row = _built(ApiToken, token_reader, found[:split], alias)
    if not hmac.compare_digest(row.secret_hash, hash_secret(secret)):
        return None
    agent = _built(Agent, agent_reader, found[split:-2], alias)
    now = clock.now()
    if row.revoked_at is not None or row.expires_at <= now or not agent.is_active:
        return None
    codes, teams = found[-2], found[-1]
    agent.__dict__["role_codes"] = frozenset(codes.split(",") if codes else ())
    agent.__dict__["team_ids"] = frozenset(
        int(team) for team in str(teams).split(",") if teams
    )
    row.agent = agent
    return row


def login_username(request: HttpRequest | None, credentials: Any = None) -> str:
    """The username a login attempt names, as login throttling counts it: trimmed and
    in lower case, since usernames match case-insensitively
    (`AgentManager.get_by_natural_key`), so `First` and `first` share one count."""
    raw: Any = None
    if credentials:
        raw = credentials.get("username")
    elif request is not None:
        raw = request.POST.get("username")
    return str(raw or "").strip().lower()[:150]


def access_requests_seen_by(
    viewer: Agent, *, with_teams: bool, limit: int = 20
) -> QuerySet[AccessRequest]:
    """The grants asked for the viewer, newest first; with `with_teams` (a team's
    supervisor, as the policy's `agent.team_access_history` says), also those for
    the agents of the viewer's teams and for a place in those teams: whoever gains
    access near them is seen by those who answer for the team (docs/adr/0004)."""
    scope = Q(agent=viewer)
    if with_teams:
        teams = viewer.team_ids
        scope |= Q(agent__memberships__team_id__in=teams) | Q(team_id__in=teams)
    ids = AccessRequest.objects.filter(scope).values("pk")
    return (
        AccessRequest.objects.filter(pk__in=ids)
        .select_related("agent", "role", "team", "requested_by", "decided_by")
        .order_by("-created_at")[:limit]
    )
