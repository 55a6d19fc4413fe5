"""The API at /api/v1/: one NinjaAPI, one router per domain."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.operation import Operation

from . import (
    agents,
    checks,
    contacts,
    correspondence,
    debts,
    documents,
    errors,
    parties,
    servicerequests,
)
from .auth import AgentSession, BearerToken


class GuichetAPI(NinjaAPI):
    """Operation ids name the domain module and the handler
    (`guichet_api_parties_person_read`), whether the domain is one module or a
    package by sub-domain, so that splitting a module changes no client's id."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        domain = ".".join(operation.view_func.__module__.split(".")[:3])
        return f"{domain}_{operation.view_func.__name__}".replace(".", "_")


api = GuichetAPI(
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
api.add_router("/", contacts.router)
api.add_router("/", servicerequests.router)
