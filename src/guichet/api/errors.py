"""Every API error as RFC 9457 problem details, in the caller's language.

Body: `type` (a URN naming the stable code), `title`, `status`, `detail`, `code`,
and for invalid input `errors`: one entry per field with its own code and message.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from guichet.core.errors import GuichetError

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemField(Schema):
    field: str
    code: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[ProblemField] = []
    candidates: list[str] | None = None
    current_version: int | None = None
    merged_into: str | None = None


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Authentication required"),
        403: _("Forbidden"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        412: _("Precondition failed"),
        413: _("Content too large"),
        422: _("Invalid input"),
        428: _("Precondition required"),
        429: _("Too many requests"),
        500: _("Internal error"),
    }


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"urn:guichet:problem:{code}",
        "title": _titles().get(status, _("Error")),
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or [],
    }
    body.update(extra or {})
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def _field_name(location: list[Any]) -> str:
    # ninja locations look like ["body", "payload", "phones", 0, "number"], or
    # ["form", "document_type"] and ["file", "file"] for multipart uploads: the
    # first part says where the value came from, not which field it is.
    parts = [str(part) for part in location]
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    name = ""
    for part in parts:
        name += f"[{part}]" if part.isdigit() else (f".{part}" if name else part)
    return name or "body"


def install(api: NinjaAPI) -> None:
    """Register the exception handlers that turn every error into a problem."""

    def on_guichet_error(request: HttpRequest, exc: GuichetError) -> HttpResponse:
        extra = {
            key: value
            for key, value in exc.extra.items()
            if key in {"candidates", "current_version", "merged_into"}
        }
        return problem(
            api,
            request,
            status=exc.status,
            code=exc.code,
            detail=exc.text,
            errors=[error.as_dict() for error in exc.errors],
            extra=extra,
        )

    def on_validation_error(
        request: HttpRequest, exc: NinjaValidationError
    ) -> HttpResponse:
        errors = [
            {
                "field": _field_name(list(error.get("loc", []))),
                "code": str(error.get("type", "invalid")),
                "message": _translate_pydantic(error),
            }
            for error in exc.errors
        ]
        return problem(
            api,
            request,
            status=422,
            code="invalid",
            detail=_("Some fields are not valid; nothing was saved."),
            errors=errors,
        )

    def on_authentication_error(
        request: HttpRequest, exc: AuthenticationError
    ) -> HttpResponse:
        response = problem(
            api,
            request,
            status=401,
            code="authentication_required",
            detail=_(
                "Log in, or send a valid API token as 'Authorization: Bearer <token>'."
            ),
        )
        response["WWW-Authenticate"] = 'Bearer realm="guichet"'
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        # ninja turns whatever its body parser raises into a 400: keep the cause.
        if isinstance(exc.__cause__, GuichetError):
            return on_guichet_error(request, exc.__cause__)
        if isinstance(exc.__cause__, RequestDataTooBig):
            return on_too_large(request, exc.__cause__)
        if status == 403 and "csrf" in str(exc).lower():
            return problem(
                api,
                request,
                status=403,
                code="csrf_failed",
                detail=_("The CSRF token is missing or wrong; reload the page."),
            )
        if status == 400:
            return problem(
                api,
                request,
                status=400,
                code="malformed",
                detail=_("The request body is not valid JSON."),
            )
        return problem(
            api, request, status=status, code=f"http_{status}", detail=str(exc)
        )

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(
            api, request, status=404, code="not_found", detail=_("Not found.")
        )

    def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem(
            api,
            request,
            status=413,
            code="too_large",
            detail=_("The request body is too large (at most %(size)s MB).")
            % {"size": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_048_576:g}"},
        )

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.error("Unexpected error in the API", exc_info=exc)
        return problem(
            api,
            request,
            status=500,
            code="internal",
            detail=_(
                "Something went wrong on our side; nothing was saved. The error has been logged."
            ),
        )

    api.add_exception_handler(GuichetError, on_guichet_error)  # type: ignore[arg-type]  # ninja types handlers loosely
    api.add_exception_handler(NinjaValidationError, on_validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, on_authentication_error)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, on_not_found)  # type: ignore[arg-type]
    api.add_exception_handler(RequestDataTooBig, on_too_large)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, on_unexpected)


def _translate_pydantic(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    messages = {
        "missing": _("This field is required."),
        "date_from_datetime_parsing": _("Give a date as YYYY-MM-DD."),
        "date_parsing": _("Give a date as YYYY-MM-DD."),
        "date_type": _("Give a date as YYYY-MM-DD."),
        "string_type": _("Give a text value."),
        "bool_type": _("Give true or false."),
        "bool_parsing": _("Give true or false."),
        "int_type": _("Give a whole number."),
        "int_parsing": _("Give a whole number."),
        "literal_error": _("This value is not one of the allowed choices."),
        "uuid_parsing": _("Give an identifier as returned by the API (a UUID)."),
        "uuid_type": _("Give an identifier as returned by the API (a UUID)."),
        "greater_than_equal": _("This number is too small."),
        "less_than_equal": _("This number is too large."),
        "string_too_long": _("This text is too long."),
        "extra_forbidden": _("This field is not allowed here."),
        "list_type": _("Give a list."),
        "model_attributes_type": _("Give an object."),
        "dict_type": _("Give an object."),
        "json_invalid": _("The request body is not valid JSON."),
        "decimal_parsing": _("Give an amount such as 1234.56."),
        "decimal_type": _("Give an amount such as 1234.56."),
        "decimal_max_places": _("At most two decimals."),
    }
    return str(messages.get(kind, _("This value is not valid.")))
