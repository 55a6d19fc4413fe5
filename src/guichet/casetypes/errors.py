"""Errors of the casetypes app, with stable codes.

A case-type file is refused with every problem found, each naming the file, the
line and the reason (`loader.LoadProblem`); the codes below are what scripts and
tests compare, the messages are translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.core.errors import NotFound, ValidationFailed


class Code(StrEnum):
    # Reading the file
    NOT_TEXT = "not_text"
    YAML_SYNTAX = "yaml_syntax"
    DUPLICATE_KEY = "duplicate_key"
    # The JSON Schema (casetypes/data/casetype.schema.json)
    REQUIRED = "required"
    UNEXPECTED = "unexpected"
    WRONG_TYPE = "wrong_type"
    NOT_ALLOWED = "not_allowed"
    INVALID_VALUE = "invalid_value"
    # The meaning
    DUPLICATE_CODE = "duplicate_code"
    UNKNOWN_STATUS = "unknown_status"
    UNKNOWN_GUARD = "unknown_guard"
    UNKNOWN_EFFECT = "unknown_effect"
    UNKNOWN_LETTER = "unknown_letter"
    UNKNOWN_ROLE = "unknown_role"
    UNKNOWN_LEVEL = "unknown_level"
    UNKNOWN_CHECK = "unknown_check"
    UNKNOWN_DOCUMENT = "unknown_document"
    UNKNOWN_TEAM = "unknown_team"
    NO_INITIAL_STATUS = "no_initial_status"
    SEVERAL_INITIAL_STATUSES = "several_initial_statuses"
    NO_FINAL_STATUS = "no_final_status"
    UNREACHABLE_STATUS = "unreachable_status"
    DEAD_END = "dead_end"
    FINAL_HAS_EXIT = "final_has_exit"
    INVALID_DATE = "invalid_date"
    UNITS_NOT_COUNTABLE = "units_not_countable"
    # Importing
    VALID_FROM_BEFORE_LATEST = "valid_from_before_latest"
    UNKNOWN_CASE_TYPE = "unknown_case_type"
    NO_VERSION_IN_FORCE = "no_version_in_force"
    FIGURE_NOT_SET = "figure_not_set"


class CaseTypeInvalid(ValidationFailed):
    """A case-type file breaks the schema or a rule; nothing was imported.

    `problems` lists every `loader.LoadProblem` (file, line, code, message)."""

    default_code = "casetype_invalid"

    def __init__(self, problems: Sequence[Any]) -> None:
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(
            _("%(file)s, line %(line)s: %(reason)s"),
            params={"file": first.file, "line": first.line, "reason": first.text},
            extra={"problems": [problem.as_dict() for problem in self.problems]},
        )


class UnknownCaseType(NotFound):
    default_code = Code.UNKNOWN_CASE_TYPE


class NoVersionInForce(NotFound):
    default_code = Code.NO_VERSION_IN_FORCE
