"""The API at /api/v1/: one NinjaAPI, one router per domain."""

from __future__ import annotations

from ninja import NinjaAPI

from . import agents, checks, correspondence, debts, documents, errors, parties
from .auth import AgentSession, BearerToken

api = NinjaAPI(
    title="Guichet API",
    version="1",
    description=(
        "Front and back office of a public service. Authenticate with a bearer token "
        "(`Authorization: Bearer gch_...`, issued by `guichet token create`) or the web "
        "session. Errors are RFC 9457 problem details with a stable `code`; messages follow "
        "Accept-Language (fr, nl, de, en). Edits need `If-Match` with the ETag of your read."
    ),
    auth=[BearerToken(), AgentSession()],
    urls_namespace="api",
)
errors.install(api)
api.add_router("/", agents.router)
api.add_router("/", parties.router)
api.add_router("/", correspondence.router)
api.add_router("/", debts.router)
api.add_router("/", checks.router)
api.add_router("/", documents.router)
