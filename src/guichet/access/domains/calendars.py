"""Business calendars: opening hours, closing days, the calendar of each team.

Calendars are reference data: administrators keep them (as they keep teams and
letter types, `administration.REFERENCE_MANAGE`), through the Django admin. They
hold no citizen data, and every agent counts deadlines in them, so every role may
read them.
"""

from __future__ import annotations

from enum import StrEnum

from .base import Grant, Kind, R, grant


class Action(StrEnum):
    CALENDAR_VIEW = "calendar.view"
    CALENDAR_MANAGE = "calendar.manage"


GRANTS: dict[str, Grant] = {
    Action.CALENDAR_VIEW: grant(*R.values),
    Action.CALENDAR_MANAGE: grant(R.ADMIN),
}

KINDS: dict[str, Kind] = {}

# Django admin's model permissions for the calendars administrators keep.
ADMIN_MODELS: dict[str, str] = {
    "calendars.businesscalendar": Action.CALENDAR_MANAGE,
    "calendars.closingday": Action.CALENDAR_MANAGE,
    "calendars.teamcalendar": Action.CALENDAR_MANAGE,
}
