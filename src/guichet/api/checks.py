"""Identifier and zone checks over HTTP: `POST /api/v1/checks/{kind}`.

The answer is the one the command line prints (`guichet check KIND VALUE... --json`):
`CheckResult.as_dict()`, with messages in the caller's language. An invalid value is
a normal answer (200, `valid: false`); only a malformed request is an error.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest

from ninja import Field, Router, Schema
from pydantic import ConfigDict

from guichet.checks.kinds import KINDS
from guichet.documents import selectors

from .common import IsoDate, actor, responses

router = Router(tags=["checks"])

Value = Annotated[str, Field(min_length=1, max_length=400)]


class CheckIn(Schema):
    model_config = ConfigDict(extra="forbid")

    value: Value | Annotated[list[Value], Field(min_length=1, max_length=3)] = Field(
        description=(
            "The value to check. For `mrz`, the lines of the zone as a list (or one "
            "text with a line break between lines); for the other kinds, one text "
            "(a list is read as its parts typed with spaces)."
        )
    )
    on: IsoDate | None = Field(
        None,
        description="Reference date for two-digit years and expiry (default: today).",
    )


class CheckErrorOut(Schema):
    code: str = Field(description="Stable code of the rule.")
    field: str | None = Field(
        description="The part of the value the rule is about, or null for all of it."
    )
    message: str


class CheckOut(Schema):
    kind: str
    valid: bool
    normalized: str
    errors: list[CheckErrorOut]
    warnings: list[CheckErrorOut]
    fields: dict[str, Any] = Field(
        description="What was read from the value (mrz: names, dates, expired...)."
    )


@router.post(
    "/checks/{kind}",
    response=responses({200: CheckOut}, 403, 404),
    summary="Check an identifier or a machine-readable zone",
    description=(
        f"`kind` is one of {', '.join(KINDS)}. An unknown kind is a 404 problem with "
        "code `unknown_check`. A value that breaks a rule is a 200 answer with "
        "`valid: false` and the coded errors."
    ),
)
def check_run(request: HttpRequest, kind: str, payload: CheckIn) -> Any:
    values = [payload.value] if isinstance(payload.value, str) else payload.value
    result = selectors.check_run(
        agent=actor(request), kind=kind, values=values, on=payload.on
    )
    return result.as_dict()
