"""Reads of the calendars app: calendar descriptions for the arithmetic, listings.

Calendars are reference data without citizen data: every agent may read them
(`access.domains.calendars`), so these reads take no agent and write no access log.

Every request created will compute a deadline, so a calendar's description (its
parsed hours and closing days) is cached in the process. The cache is keyed by the
calendar's `version`, which every change moves (`services`), and one small query
per call reads which calendar applies and its current version: a change made in
another process (another gunicorn worker, `guichet` on the command line) is seen at
once, not at the next restart. Services also clear the cache when they commit.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Team

from . import business_time
from .errors import UnknownCalendar
from .models import DEFAULT_CODE, BusinessCalendar, ClosingDay, TeamCalendar
from .validation import parse_day_hours

_lock = threading.Lock()
_cache: dict[int, tuple[int, business_time.Calendar]] = {}


def calendar_cache_clear() -> None:
    """Forget every cached description (services call it when they commit)."""
    with _lock:
        _cache.clear()


def describe(
    calendar: BusinessCalendar, closed_dates: frozenset[dt.date]
) -> business_time.Calendar:
    """The pure description of a calendar row and its closing days."""
    return business_time.Calendar(
        code=calendar.code,
        week=tuple(parse_day_hours(text) for text in calendar.weekly_hours()),
        time_zone=calendar.time_zone,
        closed_dates=closed_dates,
        closes_on_public_holidays=calendar.closes_on_public_holidays,
    )


def _description(pk: int, version: int) -> business_time.Calendar:
    with _lock:
        cached = _cache.get(pk)
    if cached is not None and cached[0] == version:
        return cached[1]
    calendar = BusinessCalendar.objects.get(pk=pk)
    dates = frozenset(
        ClosingDay.objects.filter(calendar_id=pk).values_list("date", flat=True)
    )
    description = describe(calendar, dates)
    with _lock:
        _cache[pk] = (calendar.version, description)
    return description


def _unknown(code: str) -> UnknownCalendar:
    return UnknownCalendar(_("There is no calendar “%(code)s”."), params={"code": code})


def calendar_get(*, code: str) -> business_time.Calendar:
    """The calendar `code` (`UnknownCalendar` when there is none)."""
    row = (
        BusinessCalendar.objects.filter(code=code).values_list("pk", "version").first()
    )
    if row is None:
        raise _unknown(code)
    return _description(*row)


def _which_sql() -> str:
    calendars = BusinessCalendar._meta.db_table
    links = TeamCalendar._meta.db_table
    return (
        f"SELECT c.id, c.version FROM {calendars} c"  # noqa: S608 - table names from the models, values as parameters
        f" LEFT JOIN {links} t ON t.calendar_id = c.id AND t.team_id = %s"
        " WHERE t.id IS NOT NULL OR c.code = %s"
        " ORDER BY CASE WHEN t.id IS NULL THEN 1 ELSE 0 END LIMIT 1"
    )


def calendar_for_team(*, team: Team | None) -> business_time.Calendar:
    """The calendar `team` counts its deadlines in: its own, else the default one.

    One query (which calendar applies, at which version), then the cached
    description. The query is written out in SQL: it runs at every request
    creation, where the ORM's compiling it cost more than running it (ADR 0005's
    budget is about 6 ms of CPU per creation).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _which_sql(), [team.pk if team is not None else None, DEFAULT_CODE]
        )
        row = cursor.fetchone()
    if row is None:
        raise _unknown(DEFAULT_CODE)
    return _description(row[0], row[1])


@dataclass(frozen=True)
class ClosingDayListing:
    date: dt.date
    reason: str


@dataclass(frozen=True)
class CalendarListing:
    """A calendar as `guichet calendar list` shows it."""

    code: str
    name: str
    time_zone: str
    weekly_hours: tuple[str, ...]
    closes_on_public_holidays: bool
    closing_days: tuple[ClosingDayListing, ...]
    teams: tuple[str, ...]


def calendar_list() -> list[CalendarListing]:
    """Every calendar, with its closing days and the teams that count in it."""
    calendars = BusinessCalendar.objects.prefetch_related(
        "closing_days", "team_links__team"
    ).order_by("code")
    return [
        CalendarListing(
            code=calendar.code,
            name=calendar.name,
            time_zone=calendar.time_zone,
            weekly_hours=tuple(calendar.weekly_hours()),
            closes_on_public_holidays=calendar.closes_on_public_holidays,
            closing_days=tuple(
                ClosingDayListing(date=day.date, reason=day.reason)
                for day in calendar.closing_days.all()
            ),
            teams=tuple(sorted(link.team.code for link in calendar.team_links.all())),
        )
        for calendar in calendars
    ]
