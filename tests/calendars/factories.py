"""Factories of the calendars app, and the shipped default calendar."""

from __future__ import annotations

import datetime as dt
import importlib

from django.apps import apps

import factory

from guichet.calendars.models import BusinessCalendar, ClosingDay

SHIPPED = importlib.import_module("guichet.calendars.migrations.0002_default_calendar")


def load_default_calendar() -> BusinessCalendar:
    """The calendar migration 0002 ships, even after a transactional test's flush."""
    SHIPPED.ship_default(apps, None)
    return BusinessCalendar.objects.get(code="default")


class BusinessCalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessCalendar
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"calendar-{n}")
    name = factory.LazyAttribute(lambda calendar: calendar.code.title())
    time_zone = "Europe/Brussels"
    monday_hours = "09:00-12:00, 13:00-16:00"
    tuesday_hours = "09:00-12:00, 13:00-16:00"
    wednesday_hours = "09:00-12:00"
    thursday_hours = "09:00-12:00, 13:00-16:00"
    friday_hours = "09:00-12:00, 13:00-16:00"
    saturday_hours = ""
    sunday_hours = ""
    closes_on_public_holidays = True


class ClosingDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosingDay

    calendar = factory.SubFactory(BusinessCalendarFactory)
    date = dt.date(2026, 12, 24)
    reason = "Christmas Eve"
