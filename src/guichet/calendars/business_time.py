"""Business time: deadlines counted in a calendar's opening hours. Pure: no ORM.

A `Calendar` describes when a team is open: for each weekday (Monday first) zero or
more intervals of wall-clock time (minutes since local midnight, an end of 1440 is
midnight at the end of the day), the dates it is closed, whether Belgium's public
holidays close it, and its time zone. `due` adds business time to an instant,
`business_duration` measures the business time between two instants (its inverse,
for service-level compliance), `next_opening` gives the instant the clock starts.

The rules, and the choices made where a rule needed one:

- **Opening hours are wall-clock times** in the calendar's zone. They are turned into
  instants day by day with zoneinfo, so a day that loses or gains an hour (the last
  Sundays of March and October in Europe/Brussels) still opens at 09:00 local time,
  and a calendar open 00:00-24:00 has a day of 23 or 25 hours. A wall time that does
  not exist (in the spring gap) is read with the offset before the change, as Python
  and java.time do (02:30 becomes 03:30 summer time); a repeated wall time (in the
  autumn) is its first occurrence. Intervals that such a shift would make overlap or
  reverse are clipped, so a day's intervals are always ordered instants.
- **Intervals are half-open**, [opening, closing): at 17:00 an office open until 17:00
  is closed. A start outside opening hours counts from the next opening.
- **A count that ends exactly at a closing is due at that closing**, not at the next
  opening (`remaining <= length` below). Likewise a count that ends exactly when a
  pause starts is due at that instant.
- **Zero hours** from inside opening hours (and outside any pause) is the start
  itself; from anywhere else it is the next instant the clock runs. Hence
  `next_opening(instant) == due(instant, 0)`.
- **Pauses** stop the clock between their two instants (a request waiting for the
  citizen). They may overlap each other or closed time: they are merged first, and a
  pause over closed time changes nothing there.
- **Public holidays** are `holidays.Belgium` (its public category): the ten legal holidays
  of the royal decree of 18 April 1974 plus Easter Sunday and Whit Sunday, which only
  matter to a calendar open on Sundays. Substitute days for a holiday on a weekend and
  the days off of the federal or regional administrations are closing days an
  administrator adds (`ClosingDay`). The set of a year is computed once per process.
- **Long spans** (a request due in 40 business days, a dossier in 90) jump by whole
  weeks: a week with no closed day, no pause and no change of UTC offset holds
  exactly the calendar's weekly business time. Other weeks go day by day, never
  minute by minute.

Every instant given must be timezone-aware; results are in the calendar's zone.
Durations are exact (`timedelta`, microseconds); `Decimal` hours are rounded to the
microsecond.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

UTC = dt.UTC
MINUTES_PER_DAY = 1440
ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)
MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)
# A search that finds no running time for this long gives up (a calendar closed
# for ten years is a mistake, not a deadline).
GIVE_UP_AFTER = dt.timedelta(days=3660)
# Instants outside these are refused, and no walk goes past the last day: far from
# the limits of `datetime`, so no conversion between zones can overflow.
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)
LAST_DAY = dt.date(9900, 1, 1)

# (opening, closing) in minutes since local midnight; closing may be 1440.
Interval = tuple[int, int]
Pause = tuple[dt.datetime, dt.datetime]


class BusinessTimeError(ValueError):
    """Input the arithmetic cannot use; `code` is stable, for callers to map."""

    code = "invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NaiveDatetime(BusinessTimeError):
    code = "missing_offset"


class NegativeHours(BusinessTimeError):
    code = "negative_hours"


class InvalidHours(BusinessTimeError):
    code = "invalid_hours"


class PauseOrder(BusinessTimeError):
    code = "pause_order"


class NeverOpen(BusinessTimeError):
    """The calendar gives no business time where some is needed."""

    code = "never_open"


class InvalidCalendar(BusinessTimeError):
    code = "invalid_calendar"


class OutOfRange(BusinessTimeError):
    code = "out_of_range"


@functools.cache
def belgian_public_holidays(year: int) -> frozenset[dt.date]:
    """Belgium's public holidays of `year` (`holidays.Belgium`, computed once per
    year and process)."""
    return frozenset(holidays.country_holidays("BE", years=year))


def check_intervals(intervals: Sequence[Interval]) -> None:
    """Raise `InvalidCalendar` unless the intervals of one day are well formed:
    each within the day, opening before closing, in order and apart from each other."""
    previous_end = -1
    for start, end in intervals:
        if not 0 <= start < end <= MINUTES_PER_DAY:
            raise InvalidCalendar(f"interval {start}-{end} is not within one day")
        if start <= previous_end:
            raise InvalidCalendar("intervals must be in order and must not touch")
        previous_end = end


@dataclass(frozen=True)
class Calendar:
    """When a team is open. `week` has seven entries, Monday first."""

    code: str
    week: tuple[tuple[Interval, ...], ...]
    time_zone: str = "Europe/Brussels"
    closed_dates: frozenset[dt.date] = field(default_factory=frozenset)
    closes_on_public_holidays: bool = True

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise InvalidCalendar("a week has seven days")
        for day in self.week:
            check_intervals(day)
        if not any(self.week):
            raise InvalidCalendar("the calendar is never open")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidCalendar(f"unknown time zone {self.time_zone!r}") from None

    @functools.cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @functools.cached_property
    def week_length(self) -> dt.timedelta:
        """Business time of a week without closed days or change of UTC offset."""
        minutes = sum(end - start for day in self.week for start, end in day)
        return dt.timedelta(minutes=minutes)

    def is_closed_on(self, day: dt.date) -> bool:
        """Closed all day: a closing day, or a public holiday that closes it."""
        if day in self.closed_dates:
            return True
        return self.closes_on_public_holidays and day in belgian_public_holidays(
            day.year
        )

    def midnight(self, day: dt.date) -> dt.datetime:
        """The instant (UTC) that local day `day` starts."""
        return _instant(day, 0, self.zone)

    def opening_intervals(self, day: dt.date) -> list[Pause]:
        """The instants (UTC) the calendar opens and closes on local day `day`."""
        if self.is_closed_on(day):
            return []
        result: list[Pause] = []
        floor: dt.datetime | None = None
        for start, end in self.week[day.weekday()]:
            opens = _instant(day, start, self.zone)
            closes = _instant(day, end, self.zone)
            if floor is not None and opens < floor:
                opens = floor
            if closes > opens:
                result.append((opens, closes))
                floor = closes
        return result


@functools.lru_cache(maxsize=16384)
def _instant(day: dt.date, minute: int, zone: ZoneInfo) -> dt.datetime:
    """The instant (UTC) of wall-clock `minute` of local `day`. Cached: deadlines
    computed the same week walk the same days."""
    wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _aware(instant: dt.datetime, name: str) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise NaiveDatetime(f"{name} has no UTC offset: {instant.isoformat()}")
    try:
        moment = instant.astimezone(UTC)
    except OverflowError:
        moment = EARLIEST - ONE_DAY
    if not EARLIEST <= moment < LATEST:
        raise OutOfRange(
            f"{name} {instant.isoformat()} is not between the years 1900 and 8999"
        )
    return moment


def as_duration(hours: Decimal | int | dt.timedelta) -> dt.timedelta:
    """Business time as a `timedelta`: hours given as a `Decimal` (or an int)."""
    if isinstance(hours, dt.timedelta):
        duration = hours
    elif isinstance(hours, bool) or not isinstance(hours, Decimal | int):
        raise InvalidHours(f"give hours as a Decimal, not {type(hours).__name__}")
    else:
        amount = Decimal(hours)
        if not amount.is_finite():
            raise InvalidHours(f"{hours} is not a number of hours")
        if amount < 0:
            raise NegativeHours(f"{hours} hours is negative")
        try:
            micro = (amount * MICROSECONDS_PER_HOUR).to_integral_value(ROUND_HALF_UP)
            duration = dt.timedelta(microseconds=int(micro))
        except (OverflowError, InvalidOperation):
            raise InvalidHours(f"{hours} hours is too large") from None
    if duration < dt.timedelta(0):
        raise NegativeHours(f"{duration} is negative")
    return duration


def merge_pauses(pauses: Iterable[Pause]) -> list[Pause]:
    """The pauses in UTC, in order, overlapping or touching ones merged."""
    spans: list[Pause] = []
    for start, end in pauses:
        begins, ends = _aware(start, "a pause's start"), _aware(end, "a pause's end")
        if ends < begins:
            raise PauseOrder(
                f"the pause {start.isoformat()}/{end.isoformat()} ends before it starts"
            )
        if ends > begins:
            spans.append((begins, ends))
    spans.sort()
    merged: list[Pause] = []
    for begins, ends in spans:
        if merged and begins <= merged[-1][1]:
            if ends > merged[-1][1]:
                merged[-1] = (merged[-1][0], ends)
        else:
            merged.append((begins, ends))
    return merged


class _Pauses:
    """Merged pauses, read forwards: the walk below only moves forward in time."""

    def __init__(self, spans: list[Pause]) -> None:
        self.spans = spans
        self.index = 0

    def _skip_before(self, instant: dt.datetime) -> None:
        while self.index < len(self.spans) and self.spans[self.index][1] <= instant:
            self.index += 1

    def running(self, begins: dt.datetime, ends: dt.datetime) -> list[Pause]:
        """The parts of [begins, ends) outside every pause."""
        self._skip_before(begins)
        pieces: list[Pause] = []
        position = self.index
        while begins < ends:
            if position < len(self.spans) and self.spans[position][0] < ends:
                stop, restart = self.spans[position]
                if stop > begins:
                    pieces.append((begins, stop))
                begins = max(begins, restart)
                position += 1
            else:
                pieces.append((begins, ends))
                break
        return pieces

    def none_within(self, begins: dt.datetime, ends: dt.datetime) -> bool:
        self._skip_before(begins)
        return self.index == len(self.spans) or self.spans[self.index][0] >= ends


class _WeekJumps:
    """Whole weeks the walk may jump over: seven local days after the start,
    without closed days, pauses or change of UTC offset, hold exactly the calendar's
    weekly business time. After a week that does not qualify, the next try is a
    week later, so a walk through holidays checks each day about once."""

    def __init__(self, calendar: Calendar, since: dt.datetime, pauses: _Pauses) -> None:
        self.calendar = calendar
        self.since = since
        self.pauses = pauses
        self.next_try: dt.date | None = None

    def at(self, day: dt.date) -> tuple[dt.datetime, dt.timedelta] | None:
        """The end and business time of the week from local day `day`, if whole."""
        if self.next_try is not None and day < self.next_try:
            return None
        if day >= LAST_DAY:
            return None
        calendar = self.calendar
        begins = calendar.midnight(day)
        if begins < self.since:
            return None  # the start's own day: try again the next day
        self.next_try = day + ONE_WEEK
        days = [day + dt.timedelta(days=n) for n in range(8)]
        midnights = [begins, *(calendar.midnight(each) for each in days[1:])]
        if any(b - a != ONE_DAY for a, b in itertools.pairwise(midnights)):
            return None  # the UTC offset changes during the week: go day by day
        if any(calendar.is_closed_on(each) for each in days[:7]):
            return None
        ends = midnights[-1]
        if not self.pauses.none_within(begins, ends):
            return None
        self.next_try = None
        return ends, calendar.week_length


def _next_day(day: dt.date) -> dt.date:
    if day >= LAST_DAY:
        raise NeverOpen(f"no business time before {LAST_DAY.isoformat()}")
    return day + ONE_DAY


def due(
    start: dt.datetime,
    hours: Decimal | int | dt.timedelta,
    calendar: Calendar,
    pauses: Iterable[Pause] = (),
) -> dt.datetime:
    """The instant `hours` of business time after `start`, in the calendar's zone."""
    remaining = as_duration(hours)
    since = _aware(start, "the start")
    stops = _Pauses(merge_pauses(pauses))
    day = since.astimezone(calendar.zone).date()
    last_progress = day
    floor = since  # nothing before it counts, not even twice
    weeks = _WeekJumps(calendar, since, stops)
    while True:
        if day - last_progress > GIVE_UP_AFTER:
            raise NeverOpen(
                f"calendar {calendar.code!r} has no business time for ten years"
                f" after {last_progress.isoformat()}"
            )
        week = weeks.at(day)
        if week is not None and week[1] < remaining:
            remaining -= week[1]
            day += ONE_WEEK
            last_progress = day
            continue
        for opens, closes in calendar.opening_intervals(day):
            if closes <= floor:
                continue
            for begins, ends in stops.running(max(opens, floor), closes):
                length = ends - begins
                if remaining <= length:
                    return (begins + remaining).astimezone(calendar.zone)
                remaining -= length
                last_progress = day
            floor = closes
        day = _next_day(day)


def business_duration(
    start: dt.datetime,
    end: dt.datetime,
    calendar: Calendar,
    pauses: Iterable[Pause] = (),
) -> dt.timedelta:
    """The business time that runs from `start` to `end` (the inverse of `due`)."""
    since = _aware(start, "the start")
    until = _aware(end, "the end")
    if until < since:
        raise BusinessTimeError(
            f"the end {end.isoformat()} is before the start {start.isoformat()}"
        )
    stops = _Pauses(merge_pauses(pauses))
    total = dt.timedelta(0)
    day = since.astimezone(calendar.zone).date()
    floor = since
    weeks = _WeekJumps(calendar, since, stops)
    while calendar.midnight(day) < until:
        week = weeks.at(day)
        if week is not None and week[0] <= until:
            total += week[1]
            day += ONE_WEEK
            continue
        for opens, closes in calendar.opening_intervals(day):
            if closes <= floor:
                continue
            for begins, ends in stops.running(max(opens, floor), min(closes, until)):
                total += ends - begins
            floor = closes
        day = _next_day(day)
    return total


def next_opening(instant: dt.datetime, calendar: Calendar) -> dt.datetime:
    """The first instant at or after `instant` when the calendar is open: `instant`
    itself during opening hours, else the next opening (in the calendar's zone)."""
    return due(instant, dt.timedelta(0), calendar)


def is_open(instant: dt.datetime, calendar: Calendar) -> bool:
    """Whether the calendar is open at `instant` (closings excluded: half-open)."""
    moment = _aware(instant, "the instant")
    day = moment.astimezone(calendar.zone).date()
    return any(
        opens <= moment < closes
        for check_day in (day - ONE_DAY, day)
        for opens, closes in calendar.opening_intervals(check_day)
    )
