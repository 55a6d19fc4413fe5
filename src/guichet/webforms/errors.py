"""Stable error codes of the public web form."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from guichet.core.errors import GuichetError


class Code(StrEnum):
    REQUIRED = "required"
    CONSENT_REQUIRED = "consent_required"
    UNKNOWN_TOPIC = "unknown_topic"
    TOO_MANY_FILES = "too_many_files"
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE_REFUSED = "file_type_refused"
    FORM_CLOSED = "form_closed"


class FormClosed(GuichetError):
    """The form has no agent to act as (GUICHET_WEBFORMS_AGENT unknown or
    inactive): nothing can be registered."""

    status = 503
    default_code = Code.FORM_CLOSED

    def __init__(self) -> None:
        super().__init__(
            _("The form is not available at the moment. Please try again later.")
        )
