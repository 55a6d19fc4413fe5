"""Fixtures of the calendars tests: the shipped calendar, an administrator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from guichet.calendars import selectors
from guichet.calendars.models import BusinessCalendar
from tests.calendars.factories import load_default_calendar


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts and ends with no cached calendar (ids are reused)."""
    selectors.calendar_cache_clear()
    yield
    selectors.calendar_cache_clear()


@pytest.fixture
def default_calendar(db: Any) -> BusinessCalendar:
    return load_default_calendar()


@pytest.fixture
def administrator(make_agent: Callable[..., Any]) -> Any:
    return make_agent("admin", level="A2", teams=("support",), username="admin")
