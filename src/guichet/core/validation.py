"""Field validation shared by every domain: collect problems, clean text and choices.

A service validates all of its input before writing anything and raises one
`ValidationFailed` with every problem at once, so the agent fixes the whole form in
one go (and bad input changes nothing). Each helper returns the cleaned value and
records a `FieldError` in `problems` when the value breaks a rule.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import FieldError, ValidationFailed


class Code(StrEnum):
    """Codes of the rules every domain shares (apps add their own codes)."""

    REQUIRED = "required"
    TOO_LONG = "too_long"
    INVALID_CHOICE = "invalid_choice"


NOTHING_SAVED = _("Some fields are not valid; nothing was saved.")


@dataclass
class Problems:
    """Collects field errors; `raise_if_any` raises them together."""

    errors: list[FieldError] = field(default_factory=list)
    message: str | Promise = NOTHING_SAVED

    def add(self, field_name: str, code: str, message: Any, **params: Any) -> None:
        self.errors.append(FieldError(field_name, code, message, params))

    def extend(self, errors: Sequence[FieldError]) -> None:
        self.errors.extend(errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.message, errors=self.errors)


def text(
    problems: Problems,
    field_name: str,
    value: object,
    *,
    required: bool,
    max_length: int,
    multiline: bool = False,
) -> str:
    """A text with its white space folded (kept inside lines when `multiline`)."""
    raw = "" if value is None else str(value)
    cleaned = raw.strip() if multiline else " ".join(raw.split())
    if required and not cleaned:
        problems.add(field_name, Code.REQUIRED, _("This field is required."))
    elif len(cleaned) > max_length:
        problems.add(
            field_name,
            Code.TOO_LONG,
            _("At most %(max)d characters (%(count)d given)."),
            max=max_length,
            count=len(cleaned),
        )
    return cleaned


def choice(
    problems: Problems,
    field_name: str,
    value: object,
    allowed: Sequence[str],
    *,
    required: bool = True,
) -> str | None:
    """One of `allowed`; an empty value is missing when `required`, else None."""
    if value is None or value == "":
        if required:
            problems.add(field_name, Code.REQUIRED, _("This field is required."))
        return None
    if not isinstance(value, str) or value not in allowed:
        problems.add(
            field_name,
            Code.INVALID_CHOICE,
            _("Choose one of: %(allowed)s."),
            allowed=", ".join(allowed),
        )
        return None
    return value


def parse_uuid(value: object) -> uuid_module.UUID | None:
    """The UUID that `value` spells, or None (a malformed id finds nothing)."""
    if isinstance(value, uuid_module.UUID):
        return value
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        return None
