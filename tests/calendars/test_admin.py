"""The calendars in Django's admin: administrators only, validated, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

import pytest

from guichet.audit.models import AuditEvent
from guichet.calendars.models import BusinessCalendar, ClosingDay, TeamCalendar
from tests.calendars.factories import BusinessCalendarFactory, ClosingDayFactory
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/calendars/businesscalendar/add/"


def _client(agent: Any) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "code": "visas",
        "name": "Visas counter",
        "time_zone": "Europe/Brussels",
        "monday_hours": "9h-12h, 13h-16h",
        "tuesday_hours": "09:00-12:00",
        "wednesday_hours": "",
        "thursday_hours": "09:00-12:00",
        "friday_hours": "09:00-12:00",
        "saturday_hours": "",
        "sunday_hours": "",
        "closes_on_public_holidays": "on",
        "closing_days-TOTAL_FORMS": "0",
        "closing_days-INITIAL_FORMS": "0",
        "closing_days-MIN_NUM_FORMS": "0",
        "closing_days-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("_case", "roles", "expected"),
    [
        ("administrator", ("admin",), 200),
        ("supervisor", ("supervisor",), 302),
        ("first line", ("first_line",), 302),
    ],
)
def test_only_administrators_open_the_calendars(
    make_agent: Any,
    default_calendar: BusinessCalendar,
    _case: str,
    roles: tuple[str, ...],
    expected: int,
) -> None:
    client = _client(make_agent(*roles, level="A2", teams=("support",)))
    for url in (
        "/admin/calendars/businesscalendar/",
        f"/admin/calendars/businesscalendar/{default_calendar.pk}/change/",
        "/admin/calendars/teamcalendar/",
    ):
        assert client.get(url).status_code == expected, url


def test_adds_a_calendar_with_closing_days_through_the_services(
    administrator: Any,
) -> None:
    response = _client(administrator).post(
        ADD,
        _form(
            **{
                "closing_days-TOTAL_FORMS": "1",
                "closing_days-0-date": "2026-12-24",
                "closing_days-0-reason": "Christmas Eve",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()
    calendar = BusinessCalendar.objects.get(code="visas")
    assert calendar.monday_hours == "09:00-12:00, 13:00-16:00"
    assert calendar.version == 2  # created, then its closing day
    assert list(calendar.closing_days.values_list("date", "reason")) == [
        (dt.date(2026, 12, 24), "Christmas Eve")
    ]
    assert [
        (event.action, event.actor_id)
        for event in AuditEvent.objects.filter(chain="changes")
    ] == [
        ("calendar.create", administrator.pk),
        ("closingday.create", administrator.pk),
    ]


@pytest.mark.parametrize(
    ("_case", "field", "value", "message"),
    [
        ("unordered", "monday_hours", "13:00-16:00, 09:00-12:00", "order of the day"),
        ("overlapping", "tuesday_hours", "09:00-12:00, 11:00-13:00", "overlaps"),
        ("reversed", "thursday_hours", "12:00-09:00", "before the closing"),
        ("malformed", "friday_hours", "nine to noon", "is not an interval"),
        ("unknown zone", "time_zone", "Europe/Bruxelles", "not a known time zone"),
        ("code in capitals", "code", "Visas", "lower-case letters"),
    ],
)
def test_shows_each_problem_next_to_its_field_and_saves_nothing(
    administrator: Any, _case: str, field: str, value: str, message: str
) -> None:
    response = _client(administrator).post(ADD, _form(**{field: value}))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not BusinessCalendar.objects.filter(code="visas").exists()
    assert AuditEvent.objects.filter(chain="changes").count() == 0


def test_refuses_a_week_never_open(administrator: Any) -> None:
    empty = {name: "" for name in _form() if name.endswith("_hours")}
    response = _client(administrator).post(ADD, _form(**empty))
    assert response.status_code == 200
    assert (
        "at least one day"
        in response.context["adminform"].form.errors["monday_hours"][0]
    )


def test_changes_hours_and_closing_days_and_keeps_the_code(administrator: Any) -> None:
    calendar = BusinessCalendarFactory(code="visas")
    keep = ClosingDayFactory(
        calendar=calendar, date=dt.date(2026, 12, 24), reason="Eve"
    )
    drop = ClosingDayFactory(
        calendar=calendar, date=dt.date(2026, 12, 31), reason="Eve"
    )
    url = f"/admin/calendars/businesscalendar/{calendar.pk}/change/"
    response = _client(administrator).post(
        url,
        _form(
            code="renamed",
            monday_hours="08:00-12:00",
            **{
                "closing_days-TOTAL_FORMS": "3",
                "closing_days-INITIAL_FORMS": "2",
                "closing_days-0-id": str(keep.pk),
                "closing_days-0-calendar": str(calendar.pk),
                "closing_days-0-date": "2026-12-24",
                "closing_days-0-reason": "Christmas Eve",
                "closing_days-1-id": str(drop.pk),
                "closing_days-1-calendar": str(calendar.pk),
                "closing_days-1-date": "2026-12-31",
                "closing_days-1-reason": "Eve",
                "closing_days-1-DELETE": "on",
                "closing_days-2-date": "2026-11-02",
                "closing_days-2-reason": "All Souls",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()
    calendar.refresh_from_db()
    assert (calendar.code, calendar.monday_hours) == ("visas", "08:00-12:00")
    assert sorted(calendar.closing_days.values_list("date", "reason")) == [
        (dt.date(2026, 11, 2), "All Souls"),
        (dt.date(2026, 12, 24), "Christmas Eve"),
    ]
    assert calendar.version == 5  # the hours, then three closing-day changes
    assert [event.action for event in AuditEvent.objects.filter(chain="changes")] == [
        "calendar.update",
        "closingday.delete",
        "closingday.update",
        "closingday.create",
    ]


def test_refuses_the_same_closing_day_twice(administrator: Any) -> None:
    response = _client(administrator).post(
        ADD,
        _form(
            **{
                "closing_days-TOTAL_FORMS": "2",
                "closing_days-0-date": "2026-12-24",
                "closing_days-0-reason": "Eve",
                "closing_days-1-date": "2026-12-24",
                "closing_days-1-reason": "Again",
            }
        ),
    )
    assert response.status_code == 200
    assert not BusinessCalendar.objects.filter(code="visas").exists()
    assert ClosingDay.objects.count() == 0


def test_the_default_calendar_and_calendars_in_use_cannot_be_deleted(
    administrator: Any, default_calendar: BusinessCalendar
) -> None:
    client = _client(administrator)
    used = BusinessCalendarFactory(code="visas")
    TeamCalendar.objects.create(team=TeamFactory(code="visas"), calendar=used)
    unused = BusinessCalendarFactory(code="old")
    for calendar in (default_calendar, used):
        url = f"/admin/calendars/businesscalendar/{calendar.pk}/delete/"
        assert client.post(url, {"post": "yes"}).status_code == 403
    listing = client.get("/admin/calendars/businesscalendar/")
    assert "delete_selected" not in listing.content.decode()
    url = f"/admin/calendars/businesscalendar/{unused.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert sorted(BusinessCalendar.objects.values_list("code", flat=True)) == [
        "default",
        "visas",
    ]
    assert AuditEvent.objects.get(chain="changes").action == "calendar.delete"


def test_sets_changes_and_removes_a_teams_calendar(administrator: Any) -> None:
    client = _client(administrator)
    team = TeamFactory(code="visas")
    first = BusinessCalendarFactory(code="visas")
    second = BusinessCalendarFactory(code="late")
    response = client.post(
        "/admin/calendars/teamcalendar/add/",
        {"team": str(team.pk), "calendar": str(first.pk)},
    )
    assert response.status_code == 302, response.content.decode()
    link = TeamCalendar.objects.get(team=team)
    url = f"/admin/calendars/teamcalendar/{link.pk}/change/"
    assert client.post(url, {"calendar": str(second.pk)}).status_code == 302
    assert TeamCalendar.objects.get(team=team).calendar == second
    delete = f"/admin/calendars/teamcalendar/{link.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert TeamCalendar.objects.count() == 0
    assert [
        event.summary["changes"]
        for event in AuditEvent.objects.filter(action="teamcalendar.set")
    ] == [
        {"calendar": [None, "visas"]},
        {"calendar": ["visas", "late"]},
        {"calendar": ["late", None]},
    ]
