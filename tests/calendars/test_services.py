"""Writes of the calendars app: validated, audited, versioned, for administrators."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from guichet.audit.models import AuditEvent
from guichet.calendars import services
from guichet.calendars.errors import CalendarInUse
from guichet.calendars.models import BusinessCalendar, ClosingDay, TeamCalendar
from guichet.core.errors import Forbidden, ValidationFailed
from tests.calendars.factories import BusinessCalendarFactory, ClosingDayFactory
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

WEEK = ["09:00-12:00, 13:00-17:00"] * 5 + ["", ""]


def _codes(error: ValidationFailed) -> list[tuple[str, str]]:
    return [(item.field, item.code) for item in error.errors]


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(chain="changes", action=action))


def test_creates_a_calendar_with_its_hours_in_canonical_spelling(
    administrator: Any,
) -> None:
    calendar = services.calendar_create(
        actor=administrator,
        code="visas",
        name=" Visas  counter ",
        time_zone="Europe/Brussels",
        weekly_hours=["9h-12h 13h-17h", *WEEK[1:]],
        closes_on_public_holidays=True,
    )
    assert calendar.name == "Visas counter"
    assert calendar.monday_hours == "09:00-12:00, 13:00-17:00"
    assert calendar.version == 1
    [event] = _events("calendar.create")
    assert (event.actor_id, event.object_id) == (administrator.pk, str(calendar.uuid))
    assert event.summary["after"]["monday_hours"] == "09:00-12:00, 13:00-17:00"


def test_refuses_a_calendar_with_every_problem_at_once(administrator: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.calendar_create(
            actor=administrator,
            code="Visas Counter",
            name="",
            time_zone="Europe/Bruxelles",
            weekly_hours=[
                "13:00-17:00, 09:00-12:00",
                "17:00-09:00",
                "",
                "",
                "",
                "",
                "",
            ],
        )
    assert _codes(refused.value) == [
        ("code", "invalid_code"),
        ("monday_hours", "intervals_unordered"),
        ("tuesday_hours", "interval_reversed"),
        ("name", "required"),
        ("time_zone", "unknown_time_zone"),
    ]
    assert not BusinessCalendar.objects.filter(name="").exists()
    assert _events("calendar.create") == []


def test_refuses_a_code_taken_and_a_week_never_open(default_calendar: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.calendar_create(
            actor=None,
            code="default",
            name="Again",
            time_zone="Europe/Brussels",
            weekly_hours=[""] * 7,
        )
    assert _codes(refused.value) == [
        ("code", "code_exists"),
        ("monday_hours", "never_open"),
    ]


def test_only_administrators_write_calendars(make_agent: Any) -> None:
    supervisor = make_agent("supervisor", level="A2")
    calendar = BusinessCalendarFactory(code="visas")
    team = TeamFactory(code="visas")
    attempts = [
        lambda: services.calendar_create(
            actor=supervisor,
            code="x",
            name="X",
            time_zone="Europe/Brussels",
            weekly_hours=WEEK,
        ),
        lambda: services.calendar_update(
            actor=supervisor,
            calendar=calendar,
            name="X",
            time_zone="Europe/Brussels",
            weekly_hours=WEEK,
            closes_on_public_holidays=True,
        ),
        lambda: services.calendar_delete(actor=supervisor, calendar=calendar),
        lambda: services.closing_day_add(
            actor=supervisor, calendar=calendar, date=dt.date(2026, 1, 2), reason="X"
        ),
        lambda: services.team_calendar_set(
            actor=supervisor, team=team, calendar=calendar
        ),
    ]
    for attempt in attempts:
        with pytest.raises(Forbidden):
            attempt()
    calendar.refresh_from_db()
    assert (calendar.name, calendar.version) == ("Visas", 1)
    assert ClosingDay.objects.count() == 0
    assert TeamCalendar.objects.count() == 0
    assert AuditEvent.objects.filter(chain="changes").count() == 0


def test_updates_a_calendar_and_records_what_changed(administrator: Any) -> None:
    calendar = BusinessCalendarFactory(code="visas")
    services.calendar_update(
        actor=administrator,
        calendar=calendar,
        name="Visas",
        time_zone="Europe/Brussels",
        weekly_hours=[
            "08:30-12:30",
            *[calendar.weekly_hours()[i] for i in range(1, 7)],
        ],
        closes_on_public_holidays=False,
        expected_version=1,
    )
    assert calendar.version == 2
    assert calendar.monday_hours == "08:30-12:30"
    [event] = _events("calendar.update")
    assert event.summary["changes"] == {
        "closes_on_public_holidays": [True, False],
        "monday_hours": ["09:00-12:00, 13:00-16:00", "08:30-12:30"],
    }


def test_a_stale_update_changes_nothing(administrator: Any) -> None:
    calendar = BusinessCalendarFactory(code="visas")
    services.closing_day_add(
        actor=administrator, calendar=calendar, date=dt.date(2026, 12, 24), reason="Eve"
    )
    from guichet.core.errors import StaleVersion

    with pytest.raises(StaleVersion):
        services.calendar_update(
            actor=administrator,
            calendar=calendar,
            name="Renamed",
            time_zone="Europe/Brussels",
            weekly_hours=WEEK,
            closes_on_public_holidays=True,
            expected_version=1,
        )
    calendar.refresh_from_db()
    assert (calendar.name, calendar.version) == ("Visas", 2)


def test_closing_days_move_the_calendars_version_and_are_audited(
    administrator: Any,
) -> None:
    calendar = BusinessCalendarFactory(code="visas")
    day = services.closing_day_add(
        actor=administrator,
        calendar=calendar,
        date=dt.date(2026, 12, 24),
        reason=" Eve ",
    )
    assert (day.reason, BusinessCalendar.objects.get(pk=calendar.pk).version) == (
        "Eve",
        2,
    )
    services.closing_day_update(
        actor=administrator, closing_day=day, date=dt.date(2026, 12, 31), reason="Eve"
    )
    assert ClosingDay.objects.get().date == dt.date(2026, 12, 31)
    services.closing_day_remove(actor=administrator, closing_day=day)
    assert ClosingDay.objects.count() == 0
    assert BusinessCalendar.objects.get(pk=calendar.pk).version == 4
    assert [event.action for event in AuditEvent.objects.filter(chain="changes")] == [
        "closingday.create",
        "closingday.update",
        "closingday.delete",
    ]
    assert _events("closingday.update")[0].summary["changes"] == {
        "date": ["2026-12-24", "2026-12-31"]
    }


def test_refuses_a_closing_day_twice_or_without_reason(administrator: Any) -> None:
    existing = ClosingDayFactory(date=dt.date(2026, 12, 24))
    with pytest.raises(ValidationFailed) as refused:
        services.closing_day_add(
            actor=administrator,
            calendar=existing.calendar,
            date=dt.date(2026, 12, 24),
            reason=" ",
        )
    assert _codes(refused.value) == [
        ("reason", "required"),
        ("date", "closing_day_exists"),
    ]
    other = ClosingDayFactory(calendar=existing.calendar, date=dt.date(2026, 12, 31))
    with pytest.raises(ValidationFailed):
        services.closing_day_update(
            actor=administrator,
            closing_day=other,
            date=dt.date(2026, 12, 24),
            reason="X",
        )
    assert ClosingDay.objects.count() == 2
    assert BusinessCalendar.objects.get(pk=existing.calendar.pk).version == 1


def test_sets_changes_and_removes_a_teams_calendar(administrator: Any) -> None:
    team = TeamFactory(code="visas")
    first = BusinessCalendarFactory(code="visas")
    second = BusinessCalendarFactory(code="late")
    link = services.team_calendar_set(actor=administrator, team=team, calendar=first)
    assert link is not None
    assert link.calendar == first
    assert (
        services.team_calendar_set(actor=administrator, team=team, calendar=first)
        == link
    )
    services.team_calendar_set(actor=administrator, team=team, calendar=second)
    assert TeamCalendar.objects.get(team=team).calendar == second
    assert (
        services.team_calendar_set(actor=administrator, team=team, calendar=None)
        is None
    )
    assert TeamCalendar.objects.count() == 0
    assert [event.summary["changes"] for event in _events("teamcalendar.set")] == [
        {"calendar": [None, "visas"]},
        {"calendar": ["visas", "late"]},
        {"calendar": ["late", None]},
    ]


def test_deletes_only_calendars_no_team_counts_in(
    administrator: Any, default_calendar: BusinessCalendar
) -> None:
    used = BusinessCalendarFactory(code="visas")
    unused = BusinessCalendarFactory(code="old")
    ClosingDayFactory(calendar=unused)
    services.team_calendar_set(
        actor=administrator, team=TeamFactory(code="visas"), calendar=used
    )
    with pytest.raises(CalendarInUse) as in_use:
        services.calendar_delete(actor=administrator, calendar=used)
    assert in_use.value.code == "calendar_in_use"
    assert "visas" in in_use.value.text
    with pytest.raises(CalendarInUse) as default:
        services.calendar_delete(actor=administrator, calendar=default_calendar)
    assert default.value.code == "default_calendar"
    services.calendar_delete(actor=administrator, calendar=unused)
    assert sorted(BusinessCalendar.objects.values_list("code", flat=True)) == [
        "default",
        "visas",
    ]
    assert ClosingDay.objects.count() == 0
    [event] = _events("calendar.delete")
    assert event.summary["before"]["code"] == "old"
