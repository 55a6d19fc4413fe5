"""Errors of correspondence, with stable codes."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from guichet.core.errors import Conflict, FieldError, ValidationFailed


class Code(StrEnum):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    INVALID_CHOICE = "invalid_choice"
    UNKNOWN_LETTER_TYPE = "unknown_letter_type"
    NO_TEMPLATE_IN_LANGUAGE = "no_template_in_language"
    NO_LETTERHEAD = "no_letterhead"
    NOT_YOUR_TEAM = "not_your_team"
    MISSING_VALUE = "missing_value"
    TEMPLATE_SYNTAX = "template_syntax"
    UNKNOWN_PLACEHOLDER = "unknown_placeholder"
    UNKNOWN_FREE_FIELD = "unknown_free_field"
    INVALID_VALUE = "invalid_value"
    INVALID_DECLARATION = "invalid_declaration"
    WRONG_STATE = "wrong_state"
    OWN_LETTER = "own_letter"
    EDIT_ABOVE_LEVEL = "edit_above_level"
    NO_EMAIL = "no_email"
    INVALID_EMAIL = "invalid_email"
    ADDRESS_NOT_ON_RECORD = "address_not_on_record"
    ALREADY_DISPATCHED = "already_dispatched"
    INVALID_FILE = "invalid_file"
    FILE_TOO_LARGE = "file_too_large"
    DATE_IN_FUTURE = "date_in_future"
    INVALID_OWNER = "invalid_owner"
    NOTHING_TO_PRINT = "nothing_to_print"
    INVALID_QUERY = "invalid_query"
    INVALID_REFERENCE = "invalid_reference"


class WrongState(Conflict):
    """The letter (or mail) is not in a state that allows this action."""

    default_code = Code.WRONG_STATE


def missing_values(names: Iterable[str]) -> ValidationFailed:
    """The letter would have a hole: one field error per placeholder without value."""
    listed = list(dict.fromkeys(names))
    return ValidationFailed(
        _(
            "These placeholders have no value, so the letter cannot be written: %(names)s. "
            "Fill in the free fields or complete the person's data; nothing was saved."
        ),
        code=Code.MISSING_VALUE,
        params={"names": ", ".join(listed)},
        errors=[
            FieldError(
                name,
                Code.MISSING_VALUE,
                _("No value for %(name)s."),
                {"name": name},
            )
            for name in listed
        ],
    )
