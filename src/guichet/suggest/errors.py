"""Errors of the suggest app, with stable codes.

A data file or a model file that cannot be used is refused with one of the codes
below (what scripts and tests compare), the file, the line when there is one, and a
translated message; the command line exits 2 on any of them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.functional import Promise

from guichet.core.errors import ValidationFailed


class Code(StrEnum):
    # Reading a data file
    UNREADABLE = "unreadable"
    NOT_UTF8 = "not_utf8"
    EMPTY = "empty"
    BAD_JSON = "bad_json"
    NOT_AN_OBJECT = "not_an_object"
    MISSING_COLUMN = "missing_column"
    MISSING_FIELD = "missing_field"
    WRONG_TYPE = "wrong_type"
    BAD_CSV = "bad_csv"
    # Training
    TOO_FEW_LABELS = "too_few_labels"
    # Reading a model file
    MODEL_UNREADABLE = "model_unreadable"
    MODEL_INVALID = "model_invalid"
    MODEL_VERSION = "model_version"


class SuggestInputInvalid(ValidationFailed):
    """A data or model file cannot be used; nothing was trained or written."""

    default_code = "invalid_input"

    def __init__(
        self,
        code: Code,
        message: str | Promise,
        *,
        file: str = "",
        line: int | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
        self.file = file
        self.line = line

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.text,
            "file": self.file or None,
            "line": self.line,
        }
