"""Reads of agents: which token a bearer presents."""

from __future__ import annotations

import hashlib
import hmac

from guichet.core import clock

from .models import ApiToken

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
