"""Migration 0002 ships the calendar `default`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.apps import apps

import pytest

from guichet.calendars import business_time, selectors
from guichet.calendars.models import BusinessCalendar
from tests.calendars.factories import SHIPPED

pytestmark = pytest.mark.django_db


def test_the_default_calendar_is_open_monday_to_friday_9_to_17_in_brussels() -> None:
    calendar = BusinessCalendar.objects.get(code="default")
    assert calendar.time_zone == "Europe/Brussels"
    assert calendar.weekly_hours() == ["09:00-17:00"] * 5 + ["", ""]
    assert calendar.closes_on_public_holidays is True
    assert calendar.closing_days.count() == 0


def test_the_default_calendar_closes_on_belgiums_public_holidays() -> None:
    calendar = selectors.calendar_get(code="default")
    start = dt.datetime(2026, 12, 24, 16, tzinfo=calendar.zone)
    assert business_time.due(start, Decimal(2), calendar).isoformat() == (
        "2026-12-28T10:00:00+01:00"
    )


def test_shipping_runs_again_from_the_state_before_it_and_changes_nothing() -> None:
    BusinessCalendar.objects.filter(code="default").delete()
    SHIPPED.ship_default(apps, None)
    first = BusinessCalendar.objects.get(code="default")
    SHIPPED.ship_default(apps, None)
    assert BusinessCalendar.objects.get(code="default").pk == first.pk
    assert BusinessCalendar.objects.count() == 1
