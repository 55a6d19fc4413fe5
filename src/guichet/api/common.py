"""Helpers shared by the API modules: declared error responses, versions, pages."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ninja import Schema

from guichet.agents.models import Agent
from guichet.core.errors import PreconditionRequired

from .errors import Problem

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The operation's responses: its success bodies and every error it can return.

    400 (malformed body), 401 (not authenticated) and 422 (invalid input) can come
    from any operation; the others are listed per operation.
    """
    declared: dict[int, Any] = dict(ok)
    for status in {400, 401, 422, *errors}:
        declared[status] = Problem
    return declared


def expected_version(request: HttpRequest) -> int:
    """The version the caller edited, from `If-Match: "<version>"` (required)."""
    header = request.headers.get("If-Match", "")
    match = _ETAG.match(header)
    if not match:
        raise PreconditionRequired(
            _(
                "Send the version you edited in an If-Match header (the ETag of your last read)."
            ),
        )
    return int(match.group(1))


def actor(request: HttpRequest) -> Agent:
    """The authenticated agent, as ninja's authentication left it on the request."""
    agent = request.auth  # type: ignore[attr-defined]  # set by ninja after authentication
    if not isinstance(agent, Agent):  # pragma: no cover - every operation authenticates
        raise TypeError("this operation needs an authenticated agent")
    return agent


def set_etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


class PageOut(Schema):
    page: int
    page_size: int
    has_next: bool
