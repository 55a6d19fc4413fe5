"""Stable error codes of the telephony hook (the webhook returns them)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from guichet.core.errors import Conflict, GuichetError, ValidationFailed


class Code(StrEnum):
    MALFORMED = "malformed"
    UNKNOWN_AGENT = "unknown_agent"
    REPLAYED = "replayed"
    INVALID_TIME = "invalid_time"
    INVALID_PHONE = "invalid_phone"
    NOT_YOUR_CALL = "not_your_call"
    ALREADY_REGISTERED = "already_registered"


class Unauthenticated(GuichetError):
    """The request is not signed by the telephone system (or not in time)."""

    status = 401
    default_code = "signature_invalid"


class Replayed(Conflict):
    """This event (its id or its signed bytes) was accepted before."""

    default_code = Code.REPLAYED

    def __init__(self) -> None:
        super().__init__(
            _("This event was already received; it is not applied twice."),
            code=Code.REPLAYED,
        )


class UnknownAgent(ValidationFailed):
    """The agent named by the telephone system is not an active agent here."""

    default_code = Code.UNKNOWN_AGENT
