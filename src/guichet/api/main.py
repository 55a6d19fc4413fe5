"""The API at /api/v1/: one NinjaAPI, one router per domain."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from . import (
    agenda_absences,
    agenda_appointments,
    agenda_meetings,
    agents,
    cashbook,
    checks,
    contacts,
    correspondence,
    debts,
    documents,
    dossiers,
    errors,
    knowledge,
    parties,
    payments,
    payments_rejects,
    servicerequests,
    specimens,
)
from .auth import AgentSession, BearerToken
from .parser import JsonParser


class GuichetAPI(NinjaAPI):
    """Operation ids name the domain module and the handler
    (`guichet_api_parties_person_read`), whether the domain is one module or a
    package by sub-domain, so that splitting a module changes no client's id."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        domain = ".".join(operation.view_func.__module__.split(".")[:3])
        return f"{domain}_{operation.view_func.__name__}".replace(".", "_")

    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        """The description, built once per process and prefix (building it walks
        every operation's schemas: seconds, with about 140 operations). Callers
        share it: read it, never change it."""
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._schemas:
            schema = super().get_openapi_schema(
                path_prefix=path_prefix, path_params=path_params
            )
            for methods in schema["paths"].values():
                for operation in methods.values():
                    describe_errors(operation)
            self._schemas[key] = schema
        return self._schemas[key]

    @cached_property
    def _schemas(self) -> dict[tuple[Any, ...], OpenAPISchema]:
        return {}


IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": 'The ETag of your last read of the record (`"<version>"`).',
    "schema": {"type": "string", "pattern": '^\\s*(W/)?"?[0-9]+"?\\s*$'},
}


def describe_errors(operation: dict[str, Any]) -> None:
    """What ninja cannot say by itself: errors are `application/problem+json`
    (RFC 9457), an operation that answers 428 requires `If-Match`, and one that
    takes a body may answer 413 (`DATA_UPLOAD_MAX_MEMORY_SIZE`)."""
    responses = operation["responses"]  # keyed by int here, by str once served
    statuses = {int(status) for status in responses}
    if "requestBody" in operation and 422 in statuses:
        responses[413] = {
            **responses[_key(responses, 422)],
            "description": "Content Too Large",
        }
    for status, response in responses.items():
        content = response.get("content", {})
        if int(status) >= 400 and "application/json" in content:
            response["content"] = {
                errors.PROBLEM_CONTENT_TYPE: content["application/json"]
            }
    if 428 in statuses:
        parameters = operation.setdefault("parameters", [])
        if not any(p["in"] == "header" and p["name"] == "If-Match" for p in parameters):
            parameters.append(dict(IF_MATCH))


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
    parser=JsonParser(),
)
errors.install(api)
api.add_router("/", agents.router)
api.add_router("/", parties.router)
api.add_router("/", correspondence.router)
api.add_router("/", debts.router)
api.add_router("/", checks.router)
api.add_router("/", documents.router)
api.add_router("/", specimens.router)
api.add_router("/", contacts.router)
api.add_router("/", servicerequests.router)
api.add_router("/", dossiers.router)
api.add_router("/", cashbook.router)
api.add_router("/", knowledge.router)
api.add_router("/", agenda_absences.router)
api.add_router("/", agenda_appointments.router)
api.add_router("/", agenda_meetings.router)
api.add_router("/", payments.router)
api.add_router("/", payments_rejects.router)


def _key(responses: dict[Any, Any], status: int) -> Any:
    return next(key for key in responses if int(key) == status)
