"""The telephony hook: POST /api/telephony/events (docs/telephony.md).

A thin Django view rather than a django-ninja operation: the telephone system is
not an agent, carries no bearer token or session, and its request is verified
over the exact bytes of its body, before anything parses them. It is exempt from
CSRF because, and only because, every request must carry an HMAC-SHA256 signature
under a secret shared with the telephone system (`signing.check`); an unsigned,
wrongly signed or stale request is refused before the body is read as JSON.
Errors are RFC 9457 problems, in the same shape as the API's (`api/errors.py`).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from guichet.core import clock
from guichet.core.errors import GuichetError
from guichet.telephony import services
from guichet.telephony.errors import Code
from guichet.telephony.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Refusal,
    check,
)

from .errors import PROBLEM_CONTENT_TYPE


def _problem(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"urn:guichet:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or [],
    }
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def _refused(refusal: Refusal) -> HttpResponse:
    details = {
        Refusal.NOT_CONFIGURED: _(
            "The telephony hook is not configured (GUICHET_TELEPHONY_SECRETS)."
        ),
        Refusal.MISSING: _(
            "Sign the request: X-Guichet-Timestamp and X-Guichet-Signature are required."
        ),
        Refusal.BAD_TIMESTAMP: _(
            "X-Guichet-Timestamp must be the Unix time in seconds, in digits."
        ),
        Refusal.OUTSIDE_WINDOW: _(
            "The request was signed too long ago or in the future; check the clocks."
        ),
        Refusal.BAD_SIGNATURE: _("The signature does not match the request."),
    }
    status = 503 if refusal == Refusal.NOT_CONFIGURED else 401
    response = _problem(
        status=status,
        code=refusal,
        title=_("Authentication required")
        if status == 401
        else _("Service unavailable"),
        detail=details[refusal],
    )
    if status == 401:
        response["WWW-Authenticate"] = 'HMAC-SHA256 realm="guichet-telephony"'
    return response


@csrf_exempt  # the HMAC signature authenticates every request: see the docstring
@require_POST
def telephony_events(request: HttpRequest) -> HttpResponse:
    try:
        body = request.body
    except RequestDataTooBig:
        return _problem(
            status=413,
            code="too_large",
            title=_("Content too large"),
            detail=_("The request body is too large (at most %(size)s MB).")
            % {"size": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_048_576:g}"},
        )
    signature = request.headers.get(SIGNATURE_HEADER)
    refusal = check(
        secrets=settings.TELEPHONY_SECRETS,
        timestamp=request.headers.get(TIMESTAMP_HEADER),
        signature=signature,
        body=body,
        now=clock.now().timestamp(),
        tolerance=settings.TELEPHONY_TOLERANCE_SECONDS,
    )
    if refusal is not None:
        return _refused(refusal)
    assert signature is not None  # noqa: S101 - check refuses a missing one
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return _problem(
            status=400,
            code=Code.MALFORMED,
            title=_("Bad request"),
            detail=_("The request body is not valid JSON."),
        )
    try:
        event = services.call_event_receive(
            payload=payload, signature=signature.strip()
        )
    except GuichetError as error:
        return _problem(
            status=error.status,
            code=error.code,
            title=_("Conflict") if error.status == 409 else _("Invalid input"),
            detail=error.text,
            errors=[item.as_dict() for item in error.errors],
        )
    return JsonResponse(
        {
            "event_id": event.event_id,
            "call_id": event.call.call_id,
            "event": event.kind,
            "call": str(event.call.uuid),
        },
        status=201,
    )
