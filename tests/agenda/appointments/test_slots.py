"""The slot arithmetic (pure): wall-clock slots across both changes of the clocks
in 2027 (28 March, 31 October), public holidays and closing days."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from guichet.agenda.appointments import slots
from guichet.calendars.business_time import Calendar

UTC = dt.UTC
WEEK = ((540, 720),)  # 09:00-12:00
CALENDAR = Calendar(
    code="test",
    week=(((540, 1020),),) * 5 + ((), ()),
    closed_dates=frozenset({dt.date(2027, 3, 26)}),
)
# 28 March 2027 is Easter Sunday too: the clock tests use a calendar without holidays.
NO_HOLIDAYS = Calendar(code="open", week=CALENDAR.week, closes_on_public_holidays=False)


def every_day(hours: tuple[tuple[int, int], ...], minutes: int = 30) -> slots.Week:
    return slots.Week(hours=(hours,) * 7, slot_minutes=minutes)


def test_nine_o_clock_stays_nine_across_the_spring_change() -> None:
    week = every_day(WEEK)
    saturday = slots.day_slots(week, NO_HOLIDAYS, dt.date(2027, 3, 27))
    sunday = slots.day_slots(week, NO_HOLIDAYS, dt.date(2027, 3, 28))
    assert saturday[0].start == dt.datetime(2027, 3, 27, 8, 0, tzinfo=UTC)
    assert sunday[0].start == dt.datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    assert len(saturday) == len(sunday) == 6


def test_the_skipped_hour_has_no_slot_and_the_doubled_hour_one() -> None:
    week = every_day(((60, 240),), minutes=60)  # 01:00-04:00
    spring = slots.day_slots(week, NO_HOLIDAYS, dt.date(2027, 3, 28))
    autumn = slots.day_slots(week, NO_HOLIDAYS, dt.date(2027, 10, 31))
    # 01:00 CET; 02:00 does not exist; 03:00 CEST.
    assert [s.start.hour for s in spring] == [0, 1]
    assert all(s.end - s.start == dt.timedelta(hours=1) for s in spring)
    # 01:00, 02:00 (first time, CEST), 03:00 CET: three slots, wall-clock.
    assert [s.start.hour for s in autumn] == [23, 0, 2]


def test_autumn_change_keeps_wall_clock() -> None:
    week = every_day(WEEK)
    saturday = slots.day_slots(week, NO_HOLIDAYS, dt.date(2027, 10, 30))
    sunday = slots.day_slots(week, NO_HOLIDAYS, dt.date(2027, 10, 31))
    assert saturday[0].start == dt.datetime(2027, 10, 30, 7, 0, tzinfo=UTC)
    assert sunday[0].start == dt.datetime(2027, 10, 31, 8, 0, tzinfo=UTC)


def test_holidays_and_closing_days_have_no_slot() -> None:
    week = every_day(WEEK)
    assert slots.day_slots(week, CALENDAR, dt.date(2027, 3, 29)) == []  # Easter Monday
    assert slots.day_slots(week, CALENDAR, dt.date(2027, 3, 26)) == []  # closing day
    easter_monday = dt.datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    closing = dt.datetime(2027, 3, 26, 8, 0, tzinfo=UTC)
    assert slots.where(week, CALENDAR, easter_monday) == slots.Refusal.HOLIDAY
    assert slots.where(week, CALENDAR, closing) == slots.Refusal.CLOSING_DAY


def test_where_explains_hours_and_grid() -> None:
    week = every_day(WEEK)
    assert (
        slots.where(week, CALENDAR, dt.datetime(2027, 3, 24, 12, 0, tzinfo=UTC))
        == slots.Refusal.OUTSIDE_HOURS
    )
    assert (
        slots.where(week, CALENDAR, dt.datetime(2027, 3, 24, 8, 10, tzinfo=UTC))
        == slots.Refusal.NOT_ON_GRID
    )
    found = slots.where(week, CALENDAR, dt.datetime(2027, 3, 24, 8, 30, tzinfo=UTC))
    assert isinstance(found, slots.Slot)


@given(
    day=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2030, 12, 31)),
    minutes=st.sampled_from([10, 15, 20, 30, 45, 60]),
)
def test_slots_are_in_order_whole_and_inside_the_hours(
    day: dt.date, minutes: int
) -> None:
    week = every_day(((540, 720), (780, 990)), minutes)
    found = slots.day_slots(week, CALENDAR, day)
    zone = CALENDAR.zone
    for slot in found:
        assert slot.end - slot.start == dt.timedelta(minutes=minutes)
        local = slot.start.astimezone(zone)
        assert local.date() == day
        minute = local.hour * 60 + local.minute
        assert any(o <= minute and minute + minutes <= c for o, c in week.hours[0])
        assert slots.where(week, CALENDAR, slot.start) == slot
    assert [s.start for s in found] == sorted({s.start for s in found})
