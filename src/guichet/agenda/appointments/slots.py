"""The slots of an offer: pure arithmetic, no database.

An offer has weekly hours in wall-clock time (Europe/Brussels, the team's
calendar's zone) and a slot length. A day's slots start at each opening and follow
one another while a whole slot fits before the closing. Times are wall-clock: on
the last Sunday of March a 09:00 slot is at 07:00 UTC, the day before at 08:00 UTC.
A wall-clock time the clocks skip (02:00-03:00 in spring) has no slot; one they
pass twice (02:00-03:00 in autumn) has one, at its first occurrence. A slot lasts
its length in real time. The team's
business calendar closes whole days (public holidays, its extra closing days).

`where` explains why an instant is not a slot of an offer, for the services'
refusals, in the order an agent would look: a closed day, outside the hours, then
off the grid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from guichet.calendars import business_time
from guichet.calendars.validation import parse_day_hours

Interval = tuple[int, int]  # minutes of a day, start included, end excluded
UTC = dt.UTC


@dataclass(frozen=True)
class Week:
    """An offer's weekly hours (seven days, Monday first) and slot length."""

    hours: tuple[tuple[Interval, ...], ...]
    slot_minutes: int


def week_of(weekly_hours: list[str], slot_minutes: int) -> Week:
    """The week of an offer from its stored hours (already checked), Monday first."""
    return Week(
        hours=tuple(parse_day_hours(typed) for typed in weekly_hours),
        slot_minutes=slot_minutes,
    )


@dataclass(frozen=True)
class Slot:
    start: dt.datetime  # aware, UTC
    end: dt.datetime


class Refusal(StrEnum):
    HOLIDAY = "holiday"
    CLOSING_DAY = "closing_day"
    OUTSIDE_HOURS = "outside_hours"
    NOT_ON_GRID = "not_on_grid"


def _wall(day: dt.date, minute: int, zone: ZoneInfo) -> dt.datetime | None:
    """The instant (UTC) of wall-clock `minute` of `day`, None if the clocks skip it."""
    wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    aware = wall.replace(tzinfo=zone, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != wall:
        return None  # a time skipped when the clocks go forward
    return instant


def day_slots(week: Week, calendar: business_time.Calendar, day: dt.date) -> list[Slot]:
    """The slots of local `day`, in order (none on a closed day)."""
    if calendar.is_closed_on(day):
        return []
    zone = calendar.zone
    step = week.slot_minutes
    slots: list[Slot] = []
    for opens, closes in week.hours[day.weekday()]:
        minute = opens
        while minute + step <= closes:
            start = _wall(day, minute, zone)
            if start is not None:
                slots.append(Slot(start=start, end=start + dt.timedelta(minutes=step)))
            minute += step
    return slots


def slots_between(
    week: Week, calendar: business_time.Calendar, first: dt.date, last: dt.date
) -> list[Slot]:
    """Every slot of the local days `first` to `last` (both included)."""
    result: list[Slot] = []
    day = first
    while day <= last:
        result.extend(day_slots(week, calendar, day))
        day += dt.timedelta(days=1)
    return result


def local_day(instant: dt.datetime, calendar: business_time.Calendar) -> dt.date:
    return instant.astimezone(calendar.zone).date()


def where(
    week: Week, calendar: business_time.Calendar, start: dt.datetime
) -> Slot | Refusal:
    """The slot starting at `start`, or why there is none."""
    day = local_day(start, calendar)
    if day in calendar.closed_dates:
        return Refusal.CLOSING_DAY
    if calendar.is_closed_on(day):
        return Refusal.HOLIDAY
    for slot in day_slots(week, calendar, day):
        if slot.start == start:
            return slot
    wall = start.astimezone(calendar.zone)
    minute = wall.hour * 60 + wall.minute
    for opens, closes in week.hours[day.weekday()]:
        if opens <= minute < closes:
            return Refusal.NOT_ON_GRID
    return Refusal.OUTSIDE_HOURS
