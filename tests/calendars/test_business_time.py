"""Deadline arithmetic in business time (`calendars/business_time.py`): examples
worked out by hand from the 2026 calendar, then Hypothesis properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from guichet.calendars import business_time as bt

BRUSSELS = ZoneInfo("Europe/Brussels")
OFFICE = ((9 * 60, 17 * 60),)
SPLIT = ((9 * 60, 12 * 60), (13 * 60, 17 * 60))
DEFAULT = bt.Calendar(code="default", week=(OFFICE,) * 5 + ((), ()))
ALWAYS = bt.Calendar(
    code="always", week=(((0, 1440),),) * 7, closes_on_public_holidays=False
)


def at(*parts: int) -> dt.datetime:
    """A wall-clock instant in Brussels."""
    return dt.datetime(*parts, tzinfo=BRUSSELS)


def due(
    start: dt.datetime,
    hours: str | int,
    calendar: bt.Calendar = DEFAULT,
    pauses: list[bt.Pause] | tuple[()] = (),
) -> dt.datetime:
    return bt.due(start, Decimal(hours), calendar, pauses)


# Weekends, holidays, opening and closing


@pytest.mark.parametrize(
    ("_case", "start", "hours", "expected"),
    [
        ("within a day", at(2026, 12, 7, 9), "2", "2026-12-07T11:00:00+01:00"),
        ("over the weekend", at(2026, 12, 4, 16), "3", "2026-12-07T11:00:00+01:00"),
        (
            "Christmas, then the weekend",
            at(2026, 12, 24, 16),
            "2",
            "2026-12-28T10:00:00+01:00",
        ),
        ("New Year", at(2026, 12, 31, 16), "1.5", "2027-01-04T09:30:00+01:00"),
        ("Easter Monday", at(2026, 4, 3, 16), "2", "2026-04-07T10:00:00+02:00"),
        (
            "Labour Day and Ascension",
            at(2026, 4, 30, 17),
            "8",
            "2026-05-04T17:00:00+02:00",
        ),
        ("Ascension Thursday", at(2026, 5, 13, 17), "8", "2026-05-15T17:00:00+02:00"),
        ("Whit Monday", at(2026, 5, 22, 17), "1", "2026-05-26T10:00:00+02:00"),
        (
            "National Day on a Tuesday",
            at(2026, 7, 20, 17),
            "1",
            "2026-07-22T10:00:00+02:00",
        ),
        (
            "Armistice on a Wednesday",
            at(2026, 11, 10, 16),
            "2",
            "2026-11-12T10:00:00+01:00",
        ),
        (
            "start before opening",
            at(2026, 12, 7, 7, 30),
            "1",
            "2026-12-07T10:00:00+01:00",
        ),
        ("start after closing", at(2026, 12, 7, 18), "1", "2026-12-08T10:00:00+01:00"),
        ("start on a Saturday", at(2026, 12, 5, 11), "1", "2026-12-07T10:00:00+01:00"),
        ("start on a holiday", at(2026, 12, 25, 10), "1", "2026-12-28T10:00:00+01:00"),
        ("minutes", at(2026, 12, 7, 9), "0.25", "2026-12-07T09:15:00+01:00"),
    ],
)
def test_counts_only_opening_hours(
    _case: str, start: dt.datetime, hours: str, expected: str
) -> None:
    assert due(start, hours).isoformat() == expected


def test_a_count_that_ends_at_closing_is_due_at_closing() -> None:
    assert due(at(2026, 12, 7, 9), 8).isoformat() == "2026-12-07T17:00:00+01:00"
    assert due(at(2026, 12, 4, 16), 1).isoformat() == "2026-12-04T17:00:00+01:00"
    split = bt.Calendar(code="split", week=(SPLIT,) * 5 + ((), ()))
    assert due(at(2026, 12, 7, 9), 3, split).isoformat() == "2026-12-07T12:00:00+01:00"
    assert due(at(2026, 12, 7, 11), 2, split).isoformat() == "2026-12-07T14:00:00+01:00"


@pytest.mark.parametrize(
    ("_case", "start", "expected"),
    [
        ("inside opening hours", at(2026, 12, 7, 10, 17), "2026-12-07T10:17:00+01:00"),
        ("at opening", at(2026, 12, 7, 9), "2026-12-07T09:00:00+01:00"),
        ("at closing", at(2026, 12, 7, 17), "2026-12-08T09:00:00+01:00"),
        ("at night", at(2026, 12, 7, 23), "2026-12-08T09:00:00+01:00"),
        (
            "on Christmas Eve evening",
            at(2026, 12, 24, 17, 30),
            "2026-12-28T09:00:00+01:00",
        ),
    ],
)
def test_zero_hours_is_the_start_inside_opening_hours_else_the_next_opening(
    _case: str, start: dt.datetime, expected: str
) -> None:
    assert due(start, 0).isoformat() == expected
    assert bt.next_opening(start, DEFAULT).isoformat() == expected


def test_answers_in_the_calendars_zone_whatever_the_start_zone() -> None:
    start = dt.datetime(2026, 12, 24, 15, tzinfo=dt.UTC)  # 16:00 in Brussels
    result = due(start, 2)
    assert result.tzinfo == BRUSSELS
    assert result.isoformat() == "2026-12-28T10:00:00+01:00"


def test_closing_days_close_all_day() -> None:
    bridge = bt.Calendar(
        code="bridge",
        week=DEFAULT.week,
        closed_dates=frozenset({dt.date(2026, 5, 15)}),  # the Friday after Ascension
    )
    assert (
        due(at(2026, 5, 13, 17), 8, bridge).isoformat() == "2026-05-18T17:00:00+02:00"
    )


def test_public_holidays_may_be_left_open() -> None:
    open_on_holidays = bt.Calendar(
        code="open", week=DEFAULT.week, closes_on_public_holidays=False
    )
    assert due(at(2026, 12, 24, 16), 2, open_on_holidays).isoformat() == (
        "2026-12-25T10:00:00+01:00"
    )


def test_belgian_public_holidays_of_2026() -> None:
    assert sorted(bt.belgian_public_holidays(2026)) == [
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 5),  # Easter Sunday
        dt.date(2026, 4, 6),
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 14),
        dt.date(2026, 5, 24),  # Whit Sunday
        dt.date(2026, 5, 25),
        dt.date(2026, 7, 21),
        dt.date(2026, 8, 15),
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 11),
        dt.date(2026, 12, 25),
    ]


def test_split_days_count_both_intervals() -> None:
    split = bt.Calendar(code="split", week=(SPLIT,) * 5 + ((), ()))
    assert due(at(2026, 12, 7, 11), "1.5", split).isoformat() == (
        "2026-12-07T13:30:00+01:00"
    )
    assert due(at(2026, 12, 7, 12, 30), 1, split).isoformat() == (
        "2026-12-07T14:00:00+01:00"
    )


# Pauses


def test_a_pause_stops_the_clock() -> None:
    pause = (at(2026, 12, 7, 10), at(2026, 12, 7, 11))
    assert due(at(2026, 12, 7, 9), 2, pauses=[pause]).isoformat() == (
        "2026-12-07T12:00:00+01:00"
    )


def test_a_pause_over_closed_time_changes_nothing_there() -> None:
    # From Friday 16:00 to Monday 10:00: only Monday 09:00-10:00 is paused business time.
    pause = (at(2026, 12, 4, 18), at(2026, 12, 7, 10))
    assert due(at(2026, 12, 4, 16), 3, pauses=[pause]).isoformat() == (
        "2026-12-07T12:00:00+01:00"
    )
    night = (at(2026, 12, 7, 18), at(2026, 12, 8, 8))
    assert due(at(2026, 12, 7, 16), 2, pauses=[night]).isoformat() == (
        "2026-12-08T10:00:00+01:00"
    )


def test_overlapping_pauses_are_merged() -> None:
    pauses = [
        (at(2026, 12, 7, 10), at(2026, 12, 7, 12)),
        (at(2026, 12, 7, 11), at(2026, 12, 7, 13)),
        (at(2026, 12, 7, 10, 30), at(2026, 12, 7, 11)),
        (at(2026, 12, 7, 13), at(2026, 12, 7, 14)),  # touches the others
    ]
    assert due(at(2026, 12, 7, 9), 2, pauses=pauses).isoformat() == (
        "2026-12-07T15:00:00+01:00"
    )
    assert bt.merge_pauses(pauses) == [
        (at(2026, 12, 7, 10).astimezone(dt.UTC), at(2026, 12, 7, 14).astimezone(dt.UTC))
    ]


def test_a_pause_before_the_start_changes_nothing() -> None:
    pause = (at(2026, 12, 1, 10), at(2026, 12, 7, 10))
    assert due(at(2026, 12, 7, 11), 1, pauses=[pause]).isoformat() == (
        "2026-12-07T12:00:00+01:00"
    )


def test_a_count_that_ends_when_a_pause_starts_is_due_then() -> None:
    pause = (at(2026, 12, 7, 11), at(2026, 12, 9, 11))
    assert due(at(2026, 12, 7, 9), 2, pauses=[pause]).isoformat() == (
        "2026-12-07T11:00:00+01:00"
    )


def test_zero_hours_inside_a_pause_waits_for_its_end() -> None:
    pause = (at(2026, 12, 7, 10), at(2026, 12, 7, 11, 30))
    assert due(at(2026, 12, 7, 10, 15), 0, pauses=[pause]).isoformat() == (
        "2026-12-07T11:30:00+01:00"
    )


def test_an_empty_pause_changes_nothing() -> None:
    pause = (at(2026, 12, 7, 10), at(2026, 12, 7, 10))
    assert due(at(2026, 12, 7, 9), 2, pauses=[pause]).isoformat() == (
        "2026-12-07T11:00:00+01:00"
    )


# Daylight saving time in Europe/Brussels (29 March and 25 October 2026)


@pytest.mark.parametrize(
    ("_case", "start", "hours", "expected"),
    [
        (
            "spring, over the change",
            at(2026, 3, 27, 16),
            "2",
            "2026-03-30T10:00:00+02:00",
        ),
        (
            "spring, a week over it",
            at(2026, 3, 23, 9),
            "40",
            "2026-03-27T17:00:00+01:00",
        ),
        (
            "spring, two weeks over it",
            at(2026, 3, 23, 9),
            "80",
            "2026-04-03T17:00:00+02:00",
        ),
        (
            "autumn, over the change",
            at(2026, 10, 23, 16),
            "2",
            "2026-10-26T10:00:00+01:00",
        ),
        (
            "autumn, two weeks over it",
            at(2026, 10, 19, 9),
            "80",
            "2026-10-30T17:00:00+01:00",
        ),
    ],
)
def test_opening_hours_stay_wall_clock_across_daylight_saving_changes(
    _case: str, start: dt.datetime, hours: str, expected: str
) -> None:
    assert due(start, hours).isoformat() == expected


def test_a_day_may_last_23_or_25_hours() -> None:
    # Open around the clock: Saturday 24 hours, then the Sunday of the change.
    spring = at(2026, 3, 28, 0)
    assert due(spring, 24 + 23, ALWAYS).isoformat() == "2026-03-30T00:00:00+02:00"
    assert bt.business_duration(
        at(2026, 3, 29, 0), at(2026, 3, 30, 0), ALWAYS
    ) == dt.timedelta(hours=23)
    autumn = at(2026, 10, 24, 0)
    assert due(autumn, 24 + 25, ALWAYS).isoformat() == "2026-10-26T00:00:00+01:00"
    assert bt.business_duration(
        at(2026, 10, 25, 0), at(2026, 10, 26, 0), ALWAYS
    ) == dt.timedelta(hours=25)


def test_wall_times_in_the_spring_gap_move_forward() -> None:
    night = bt.Calendar(
        code="night",
        week=(((150, 240),),) * 7,  # 02:30-04:00
        closes_on_public_holidays=False,
    )
    # On 29 March 2026 02:30 does not exist: it reads as 03:30 summer time.
    assert night.opening_intervals(dt.date(2026, 3, 29)) == [
        (at(2026, 3, 29, 3, 30), at(2026, 3, 29, 4))
    ]
    # On 25 October 02:30 happens twice: the first one counts.
    first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert night.opening_intervals(dt.date(2026, 10, 25))[0][0] == first


# Long spans


def test_long_spans_jump_by_whole_weeks_to_the_right_day() -> None:
    # 40 business days from Monday 5 January 2026: eight weeks, no holiday.
    assert due(at(2026, 1, 5, 9), 40 * 8).isoformat() == "2026-02-27T17:00:00+01:00"
    # 90 business days from 1 April 2026 cross Easter Monday, 1 May, Ascension,
    # Whit Monday and 21 July.
    assert due(at(2026, 4, 1, 9), 90 * 8).isoformat() == "2026-08-11T17:00:00+02:00"
    # A whole year of business days: 2026 has 253 weekdays not on a holiday
    # (261 weekdays, 8 holidays on weekdays: 15 August and 1 November are not).
    assert due(at(2026, 1, 1, 0), 253 * 8).isoformat() == "2026-12-31T17:00:00+01:00"


def test_business_duration_of_a_quarter() -> None:
    assert bt.business_duration(
        at(2026, 1, 1, 0), at(2026, 4, 1, 0), DEFAULT
    ) == dt.timedelta(hours=8 * 63)


def test_long_spans_agree_with_a_day_by_day_count() -> None:
    # A pause every other week forces the walk to go day by day there.
    pauses = [
        (
            at(2026, 1, 5, 0) + dt.timedelta(weeks=2 * n),
            at(2026, 1, 5, 10) + dt.timedelta(weeks=2 * n),
        )
        for n in range(30)
    ]
    start = at(2026, 1, 2, 15)
    quick = due(start, 900)
    paused = due(start, 900, pauses=pauses)
    assert bt.business_duration(start, quick, DEFAULT) == dt.timedelta(hours=900)
    assert bt.business_duration(start, paused, DEFAULT, pauses) == dt.timedelta(
        hours=900
    )
    # Without pauses the deadline is Tuesday 16 June 11:00. Twelve paused Mondays
    # come before it (5 January to 8 June), one of them Whit Monday (closed anyway):
    # eleven business hours later is Wednesday 17 June 14:00.
    assert quick.isoformat() == "2026-06-16T11:00:00+02:00"
    assert paused.isoformat() == "2026-06-17T14:00:00+02:00"


# Refusals


def test_refuses_naive_instants() -> None:
    with pytest.raises(bt.NaiveDatetime):
        bt.due(dt.datetime(2026, 12, 7, 9), Decimal(1), DEFAULT)  # noqa: DTZ001 - the point
    with pytest.raises(bt.NaiveDatetime):
        bt.due(
            at(2026, 12, 7, 9),
            Decimal(1),
            DEFAULT,
            [(dt.datetime(2026, 12, 7, 9), at(2026, 12, 7, 10))],  # noqa: DTZ001
        )


@pytest.mark.parametrize(
    ("_case", "hours", "error"),
    [
        ("negative", Decimal(-1), bt.NegativeHours),
        ("negative timedelta", dt.timedelta(hours=-1), bt.NegativeHours),
        ("not a number", Decimal("NaN"), bt.InvalidHours),
        ("infinite", Decimal("Infinity"), bt.InvalidHours),
        ("float", 1.5, bt.InvalidHours),
        ("too large", Decimal("1e30"), bt.InvalidHours),
    ],
)
def test_refuses_hours_it_cannot_count(_case: str, hours: object, error: type) -> None:
    with pytest.raises(error):
        bt.due(at(2026, 12, 7, 9), hours, DEFAULT)  # type: ignore[arg-type]


def test_accepts_hours_as_timedelta_or_int() -> None:
    assert bt.due(at(2026, 12, 7, 9), dt.timedelta(minutes=90), DEFAULT) == at(
        2026, 12, 7, 10, 30
    )
    assert bt.due(at(2026, 12, 7, 9), 2, DEFAULT) == at(2026, 12, 7, 11)


def test_refuses_a_pause_that_ends_before_it_starts() -> None:
    with pytest.raises(bt.PauseOrder):
        due(at(2026, 12, 7, 9), 1, pauses=[(at(2026, 12, 7, 11), at(2026, 12, 7, 10))])


def test_refuses_an_end_before_the_start() -> None:
    with pytest.raises(bt.BusinessTimeError):
        bt.business_duration(at(2026, 12, 7, 11), at(2026, 12, 7, 10), DEFAULT)


@pytest.mark.parametrize(
    ("_case", "week"),
    [
        ("six days", (OFFICE,) * 6),
        ("never open", ((),) * 7),
        ("reversed", (((600, 540),),) + ((),) * 6),
        ("unordered", (((780, 840), (540, 600)),) + ((),) * 6),
        ("overlapping", (((540, 780), (720, 840)),) + ((),) * 6),
        ("touching", (((540, 720), (720, 840)),) + ((),) * 6),
        ("past midnight", (((1380, 1500),),) + ((),) * 6),
    ],
)
def test_refuses_malformed_calendars(
    _case: str, week: tuple[tuple[bt.Interval, ...], ...]
) -> None:
    with pytest.raises(bt.InvalidCalendar):
        bt.Calendar(code="bad", week=week)


def test_refuses_an_unknown_zone() -> None:
    with pytest.raises(ValueError, match="Mars"):
        bt.Calendar(code="bad", week=DEFAULT.week, time_zone="Mars/Olympus")


def test_gives_up_on_a_calendar_closed_for_ten_years() -> None:
    closed = bt.Calendar(
        code="closed",
        week=(((540, 600),),) + ((),) * 6,
        closed_dates=frozenset(
            dt.date(2026, 12, 7) + dt.timedelta(weeks=n) for n in range(600)
        ),
    )
    with pytest.raises(bt.NeverOpen):
        due(at(2026, 12, 7, 8), 1, closed)


def test_gives_up_at_the_last_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bt, "LAST_DAY", dt.date(2027, 1, 1))
    with pytest.raises(bt.NeverOpen):
        bt.due(at(2026, 12, 7, 9), Decimal(1000), DEFAULT)


@pytest.mark.parametrize(
    "start",
    [
        dt.datetime(1, 1, 1, 5, tzinfo=BRUSSELS),
        dt.datetime(1899, 12, 31, 23, tzinfo=dt.UTC),
        dt.datetime(9000, 1, 1, tzinfo=dt.UTC),
        dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC),
    ],
)
def test_refuses_instants_out_of_range(start: dt.datetime) -> None:
    with pytest.raises(bt.OutOfRange):
        bt.due(start, Decimal(1), DEFAULT)


def test_is_open_at_half_open_intervals() -> None:
    assert bt.is_open(at(2026, 12, 7, 9), DEFAULT)
    assert bt.is_open(at(2026, 12, 7, 16, 59), DEFAULT)
    assert not bt.is_open(at(2026, 12, 7, 17), DEFAULT)
    assert not bt.is_open(at(2026, 12, 25, 10), DEFAULT)


# Properties

minutes = st.integers(min_value=0, max_value=96).map(lambda quarter: quarter * 15)


@st.composite
def days(draw: st.DrawFn) -> tuple[tuple[int, int], ...]:
    """A day's intervals: ordered, apart, within the day (00:00-24:00 included)."""
    cuts = sorted(draw(st.sets(minutes, max_size=6)))
    if len(cuts) % 2:
        cuts = cuts[:-1]
    pairs = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
    result: list[tuple[int, int]] = []
    for start, end in pairs:
        if result and start <= result[-1][1]:
            continue
        result.append((start, end))
    return tuple(result)


@st.composite
def calendars(draw: st.DrawFn) -> bt.Calendar:
    week = tuple(draw(days()) for _ in range(7))
    assume(any(week))
    closed = draw(
        st.frozensets(
            st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31)),
            max_size=20,
        )
    )
    zone = draw(st.sampled_from(["Europe/Brussels", "UTC", "America/New_York"]))
    return bt.Calendar(
        code="generated",
        week=week,
        time_zone=zone,
        closed_dates=closed,
        closes_on_public_holidays=draw(st.booleans()),
    )


instants = st.datetimes(
    min_value=dt.datetime(2026, 1, 1),  # noqa: DTZ001 - hypothesis adds the zone
    max_value=dt.datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.sampled_from([BRUSSELS, dt.UTC]),
)
amounts = st.integers(min_value=0, max_value=60 * 400).map(
    lambda minutes: dt.timedelta(minutes=minutes)
)


@st.composite
def pause_lists(draw: st.DrawFn, start: dt.datetime) -> list[bt.Pause]:
    base = start.astimezone(dt.UTC)  # absolute arithmetic, not wall-clock
    pauses = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        offset = dt.timedelta(minutes=draw(st.integers(-3000, 30000)))
        length = dt.timedelta(minutes=draw(st.integers(0, 6000)))
        pauses.append((base + offset, base + offset + length))
    return pauses


def _inside_or_at_the_end(instant: dt.datetime, calendar: bt.Calendar) -> bool:
    day = instant.astimezone(calendar.zone).date()
    ends = {
        closes
        for check in (day - dt.timedelta(days=1), day)
        for _, closes in calendar.opening_intervals(check)
    }
    return bt.is_open(instant, calendar) or instant in ends


@given(calendar=calendars(), start=instants, amount=amounts)
def test_business_duration_inverts_due(
    calendar: bt.Calendar, start: dt.datetime, amount: dt.timedelta
) -> None:
    result = bt.due(start, amount, calendar)
    assert bt.business_duration(start, result, calendar) == amount


@given(calendar=calendars(), start=instants, amount=amounts, data=st.data())
def test_business_duration_inverts_due_with_pauses(
    calendar: bt.Calendar, start: dt.datetime, amount: dt.timedelta, data: st.DataObject
) -> None:
    pauses = data.draw(pause_lists(start))
    result = bt.due(start, amount, calendar, pauses)
    assert bt.business_duration(start, result, calendar, pauses) == amount


@given(calendar=calendars(), start=instants, first=amounts, second=amounts)
def test_due_is_monotonic_in_hours(
    calendar: bt.Calendar, start: dt.datetime, first: dt.timedelta, second: dt.timedelta
) -> None:
    low, high = sorted([first, second])
    assert bt.due(start, low, calendar) <= bt.due(start, high, calendar)


@given(calendar=calendars(), start=instants, amount=amounts, data=st.data())
def test_a_pause_never_makes_the_deadline_earlier(
    calendar: bt.Calendar, start: dt.datetime, amount: dt.timedelta, data: st.DataObject
) -> None:
    pauses = data.draw(pause_lists(start))
    extra = data.draw(pause_lists(start))
    fewer = bt.due(start, amount, calendar, pauses)
    more = bt.due(start, amount, calendar, pauses + extra)
    assert bt.due(start, amount, calendar) <= fewer <= more


@given(calendar=calendars(), start=instants, amount=amounts, data=st.data())
def test_the_deadline_is_inside_or_at_the_end_of_an_opening_interval(
    calendar: bt.Calendar, start: dt.datetime, amount: dt.timedelta, data: st.DataObject
) -> None:
    pauses = data.draw(pause_lists(start))
    result = bt.due(start, amount, calendar, pauses)
    assert result >= start
    assert result.tzinfo == calendar.zone
    assert _inside_or_at_the_end(result, calendar)


@given(calendar=calendars(), start=instants)
def test_next_opening_is_open_and_nothing_opens_before_it(
    calendar: bt.Calendar, start: dt.datetime
) -> None:
    opening = bt.next_opening(start, calendar)
    assert bt.is_open(opening, calendar)
    assert bt.business_duration(start, opening, calendar) == dt.timedelta(0)


def _due_day_by_day(
    start: dt.datetime, amount: dt.timedelta, calendar: bt.Calendar
) -> dt.datetime:
    """The plainest walk, one day after the other, without week jumps."""
    instant = start.astimezone(dt.UTC)
    day = instant.astimezone(calendar.zone).date()
    remaining = amount
    while True:
        for opens, closes in calendar.opening_intervals(day):
            begins = max(opens, instant)
            if begins >= closes:
                continue
            if remaining <= closes - begins:
                return (begins + remaining).astimezone(calendar.zone)
            remaining -= closes - begins
        day += dt.timedelta(days=1)


@given(calendar=calendars(), start=instants, amount=amounts)
def test_week_jumps_agree_with_walking_day_by_day(
    calendar: bt.Calendar, start: dt.datetime, amount: dt.timedelta
) -> None:
    assert bt.due(start, amount, calendar) == _due_day_by_day(start, amount, calendar)
