"""The result of a check: valid or not, the normalised value, errors and fields read.

Every check function of this app returns a `CheckResult`. Its `as_dict()` is the one
shape shared by the command line (`guichet check KIND VALUE... --json`), the API
(`POST /api/v1/checks/{kind}`) and the verification records of documents:

    {"kind", "valid", "normalized",
     "errors": [{"code", "field", "message"}], "warnings": [...], "fields": {...}}

`code` is stable (scripts and tests rely on it); `field` names the part of the value
the rule is about (for a machine-readable zone: `birth_date`, `composite`, ...), or
is null when the rule is about the whole value; `message` is in the active language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from guichet.core.errors import render
from guichet.core.serialization import jsonable


@dataclass(frozen=True)
class CheckError:
    """One rule the value breaks (or, as a warning, one thing worth a second look).

    `code` is stable; `message` is translated lazily and rendered with `params` in
    the language active when the result is shown.
    """

    code: str
    message: str | Promise
    params: dict[str, Any] = field(default_factory=dict)
    field: str = ""

    @property
    def text(self) -> str:
        return render(self.message, self.params)

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "field": self.field or None, "message": self.text}


@dataclass(frozen=True)
class CheckResult:
    kind: str
    valid: bool
    normalized: str
    errors: tuple[CheckError, ...] = ()
    warnings: tuple[CheckError, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "valid": self.valid,
            "normalized": self.normalized,
            "errors": [error.as_dict() for error in self.errors],
            "warnings": [warning.as_dict() for warning in self.warnings],
            "fields": jsonable(dict(self.fields)),
        }


def refused(
    kind: str, value: str, *errors: CheckError, fields: dict[str, Any] | None = None
) -> CheckResult:
    return CheckResult(
        kind=kind,
        valid=False,
        normalized=value,
        errors=tuple(errors),
        fields=fields or {},
    )


def concluded(
    kind: str,
    value: str,
    *,
    errors: list[CheckError],
    warnings: list[CheckError] | None = None,
    fields: dict[str, Any] | None = None,
) -> CheckResult:
    """A result that is valid exactly when no rule was broken."""
    return CheckResult(
        kind=kind,
        valid=not errors,
        normalized=value,
        errors=tuple(errors),
        warnings=tuple(warnings or ()),
        fields=fields or {},
    )
