"""A dossier's due dates (`dossiers/clock.py`): examples, then the invariants."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from guichet.calendars import business_time as bt
from guichet.casetypes.definition import Deadlines, Duration
from guichet.dossiers import clock

OFFICE = ((9 * 60, 17 * 60),)
CALENDAR = bt.Calendar(code="default", week=(OFFICE,) * 5 + ((), ()))
MONDAY = dt.date(2026, 3, 2)

durations = st.builds(
    Duration,
    amount=st.integers(min_value=0, max_value=90),
    unit=st.sampled_from(["days", "months"]),
    counting=st.just("calendar"),
) | st.builds(
    Duration,
    amount=st.integers(min_value=0, max_value=60),
    unit=st.just("days"),
    counting=st.just("business"),
)
days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))
spans = st.lists(
    st.tuples(days, st.integers(min_value=0, max_value=40)).map(
        lambda span: (span[0], span[0] + dt.timedelta(days=span[1]))
    ),
    max_size=3,
)


def test_stored_spans_stop_the_clock_from_the_day_after() -> None:
    stopped = clock.stopped_days(
        [(MONDAY, dt.date(2026, 3, 9)), (MONDAY, MONDAY), (MONDAY, None)],
        today=dt.date(2026, 3, 4),
    )
    assert stopped == (
        (dt.date(2026, 3, 3), dt.date(2026, 3, 9)),
        (dt.date(2026, 3, 3), dt.date(2026, 3, 4)),
    )


def test_a_setting_gives_no_date_and_the_completion_deadline_is_not_suspended() -> None:
    deadlines = Deadlines(
        processing=Duration(amount=None),
        citizen_completion=Duration(amount=10),
    )
    dues = clock.dues(
        received_on=MONDAY,
        deadlines=deadlines,
        calendar=CALENDAR,
        suspensions=((dt.date(2026, 3, 3), dt.date(2026, 3, 20)),),
    )
    assert dues == clock.Dues(None, None, dt.date(2026, 3, 12))


@given(received=days, duration=durations, suspensions=spans)
def test_a_suspension_never_shortens_a_deadline(
    received: dt.date, duration: Duration, suspensions: list[tuple[dt.date, dt.date]]
) -> None:
    deadlines = Deadlines(processing=duration, service_norm=duration)
    plain = clock.dues(received_on=received, deadlines=deadlines, calendar=CALENDAR)
    stopped = clock.dues(
        received_on=received,
        deadlines=deadlines,
        calendar=CALENDAR,
        suspensions=tuple(suspensions),
    )
    assert plain.processing is not None
    assert stopped.processing is not None
    assert stopped.processing >= plain.processing
    assert stopped.service_norm == stopped.processing


@given(received=days, duration=durations, extension=durations, suspensions=spans)
def test_an_extension_never_shortens_a_deadline(
    received: dt.date,
    duration: Duration,
    extension: Duration,
    suspensions: list[tuple[dt.date, dt.date]],
) -> None:
    deadlines = Deadlines(processing=duration, extension=extension)
    common = {
        "received_on": received,
        "deadlines": deadlines,
        "calendar": CALENDAR,
        "suspensions": tuple(suspensions),
    }
    plain = clock.dues(**common)  # type: ignore[arg-type]
    longer = clock.dues(**common, is_extended=True)  # type: ignore[arg-type]
    assert plain.processing is not None
    assert longer.processing is not None
    assert longer.processing >= plain.processing
