"""Reads of the calendars app: a team's calendar, cached and kept fresh."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F

import pytest

from guichet.calendars import business_time, selectors, services
from guichet.calendars.errors import UnknownCalendar
from guichet.calendars.models import BusinessCalendar, ClosingDay
from tests.calendars.factories import BusinessCalendarFactory, ClosingDayFactory
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

OFFICE = ((540, 1020),)


def test_a_team_without_a_calendar_counts_in_the_default_one(
    default_calendar: BusinessCalendar,
) -> None:
    calendar = selectors.calendar_for_team(team=TeamFactory(code="visas"))
    assert calendar == business_time.Calendar(
        code="default", week=(OFFICE,) * 5 + ((), ())
    )
    assert selectors.calendar_for_team(team=None).code == "default"


def test_a_team_counts_in_its_own_calendar(
    administrator: Any, default_calendar: BusinessCalendar
) -> None:
    team = TeamFactory(code="visas")
    own = BusinessCalendarFactory(code="visas", time_zone="Europe/Luxembourg")
    ClosingDayFactory(calendar=own, date=dt.date(2026, 12, 24))
    services.team_calendar_set(actor=administrator, team=team, calendar=own)
    calendar = selectors.calendar_for_team(team=team)
    assert calendar.code == "visas"
    assert calendar.time_zone == "Europe/Luxembourg"
    assert calendar.week[2] == ((540, 720),)
    assert calendar.closed_dates == frozenset({dt.date(2026, 12, 24)})
    other = TeamFactory(code="legal")
    assert selectors.calendar_for_team(team=other).code == "default"


def test_a_cached_calendar_costs_one_query(
    default_calendar: BusinessCalendar, django_assert_num_queries: Any
) -> None:
    team = TeamFactory(code="visas")
    with django_assert_num_queries(3):  # which and version, the row, closing days
        first = selectors.calendar_for_team(team=team)
    with django_assert_num_queries(1):
        again = selectors.calendar_for_team(team=team)
    assert again is first
    with django_assert_num_queries(1):
        assert selectors.calendar_get(code="default") is first


def test_a_change_through_the_services_is_seen_at_once(
    administrator: Any,
    default_calendar: BusinessCalendar,
    django_capture_on_commit_callbacks: Any,
) -> None:
    team = TeamFactory(code="visas")
    before = selectors.calendar_for_team(team=team)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.closing_day_add(
            actor=administrator,
            calendar=default_calendar,
            date=dt.date(2026, 12, 24),
            reason="Christmas Eve",
        )
    assert callbacks  # the cache is cleared when the change commits
    after = selectors.calendar_for_team(team=team)
    assert before.closed_dates == frozenset()
    assert after.closed_dates == frozenset({dt.date(2026, 12, 24)})


def test_a_change_made_by_another_process_is_seen_at_once(
    default_calendar: BusinessCalendar,
) -> None:
    """Another gunicorn worker cannot clear this process's cache: the version can."""
    cached = selectors.calendar_get(code="default")
    # What another process's `closing_day_add` leaves in the database:
    ClosingDay.objects.create(
        calendar=default_calendar, date=dt.date(2026, 12, 31), reason="New Year's Eve"
    )
    BusinessCalendar.objects.filter(pk=default_calendar.pk).update(
        version=F("version") + 1
    )
    fresh = selectors.calendar_get(code="default")
    assert cached.closed_dates == frozenset()
    assert fresh.closed_dates == frozenset({dt.date(2026, 12, 31)})


def test_unknown_calendars_are_refused(db: Any) -> None:
    with pytest.raises(UnknownCalendar) as unknown:
        selectors.calendar_get(code="nope")
    assert unknown.value.code == "unknown_calendar"
    BusinessCalendar.objects.filter(code="default").delete()
    with pytest.raises(UnknownCalendar):
        selectors.calendar_for_team(team=TeamFactory(code="visas"))


def test_lists_calendars_with_their_days_and_teams(
    administrator: Any, default_calendar: BusinessCalendar
) -> None:
    own = BusinessCalendarFactory(code="visas", name="Visas")
    ClosingDayFactory(calendar=own, date=dt.date(2026, 12, 24), reason="Eve")
    for code in ("visas-b", "visas-a"):
        services.team_calendar_set(
            actor=administrator, team=TeamFactory(code=code), calendar=own
        )
    listing = selectors.calendar_list()
    assert [calendar.code for calendar in listing] == ["default", "visas"]
    assert listing[1] == selectors.CalendarListing(
        code="visas",
        name="Visas",
        time_zone="Europe/Brussels",
        weekly_hours=(
            "09:00-12:00, 13:00-16:00",
            "09:00-12:00, 13:00-16:00",
            "09:00-12:00",
            "09:00-12:00, 13:00-16:00",
            "09:00-12:00, 13:00-16:00",
            "",
            "",
        ),
        closes_on_public_holidays=True,
        closing_days=(
            selectors.ClosingDayListing(date=dt.date(2026, 12, 24), reason="Eve"),
        ),
        teams=("visas-a", "visas-b"),
    )
