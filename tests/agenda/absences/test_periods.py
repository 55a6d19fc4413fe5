"""Whole Brussels days as instants, for any span of days."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from guichet.agenda.absences.periods import BRUSSELS, days_span, last_day, local

DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


@given(first=DAYS, length=st.integers(min_value=0, max_value=400))
def test_a_span_of_whole_days_runs_from_midnight_to_midnight_in_brussels(
    first: dt.date, length: int
) -> None:
    last = first + dt.timedelta(days=length)

    start, end = days_span(first, last)

    assert start.tzinfo is not None
    assert local(start).replace(tzinfo=None) == dt.datetime.combine(first, dt.time())
    assert local(end).replace(tzinfo=None) == dt.datetime.combine(
        last + dt.timedelta(days=1), dt.time()
    )
    assert last_day(end) == last
    # a day lasts 24 hours, give or take the hour the clocks change
    hours = (end - start) / dt.timedelta(hours=1)
    assert abs(hours - 24 * (length + 1)) <= 1
    assert end.astimezone(BRUSSELS).date() == last + dt.timedelta(days=1)
