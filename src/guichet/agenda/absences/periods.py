"""Whole Brussels days as aware instants (pure: no database).

A whole day starts at midnight in Brussels and ends at the next midnight, so the
day the clocks go forward lasts 23 hours and the day they go back 25.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in Brussels, in UTC."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=BRUSSELS).astimezone(dt.UTC)


def days_span(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of `first` to the end of `last` (both included)."""
    return day_start(first), day_start(last + dt.timedelta(days=1))


def local(value: dt.datetime) -> dt.datetime:
    """`value` on the Brussels clock; a naive value is read as Brussels time."""
    if value.tzinfo is None:
        return value.replace(tzinfo=BRUSSELS)
    return value.astimezone(BRUSSELS)


def last_day(end: dt.datetime) -> dt.date:
    """The Brussels day of the last instant before `end` (end excluded)."""
    return (end - dt.timedelta(microseconds=1)).astimezone(BRUSSELS).date()
