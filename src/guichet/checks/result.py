"""The result of a check: valid or not, the normalised value, errors and fields read.

Every check function of this app returns a `CheckResult`. Its `as_dict()` is the one
shape shared by the command line (`guichet check KIND VALUE... --json`), the API
(`POST /api/v1/checks/{kind}`) and the verification records of documents:

    {"kind", "valid", "normalized",
     "errors": [{"code", "field", "message"}], "warnings": [...], "fields": {...}}

`code` is stable (scripts and tests rely on it); `field` names the part of the value
the rule is about (for a machine-readable zone: `birth_date`, `composite`, ...), or
is null when the rule is about the whole value; `message` is in the active language.

A result kept for later (a document's verification) is stored with `as_stored()`:
each error also keeps its untranslated message and parameters, so that
`rendered()` shows it in the language of whoever reads it, not the language the
check ran in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext

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

    def as_stored(self) -> dict[str, Any]:
        """`as_dict()` plus what renders the message again in another language."""
        return {
            **self.as_dict(),
            "message_id": message_id(self.message),
            "params": {
                name: {"translate": message_id(value)}
                if isinstance(value, Promise)
                else jsonable(value)
                for name, value in self.params.items()
            },
        }


def message_id(message: str | Promise) -> str:
    """The untranslated text of a lazy translation (its msgid), else the text.

    Django's lazy proxy keeps the arguments it will call `gettext` with.
    """
    args = getattr(message, "_args", None)
    if isinstance(message, Promise) and args and isinstance(args[0], str):
        return args[0]
    return str(message)


def rendered(item: Mapping[str, Any]) -> dict[str, str | None]:
    """A stored error or warning (`as_stored()`), its message in the active language.

    Items stored before messages were kept untranslated show their stored text.
    """
    message = str(item.get("message", ""))
    if item.get("message_id"):
        params = {
            name: gettext(value["translate"])
            if isinstance(value, Mapping) and "translate" in value
            else value
            for name, value in (item.get("params") or {}).items()
        }
        try:
            message = (
                gettext(item["message_id"]) % params
                if params
                else gettext(item["message_id"])
            )
        except (KeyError, TypeError, ValueError):
            # A message whose placeholders changed since it was stored.
            message = str(item.get("message", ""))
    return {
        "code": str(item.get("code", "")),
        "field": item.get("field") or None,
        "message": message,
    }


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

    def as_stored(self) -> dict[str, Any]:
        """`as_dict()` with errors and warnings that render in any language."""
        return {
            **self.as_dict(),
            "errors": [error.as_stored() for error in self.errors],
            "warnings": [warning.as_stored() for warning in self.warnings],
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
