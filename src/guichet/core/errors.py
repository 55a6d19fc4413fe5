"""Errors of the domain, with stable codes and translated messages.

A service raises a `GuichetError` subclass; the API and the UI turn it into a
response in one place each (`api/errors.py`, `ui/errors.py`). The message is a lazy
translation with named parameters, rendered in the language active when the
response is written, so the caller reads it in their own language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.functional import Promise


def render(message: str | Promise, params: Mapping[str, Any]) -> str:
    text = str(message)
    return text % dict(params) if params else text


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field: which field, which rule, what to tell."""

    field: str
    code: str
    message: str | Promise
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def text(self) -> str:
        return render(self.message, self.params)

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.text}


class GuichetError(Exception):
    """Base of every error a caller may see. `code` is stable; the message is not."""

    status: ClassVar[int] = 400
    default_code: ClassVar[str] = "error"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
        errors: Sequence[FieldError] = (),
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.message = message
        self.code = code or self.default_code
        self.params = dict(params or {})
        self.errors = list(errors)
        self.extra = dict(extra or {})
        super().__init__(self.code)

    @property
    def text(self) -> str:
        return render(self.message, self.params)

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"


class ValidationFailed(GuichetError):
    """The input breaks one or more rules; nothing was written."""

    status = 422
    default_code = "invalid"


class NotFound(GuichetError):
    """The object does not exist, or the agent may not see it (callers cannot tell)."""

    status = 404
    default_code = "not_found"


class Forbidden(GuichetError):
    """The agent sees the object but may not do this action on it."""

    status = 403
    default_code = "forbidden"


class Conflict(GuichetError):
    """The record changed since the caller read it, or the action clashes with its state."""

    status = 409
    default_code = "conflict"


class StaleVersion(Conflict):
    """The caller's version is not the current one: someone else edited the record."""

    status = 412
    default_code = "stale_version"


class PreconditionRequired(GuichetError):
    """An edit came without the version it was based on."""

    status = 428
    default_code = "version_required"
