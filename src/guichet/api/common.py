"""Helpers shared by the API modules: declared error responses, versions, pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ninja import Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from guichet.agents.models import Agent
from guichet.core.errors import PreconditionRequired

from .errors import Problem

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> object:
    """Only a date written YYYY-MM-DD: pydantic would also read a number (`0.0`,
    `1700000000`) as seconds since 1970, a date nobody meant."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_parsing", "Give a date as YYYY-MM-DD.")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
"""A date in a request: the text YYYY-MM-DD and nothing else."""


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
