"""Deadlines of a case type, in calendar or business days. Pure: no ORM.

A deadline is a date: the last day on which the thing is due. It counts from a
start date (the day the dossier was received, or the citizen was asked), the start
day itself not counted, as Belgian deadlines are counted (the day of the act that
starts a period is not part of it):

- **calendar days**: every day counts; **months** and **years** run "from date to
  date" (the unemployment file reaches the ONEM "dans le délai de deux mois ...
  calculé de date à date", docs/sources.md §7.4): 31 January plus one month is the last
  day of February;
- **business days**: only the days the team's business calendar is open count
  (`calendars.business_time.Calendar`: its opening weekdays, Belgian public
  holidays, the closing days an administrator adds).

A **suspension** (the clock stops, with a reason and an end: Open Zaak's
`opschorting`) is a span of days, first and last included, that does not count:
the deadline moves by the days of the span that fell before it. An **extension**
(once, by the case type's `extension`) counts from the deadline it extends.

Where the sources are silent, the choice made: a calendar-day deadline that ends on
a closed day stays there (no shift to the next working day: docs/sources.md gives no
rule for these procedures; a case type that needs one counts in business days).
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections.abc import Callable, Iterable

from guichet.calendars.business_time import Calendar

from .definition import Duration

ONE_DAY = dt.timedelta(days=1)
# A business-day count that finds no open day for this long gives up.
GIVE_UP_AFTER_DAYS = 3660

Suspension = tuple[dt.date, dt.date]  # first and last day, both included


class FigureNotSet(ValueError):
    """The case type leaves this figure to the service (`setting`); it has none."""


class NeverOpen(ValueError):
    """The calendar has no business day for ten years after the start."""


def is_business_day(day: dt.date, calendar: Calendar) -> bool:
    """Open at some time that day: an opening weekday that is not closed."""
    return bool(calendar.week[day.weekday()]) and not calendar.is_closed_on(day)


def _suspended(day: dt.date, suspensions: Iterable[Suspension]) -> bool:
    return any(first <= day <= last for first, last in suspensions)


def merge_suspensions(suspensions: Iterable[Suspension]) -> tuple[Suspension, ...]:
    """Sorted, with overlapping or touching spans joined (a day counts once)."""
    merged: list[Suspension] = []
    for first, last in sorted(suspensions):
        if last < first:
            raise ValueError(f"a suspension ends ({last}) before it starts ({first})")
        if merged and first <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return tuple(merged)


def add_months(day: dt.date, months: int) -> dt.date:
    """From date to date: the same day `months` later, or that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = month_calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def _count_days(
    start: dt.date,
    days: int,
    counts: Callable[[dt.date], bool],
    suspensions: tuple[Suspension, ...],
) -> dt.date:
    """The day on which the `days`-th counting day after `start` falls."""
    day, counted, idle = start, 0, 0
    while counted < days:
        day += ONE_DAY
        if _suspended(day, suspensions) or not counts(day):
            idle += 1
            if idle > GIVE_UP_AFTER_DAYS:
                raise NeverOpen(f"no counting day for ten years after {start}")
            continue
        idle = 0
        counted += 1
    return day


def deadline(
    start: dt.date,
    duration: Duration,
    calendar: Calendar,
    suspensions: Iterable[Suspension] = (),
) -> dt.date:
    """The last day of `duration` counted from `start` (not included).

    Business days are counted in `calendar`; calendar days, months and years
    ignore it. Suspended days do not count either way."""
    if duration.amount is None:
        raise FigureNotSet("the case type leaves this period to the service")
    if duration.amount < 0:
        raise ValueError("a period is never negative")
    stops = merge_suspensions(suspensions)
    if duration.counting == "business":
        if duration.unit != "days":
            raise ValueError("business time is counted in days")
        return _count_days(
            start, duration.amount, lambda day: is_business_day(day, calendar), stops
        )
    if duration.unit == "days":
        return _count_days(start, duration.amount, lambda day: True, stops)
    months = duration.amount * (12 if duration.unit == "years" else 1)
    due = add_months(start, months)
    # Each suspended day before the deadline pushes it one day further, and a
    # pushed deadline may reach further suspended days: repeat until it holds.
    while True:
        suspended = sum(
            (min(last, due) - max(first, start + ONE_DAY)).days + 1
            for first, last in stops
            if first <= due and last > start
        )
        moved = add_months(start, months) + dt.timedelta(days=suspended)
        if moved == due:
            return due
        due = moved


def extended(due: dt.date, extension: Duration, calendar: Calendar) -> dt.date:
    """The deadline `due` extended once by the case type's `extension`."""
    return deadline(due, extension, calendar)
