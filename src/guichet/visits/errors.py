"""Errors of the counter's queue, with stable codes."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from guichet.core.errors import GuichetError


class Code(StrEnum):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    INVALID_CHOICE = "invalid_choice"
    CODE_TAKEN = "code_taken"
    PREFIX_TAKEN = "prefix_taken"
    NOT_A_LETTER = "not_a_letter"
    OTHER_SITE = "other_site"
    NOT_YOUR_TEAM = "not_your_team"
    NO_SUCH_SERVICE = "no_such_service"
    DAY_FULL = "day_full"
    TOO_MANY_TICKETS = "too_many_tickets"
    DESK_BUSY = "desk_busy"
    NOT_YOUR_DESK = "not_your_desk"
    NOT_CALLED = "not_called"


class TooManyTickets(GuichetError):
    """The kiosk of a site gave more tickets in the last minute than a waiting room
    takes: a script, most likely. Nothing is issued; the next minute works."""

    status: ClassVar[int] = 429
    default_code: ClassVar[str] = Code.TOO_MANY_TICKETS
