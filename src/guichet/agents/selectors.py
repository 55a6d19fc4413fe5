"""Reads of agents: which token a bearer presents, which username a login names."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from guichet.core import clock

from .models import AccessRequest, Agent, ApiToken

TOKEN_PREFIX = "gch"  # noqa: S105 - the public prefix of tokens, not a secret


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_for_bearer(token: str) -> ApiToken | None:
    """The unexpired, unrevoked token of an active agent that `token` spells (its
    secret checked in constant time), with its agent; else None. Reads only:
    `agents.services.token_authenticate` records the use."""
    parts = token.strip().split("_")
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    _, prefix, secret = parts
    row = ApiToken.objects.select_related("agent").filter(prefix=prefix).first()
    if row is None or not hmac.compare_digest(row.secret_hash, hash_secret(secret)):
        return None
    now = clock.now()
    if row.revoked_at is not None or row.expires_at <= now or not row.agent.is_active:
        return None
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
