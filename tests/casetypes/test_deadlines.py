"""Deadlines in calendar and business days, over a business calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.calendars.business_time import Calendar
from guichet.casetypes.deadlines import (
    FigureNotSet,
    NeverOpen,
    add_months,
    deadline,
    extended,
    is_business_day,
    merge_suspensions,
)
from guichet.casetypes.definition import Duration

D = dt.date
WEEKDAYS = ((540, 720), (780, 1020))
OFFICE = Calendar(code="office", week=(WEEKDAYS,) * 5 + ((), ()))
# The last day of 2026 closed too (an administrator's closing day).
OFFICE_31 = Calendar(
    code="office31",
    week=(WEEKDAYS,) * 5 + ((), ()),
    closed_dates=frozenset({D(2026, 12, 31)}),
)


def business(days: int) -> Duration:
    return Duration(days, "days", "business")


def calendar_days(days: int) -> Duration:
    return Duration(days, "days", "calendar")


@pytest.mark.parametrize(
    ("_case", "start", "duration", "calendar", "expected"),
    [
        ("over a weekend", D(2026, 12, 3), business(2), OFFICE, D(2026, 12, 7)),
        (
            "Christmas is a holiday",
            D(2026, 12, 23),
            business(2),
            OFFICE,
            D(2026, 12, 28),
        ),
        ("to the year's end", D(2026, 12, 23), business(5), OFFICE, D(2026, 12, 31)),
        (
            "a closing day and New Year",
            D(2026, 12, 23),
            business(5),
            OFFICE_31,
            D(2027, 1, 4),
        ),
        ("Easter Monday", D(2026, 4, 3), business(1), OFFICE, D(2026, 4, 7)),
        ("from a Saturday", D(2026, 12, 5), business(1), OFFICE, D(2026, 12, 7)),
        ("zero days is the start", D(2026, 12, 5), business(0), OFFICE, D(2026, 12, 5)),
        (
            "calendar days ignore the weekend",
            D(2026, 12, 3),
            calendar_days(10),
            OFFICE,
            D(2026, 12, 13),
        ),
        (
            "calendar days end on a holiday",
            D(2026, 12, 15),
            calendar_days(10),
            OFFICE,
            D(2026, 12, 25),
        ),
        (
            "two months date to date",
            D(2026, 1, 31),
            Duration(2, "months"),
            OFFICE,
            D(2026, 3, 31),
        ),
        (
            "to the end of February",
            D(2026, 1, 31),
            Duration(1, "months"),
            OFFICE,
            D(2026, 2, 28),
        ),
        ("a leap year", D(2028, 1, 31), Duration(1, "months"), OFFICE, D(2028, 2, 29)),
        ("years", D(2028, 2, 29), Duration(1, "years"), OFFICE, D(2029, 2, 28)),
    ],
)
def test_deadline(
    _case: str,
    start: dt.date,
    duration: Duration,
    calendar: Calendar,
    expected: dt.date,
) -> None:
    assert deadline(start, duration, calendar) == expected


@pytest.mark.parametrize(
    ("_case", "start", "duration", "suspensions", "expected"),
    [
        (
            "calendar days",
            D(2026, 12, 3),
            calendar_days(10),
            [(D(2026, 12, 5), D(2026, 12, 7))],
            D(2026, 12, 16),
        ),
        (
            "after the deadline: no effect",
            D(2026, 12, 3),
            calendar_days(10),
            [(D(2026, 12, 20), D(2026, 12, 22))],
            D(2026, 12, 13),
        ),
        (
            "business days",
            D(2026, 12, 3),
            business(2),
            [(D(2026, 12, 4), D(2026, 12, 7))],
            D(2026, 12, 9),
        ),
        (
            "overlapping spans count once",
            D(2026, 12, 3),
            calendar_days(10),
            [(D(2026, 12, 5), D(2026, 12, 7)), (D(2026, 12, 6), D(2026, 12, 8))],
            D(2026, 12, 17),
        ),
        (
            "months",
            D(2026, 1, 15),
            Duration(2, "months"),
            [(D(2026, 2, 1), D(2026, 2, 10))],
            D(2026, 3, 25),
        ),
        (
            "months, a span the move reaches",
            D(2026, 1, 15),
            Duration(2, "months"),
            [(D(2026, 2, 1), D(2026, 2, 2)), (D(2026, 3, 16), D(2026, 3, 20))],
            D(2026, 3, 22),
        ),
    ],
)
def test_suspensions_stop_the_clock(
    _case: str,
    start: dt.date,
    duration: Duration,
    suspensions: list[tuple[dt.date, dt.date]],
    expected: dt.date,
) -> None:
    assert deadline(start, duration, OFFICE, suspensions) == expected


def test_a_figure_left_to_the_service_is_refused() -> None:
    with pytest.raises(FigureNotSet):
        deadline(D(2026, 1, 1), Duration(None), OFFICE)


def test_refuses_business_months_and_bad_spans() -> None:
    with pytest.raises(ValueError, match="business time is counted in days"):
        deadline(D(2026, 1, 1), Duration(1, "months", "business"), OFFICE)
    with pytest.raises(ValueError, match="ends"):
        merge_suspensions([(D(2026, 1, 2), D(2026, 1, 1))])
    with pytest.raises(ValueError, match="negative"):
        deadline(D(2026, 1, 1), Duration(-1), OFFICE)


def test_a_calendar_closed_for_ever_gives_up() -> None:
    closed = Calendar(code="closed", week=(WEEKDAYS,) * 5 + ((), ()))
    with pytest.raises(NeverOpen):
        deadline(D(2026, 1, 1), business(1), closed, [(D(2026, 1, 1), D(2040, 1, 1))])


def test_extension_counts_from_the_deadline() -> None:
    due = deadline(D(2026, 12, 3), business(2), OFFICE)
    assert extended(due, business(3), OFFICE) == D(2026, 12, 10)


@given(
    start=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
    days=st.integers(min_value=1, max_value=60),
)
def test_a_business_deadline_counts_exactly_its_days(start: dt.date, days: int) -> None:
    due = deadline(start, business(days), OFFICE)

    assert is_business_day(due, OFFICE)
    counted = sum(
        is_business_day(start + dt.timedelta(days=offset), OFFICE)
        for offset in range(1, (due - start).days + 1)
    )
    assert counted == days


@given(
    start=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=400),
    first=st.integers(min_value=-10, max_value=400),
    length=st.integers(min_value=0, max_value=30),
    counting=st.sampled_from(["calendar", "business"]),
)
def test_a_suspension_never_brings_a_deadline_forward(
    start: dt.date, days: int, first: int, length: int, counting: str
) -> None:
    duration = Duration(days, "days", counting)
    span = (start + dt.timedelta(days=first), start + dt.timedelta(days=first + length))
    plain = deadline(start, duration, OFFICE)
    suspended = deadline(start, duration, OFFICE, [span])

    assert suspended >= plain
    if counting == "calendar":
        assert plain == start + dt.timedelta(days=days)
        overlap = max(
            0,
            (min(span[1], suspended) - max(span[0], start + dt.timedelta(days=1))).days
            + 1,
        )
        assert suspended == plain + dt.timedelta(days=overlap)


@given(
    day=st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
    months=st.integers(min_value=0, max_value=240),
)
def test_months_date_to_date(day: dt.date, months: int) -> None:
    due = add_months(day, months)
    assert (due.year - day.year) * 12 + due.month - day.month == months
    assert due.day == day.day or (
        due.day < day.day and (due + dt.timedelta(days=1)).day == 1
    )
