"""The one place that reads the current time, so tests can pin it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    """Today in the service's time zone (not UTC: a Brussels day starts at midnight there)."""
    return timezone.localdate()
