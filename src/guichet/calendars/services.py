"""Writes of the calendars app: calendars, their closing days, a team's calendar.

Calendars are reference data: administrators keep them (`calendar.manage`); an
actor of None is the installation itself (a migration, the command line, the demo).
Every service validates all of its input first (bad input changes nothing), writes
in one transaction with its audit record, moves the calendar's version (the cached
descriptions key on it, see `selectors`) and clears this process's cache when the
transaction commits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.calendars import Action
from guichet.agents.models import Agent, Team
from guichet.audit.services import audit_record, changes
from guichet.core.validation import Problems, text
from guichet.core.versioning import check_version, versioned_update

from . import validation
from .errors import CalendarInUse, Code
from .models import (
    DEFAULT_CODE,
    WEEKDAY_FIELDS,
    BusinessCalendar,
    ClosingDay,
    TeamCalendar,
)
from .selectors import calendar_cache_clear

_SLUG = re.compile(r"^[-a-z0-9_]+$")


def _require_manager(actor: Agent | None) -> None:
    if actor is not None:
        policy.require(actor, Action.CALENDAR_MANAGE)


def _changed(calendar: BusinessCalendar) -> None:
    """Move the calendar's version (a closing day changed) and forget the cache."""
    versioned_update(calendar, expected_version=None)
    transaction.on_commit(calendar_cache_clear)


def _snapshot(calendar: BusinessCalendar) -> dict[str, Any]:
    return {
        "code": calendar.code,
        "name": calendar.name,
        "time_zone": calendar.time_zone,
        **{name: getattr(calendar, name) for name in WEEKDAY_FIELDS},
        "closes_on_public_holidays": calendar.closes_on_public_holidays,
    }


def calendar_check(
    problems: Problems,
    *,
    code: str | None,
    name: str,
    time_zone: str,
    weekly_hours: Sequence[str],
    closes_on_public_holidays: bool,
) -> dict[str, Any]:
    """Check a calendar's fields, recording every problem; the cleaned values.

    `code` is checked for a new calendar only (None: a calendar's code never
    changes). The admin's form asks here too, so it shows the same errors.
    """
    values: dict[str, Any] = {}
    if code is not None:
        values["code"] = text(problems, "code", code, required=True, max_length=50)
        if values["code"] and not _SLUG.match(values["code"]):
            problems.add(
                "code",
                Code.INVALID_CODE,
                _("Use lower-case letters, digits, hyphens and underscores only."),
            )
        elif BusinessCalendar.objects.filter(code=values["code"]).exists():
            problems.add(
                "code",
                Code.CODE_EXISTS,
                _("A calendar with the code “%(taken)s” exists already."),
                taken=values["code"],
            )
    week = validation.weekly_hours(problems, weekly_hours)
    values.update(
        {
            "name": text(problems, "name", name, required=True, max_length=200),
            "time_zone": validation.time_zone(problems, "time_zone", time_zone),
            **{
                field: validation.format_intervals(day)
                for field, day in zip(WEEKDAY_FIELDS, week, strict=True)
            },
            "closes_on_public_holidays": bool(closes_on_public_holidays),
        }
    )
    return values


def calendar_create(
    *,
    actor: Agent | None,
    code: str,
    name: str,
    time_zone: str,
    weekly_hours: Sequence[str],
    closes_on_public_holidays: bool = True,
) -> BusinessCalendar:
    """Add a calendar: its code, name, zone and the hours of each weekday."""
    _require_manager(actor)
    problems = Problems()
    values = calendar_check(
        problems,
        code=code,
        name=name,
        time_zone=time_zone,
        weekly_hours=weekly_hours,
        closes_on_public_holidays=closes_on_public_holidays,
    )
    problems.raise_if_any()
    with transaction.atomic():
        calendar = BusinessCalendar.objects.create(**values)
        audit_record(
            actor=actor,
            action="calendar.create",
            obj=calendar,
            summary={"after": _snapshot(calendar)},
        )
        transaction.on_commit(calendar_cache_clear)
    return calendar


def calendar_update(
    *,
    actor: Agent | None,
    calendar: BusinessCalendar,
    name: str,
    time_zone: str,
    weekly_hours: Sequence[str],
    closes_on_public_holidays: bool,
    expected_version: int | None = None,
) -> BusinessCalendar:
    """Change a calendar's name, zone, hours or holidays (its code never changes:
    scripts and the default calendar are found by it)."""
    _require_manager(actor)
    problems = Problems()
    values = calendar_check(
        problems,
        code=None,
        name=name,
        time_zone=time_zone,
        weekly_hours=weekly_hours,
        closes_on_public_holidays=closes_on_public_holidays,
    )
    problems.raise_if_any()
    with transaction.atomic():
        locked = BusinessCalendar.objects.select_for_update().get(pk=calendar.pk)
        if expected_version is not None:
            check_version(locked, expected_version)
        before = _snapshot(locked)
        versioned_update(locked, expected_version=locked.version, **values)
        audit_record(
            actor=actor,
            action="calendar.update",
            obj=locked,
            summary={"changes": changes(before, _snapshot(locked))},
        )
        transaction.on_commit(calendar_cache_clear)
    calendar.refresh_from_db()
    return calendar


def calendar_delete(*, actor: Agent | None, calendar: BusinessCalendar) -> None:
    """Remove a calendar no team counts in (never the default one)."""
    _require_manager(actor)
    if calendar.code == DEFAULT_CODE:
        raise CalendarInUse(
            _("The default calendar counts the deadlines of every team without one."),
            code=Code.DEFAULT_CALENDAR,
        )
    with transaction.atomic():
        locked = BusinessCalendar.objects.select_for_update().get(pk=calendar.pk)
        teams = sorted(locked.team_links.values_list("team__code", flat=True))
        if teams:
            raise CalendarInUse(
                _("Teams count their deadlines in this calendar: %(teams)s."),
                params={"teams": ", ".join(teams)},
            )
        audit_record(
            actor=actor,
            action="calendar.delete",
            obj=locked,
            summary={"before": _snapshot(locked)},
        )
        locked.delete()
        transaction.on_commit(calendar_cache_clear)


def _clean_closing_day(
    problems: Problems,
    *,
    calendar: BusinessCalendar,
    date: dt.date,
    reason: str,
    exclude: ClosingDay | None = None,
) -> str:
    clean_reason = text(problems, "reason", reason, required=True, max_length=200)
    others = ClosingDay.objects.filter(calendar=calendar, date=date)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        problems.add(
            "date",
            Code.CLOSING_DAY_EXISTS,
            _("%(date)s is a closing day of this calendar already."),
            date=date.isoformat(),
        )
    return clean_reason


def closing_day_add(
    *, actor: Agent | None, calendar: BusinessCalendar, date: dt.date, reason: str
) -> ClosingDay:
    """Close the calendar all day on `date` (a bridge day, a substitute day)."""
    _require_manager(actor)
    problems = Problems()
    clean_reason = _clean_closing_day(
        problems, calendar=calendar, date=date, reason=reason
    )
    problems.raise_if_any()
    with transaction.atomic():
        day = ClosingDay.objects.create(
            calendar=calendar, date=date, reason=clean_reason
        )
        _changed(calendar)
        audit_record(
            actor=actor,
            action="closingday.create",
            obj=day,
            summary={
                "calendar": calendar.code,
                "after": {"date": date.isoformat(), "reason": clean_reason},
            },
        )
    return day


def closing_day_update(
    *, actor: Agent | None, closing_day: ClosingDay, date: dt.date, reason: str
) -> ClosingDay:
    """Move a closing day or change its reason."""
    _require_manager(actor)
    calendar = closing_day.calendar
    problems = Problems()
    clean_reason = _clean_closing_day(
        problems, calendar=calendar, date=date, reason=reason, exclude=closing_day
    )
    problems.raise_if_any()
    with transaction.atomic():
        before = {"date": closing_day.date.isoformat(), "reason": closing_day.reason}
        closing_day.date, closing_day.reason = date, clean_reason
        closing_day.save(update_fields=["date", "reason", "updated_at"])
        _changed(calendar)
        after = {"date": date.isoformat(), "reason": clean_reason}
        audit_record(
            actor=actor,
            action="closingday.update",
            obj=closing_day,
            summary={"calendar": calendar.code, "changes": changes(before, after)},
        )
    return closing_day


def closing_day_remove(*, actor: Agent | None, closing_day: ClosingDay) -> None:
    """Open the calendar again on a closing day's date."""
    _require_manager(actor)
    with transaction.atomic():
        calendar = closing_day.calendar
        audit_record(
            actor=actor,
            action="closingday.delete",
            obj=closing_day,
            summary={
                "calendar": calendar.code,
                "before": {
                    "date": closing_day.date.isoformat(),
                    "reason": closing_day.reason,
                },
            },
        )
        closing_day.delete()
        _changed(calendar)


def team_calendar_set(
    *, actor: Agent | None, team: Team, calendar: BusinessCalendar | None
) -> TeamCalendar | None:
    """Make `team` count its deadlines in `calendar` (None: the default one)."""
    _require_manager(actor)
    with transaction.atomic():
        link = TeamCalendar.objects.select_for_update().filter(team=team).first()
        before = link.calendar.code if link is not None else None
        after = calendar.code if calendar is not None else None
        if before == after:
            return link
        if link is not None and calendar is None:
            link.delete()
            link = None
        elif link is not None and calendar is not None:
            link.calendar = calendar
            link.save(update_fields=["calendar", "updated_at"])
        elif calendar is not None:
            link = TeamCalendar.objects.create(team=team, calendar=calendar)
        audit_record(
            actor=actor,
            action="teamcalendar.set",
            obj=team,
            summary={"changes": {"calendar": [before, after]}},
        )
        transaction.on_commit(calendar_cache_clear)
    return link
