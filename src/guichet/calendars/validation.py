"""Reading a calendar's input: opening hours typed as text, time zones, and the
command line's instants and hour counts. Every problem is recorded in `Problems`
with a stable code and a translated message; nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from guichet.core.validation import Problems

from .business_time import Interval
from .errors import Code
from .models import WEEKDAY_FIELDS

# 9:00, 09:00, 9h00, 9h (Belgian usage writes 9h00); 24:00 only as a closing.
_TIME = re.compile(r"^(\d{1,2})(?:[:h.](\d{2})?)?$")
_DASH = re.compile(r"\s*[-\u2013\u2014]\s*")
_SEPARATORS = re.compile(r"[,;\s]+")
MAX_HOURS = Decimal(100_000)  # about fifty years of office hours


def _minutes(text: str) -> int | None:
    match = _TIME.match(text)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        return None
    return hour * 60 + minute


def format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_intervals(intervals: Sequence[Interval]) -> str:
    """The canonical text of a day's hours: `09:00-12:00, 13:00-17:00`."""
    return ", ".join(
        f"{format_minutes(start)}-{format_minutes(end)}" for start, end in intervals
    )


def parse_day_hours(text: str) -> tuple[Interval, ...]:
    """A day's intervals from canonical text (as stored: already checked)."""
    problems = Problems()
    intervals = day_hours(problems, "hours", text)
    if problems.errors:
        raise ValueError(problems.errors[0].text)
    return intervals


def day_hours(problems: Problems, field: str, text: str) -> tuple[Interval, ...]:
    """One weekday's opening hours: each interval well formed (opening before
    closing), in order of the day, neither overlapping nor touching the previous."""
    cleaned = _DASH.sub("-", (text or "").strip())
    if not cleaned:
        return ()
    intervals: list[Interval] = []
    for token in _SEPARATORS.split(cleaned):
        if not token:
            continue
        parts = token.split("-")
        start = _minutes(parts[0]) if len(parts) == 2 else None
        end = _minutes(parts[-1]) if len(parts) == 2 else None
        if start is None or end is None:
            problems.add(
                field,
                Code.INVALID_INTERVAL,
                _("“%(interval)s” is not an interval such as 09:00-12:00."),
                interval=token,
            )
            return ()
        if start >= end:
            problems.add(
                field,
                Code.INTERVAL_REVERSED,
                _("In %(interval)s the opening must come before the closing."),
                interval=token,
            )
            return ()
        if intervals and start < intervals[-1][0]:
            problems.add(
                field,
                Code.INTERVALS_UNORDERED,
                _(
                    "Give the intervals in the order of the day: %(interval)s comes too late."
                ),
                interval=token,
            )
            return ()
        if intervals and start <= intervals[-1][1]:
            problems.add(
                field,
                Code.INTERVALS_OVERLAP,
                _(
                    "%(interval)s overlaps or touches the interval before it; "
                    "join them into one."
                ),
                interval=token,
            )
            return ()
        intervals.append((start, end))
    return tuple(intervals)


def weekly_hours(
    problems: Problems, values: Sequence[str]
) -> tuple[tuple[Interval, ...], ...]:
    """The seven weekdays' hours (Monday first); at least one day must open."""
    before = len(problems.errors)
    week = tuple(
        day_hours(problems, field, value)
        for field, value in zip(WEEKDAY_FIELDS, values, strict=True)
    )
    if len(problems.errors) == before and not any(week):
        problems.add(
            WEEKDAY_FIELDS[0],
            Code.NEVER_OPEN,
            _("Give the opening hours of at least one day of the week."),
        )
    return week


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone(problems: Problems, field: str, value: str) -> str:
    name = (value or "").strip()
    if name not in _known_zones():
        problems.add(
            field,
            Code.UNKNOWN_TIME_ZONE,
            _("“%(zone)s” is not a known time zone (such as Europe/Brussels)."),
            zone=name,
        )
    return name


# The command line's input


def instant(problems: Problems, field: str, text: str) -> dt.datetime | None:
    """An ISO 8601 instant with its UTC offset (or Z). Without an offset it is
    refused: a deadline must not depend on the zone a script happens to assume."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        problems.add(
            field,
            Code.INVALID_DATETIME,
            _("“%(value)s” is not an ISO 8601 date and time (2026-12-24T16:00+01:00)."),
            value=text,
        )
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        problems.add(
            field,
            Code.MISSING_OFFSET,
            _(
                "“%(value)s” has no UTC offset: add one (+01:00, +02:00 or Z), "
                "the deadline depends on it."
            ),
            value=text,
        )
        return None
    return value


def hours(problems: Problems, field: str, text: str) -> Decimal | None:
    """A number of business hours: an integer or a decimal, not negative."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        problems.add(
            field,
            Code.INVALID_HOURS,
            _("“%(value)s” is not a number of hours (such as 8 or 1.5)."),
            value=text,
        )
        return None
    if value < 0:
        problems.add(
            field,
            Code.NEGATIVE_HOURS,
            _("The number of hours cannot be negative (%(value)s)."),
            value=text,
        )
        return None
    if value > MAX_HOURS:
        problems.add(
            field,
            Code.HOURS_TOO_LARGE,
            _("At most %(max)s hours."),
            max=str(MAX_HOURS),
        )
        return None
    return value


def pause(
    problems: Problems, field: str, text: str
) -> tuple[dt.datetime, dt.datetime] | None:
    """A pause written START/END, two ISO 8601 instants; it may not end before it
    starts (an empty pause changes nothing)."""
    parts = text.split("/")
    if len(parts) != 2:
        problems.add(
            field,
            Code.INVALID_PAUSE,
            _("“%(value)s” is not a pause START/END of two ISO 8601 instants."),
            value=text,
        )
        return None
    start = instant(problems, field, parts[0])
    end = instant(problems, field, parts[1])
    if start is None or end is None:
        return None
    if end < start:
        problems.add(
            field,
            Code.PAUSE_ORDER,
            _("The pause %(value)s ends before it starts."),
            value=text,
        )
        return None
    return start, end
