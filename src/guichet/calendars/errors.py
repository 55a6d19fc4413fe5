"""Errors of the calendars app, with stable codes."""

from __future__ import annotations

from enum import StrEnum

from guichet.core.errors import Conflict, NotFound


class Code(StrEnum):
    # Opening hours and calendars (the admin, the services)
    INVALID_INTERVAL = "invalid_interval"
    INTERVAL_REVERSED = "interval_reversed"
    INTERVALS_UNORDERED = "intervals_unordered"
    INTERVALS_OVERLAP = "intervals_overlap"
    NEVER_OPEN = "never_open"
    UNKNOWN_TIME_ZONE = "unknown_time_zone"
    INVALID_CODE = "invalid_code"
    CODE_EXISTS = "code_exists"
    CLOSING_DAY_EXISTS = "closing_day_exists"
    DEFAULT_CALENDAR = "default_calendar"
    CALENDAR_IN_USE = "calendar_in_use"
    UNKNOWN_CALENDAR = "unknown_calendar"
    # The command line's input
    INVALID_DATETIME = "invalid_datetime"
    MISSING_OFFSET = "missing_offset"
    INVALID_HOURS = "invalid_hours"
    NEGATIVE_HOURS = "negative_hours"
    HOURS_TOO_LARGE = "hours_too_large"
    INVALID_PAUSE = "invalid_pause"
    PAUSE_ORDER = "pause_order"
    OUT_OF_RANGE = "out_of_range"
    DATABASE_NOT_READY = "database_not_ready"
    DATABASE_UNAVAILABLE = "database_unavailable"


class UnknownCalendar(NotFound):
    default_code = Code.UNKNOWN_CALENDAR


class CalendarInUse(Conflict):
    """A calendar teams count in, or the default one, cannot be removed."""

    default_code = Code.CALENDAR_IN_USE
