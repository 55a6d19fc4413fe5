"""Reads of agents: who holds a token."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from guichet.core import clock

from .models import Agent, ApiToken

TOKEN_PREFIX = "gch"  # noqa: S105 - the public prefix of tokens, not a secret
# Record a token's use at most this often, not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def agent_for_token(token: str) -> Agent | None:
    """The active agent holding this unexpired, unrevoked token, else None."""
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
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.agent
