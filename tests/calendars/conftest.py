"""Fixtures of the calendars tests: the shipped calendar, an administrator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guichet.calendars.models import BusinessCalendar
from tests.calendars.factories import load_default_calendar


@pytest.fixture
def default_calendar(db: Any) -> BusinessCalendar:
    return load_default_calendar()


@pytest.fixture
def administrator(make_agent: Callable[..., Any]) -> Any:
    return make_agent("admin", level="A2", teams=("support",), username="admin")
