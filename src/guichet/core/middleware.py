"""Request-wide middleware: the client's address behind our proxies, request ids for logs, the agent's own language, the
Permissions-Policy header, no caching of what the application answers."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from .addresses import client_address
from .logging import request_id_var

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class ClientAddressMiddleware:
    """Put the client's address in `REMOTE_ADDR` when the connection comes from one
    of settings.TRUSTED_PROXIES (core/addresses.py says how it is read). With no
    trusted proxy, the header is ignored: a client cannot choose its address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = tuple(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.trusted:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""),
                request.META.get("HTTP_X_FORWARDED_FOR", ""),
                self.trusted,
            )
        return self.get_response(request)


class RequestIdMiddleware:
    """Tag every log record of a request with an id, echoed in `X-Request-Id`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-Id"] = request_id
        return response


class AgentLanguageMiddleware:
    """Use the language the agent chose in their profile, over the browser's.

    Placed after the authentication middleware. A request may still ask for another
    language explicitly with `?lang=` (the language switch sets the profile instead).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = (
            getattr(user, "language", "")
            if user is not None and user.is_authenticated
            else ""
        )
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


def permissions_policy(features: dict[str, list[str]]) -> str:
    """The header's value: `camera=()` denies a feature, `fullscreen=(self)` keeps
    it to the page's own origin."""
    return ", ".join(
        f"{feature}=({' '.join(origins)})" for feature, origins in features.items()
    )


class PermissionsPolicyMiddleware:
    """Send `Permissions-Policy` (settings.PERMISSIONS_POLICY) on every response, so
    no page, and nothing injected into one, may use the camera, the microphone, the
    location and the like."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.value = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response


class NoStoreMiddleware:
    """Tell every cache not to keep what the application answers (`no-store`).

    Pages, API answers and downloads carry personal data (the 360° view, a
    document, `GET /api/v1/persons/{id}`); telling apart the few that do not is a
    risk not worth taking, so every response gets `Cache-Control: no-store` unless
    its view chose a header itself. Placed after WhiteNoise, which answers static
    files before this runs: they keep their long-lived caching (issue #12).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
