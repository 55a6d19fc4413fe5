"""Reading opening hours, instants, hour counts and pauses (`calendars/validation.py`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation

import pytest

from guichet.calendars import validation as v
from guichet.core.validation import Problems


@pytest.mark.parametrize(
    ("_case", "text", "expected"),
    [
        ("empty: closed", "", ()),
        ("blank: closed", "   ", ()),
        ("one interval", "09:00-17:00", ((540, 1020),)),
        ("two intervals", "09:00-12:00, 13:00-17:00", ((540, 720), (780, 1020))),
        (
            "semicolons and spaces",
            "9:00 - 12:00; 13:30 \u2013 17:00",
            ((540, 720), (810, 1020)),
        ),
        ("Belgian spelling", "9h-12h 13h30-17h", ((540, 720), (810, 1020))),
        ("around the clock", "00:00-24:00", ((0, 1440),)),
    ],
)
def test_reads_a_days_hours(
    _case: str, text: str, expected: tuple[tuple[int, int], ...]
) -> None:
    problems = Problems()
    assert v.day_hours(problems, "monday_hours", text) == expected
    assert problems.errors == []


@pytest.mark.parametrize(
    ("_case", "text", "code"),
    [
        ("not an interval", "nine to five", "invalid_interval"),
        ("one bound", "09:00", "invalid_interval"),
        ("three bounds", "09:00-12:00-13:00", "invalid_interval"),
        ("no such hour", "09:00-25:00", "invalid_interval"),
        ("no such minute", "09:60-12:00", "invalid_interval"),
        ("after midnight", "24:30-24:45", "invalid_interval"),
        ("start after end", "17:00-09:00", "interval_reversed"),
        ("empty interval", "09:00-09:00", "interval_reversed"),
        ("not in order", "13:00-17:00, 09:00-12:00", "intervals_unordered"),
        ("overlapping", "09:00-13:00, 12:00-17:00", "intervals_overlap"),
        ("touching", "09:00-12:00, 12:00-17:00", "intervals_overlap"),
    ],
)
def test_refuses_malformed_hours(_case: str, text: str, code: str) -> None:
    problems = Problems()
    assert v.day_hours(problems, "monday_hours", text) == ()
    assert [(error.field, error.code) for error in problems.errors] == [
        ("monday_hours", code)
    ]


def test_canonical_spelling_round_trips() -> None:
    intervals = ((540, 720), (810, 1440))
    assert v.format_intervals(intervals) == "09:00-12:00, 13:30-24:00"
    assert v.parse_day_hours("09:00-12:00, 13:30-24:00") == intervals
    with pytest.raises(ValueError, match="17:00-09:00"):
        v.parse_day_hours("17:00-09:00")


def test_a_week_must_open_at_least_once() -> None:
    problems = Problems()
    v.weekly_hours(problems, [""] * 7)
    assert [error.code for error in problems.errors] == ["never_open"]


def test_time_zones_must_exist() -> None:
    problems = Problems()
    assert v.time_zone(problems, "time_zone", " Europe/Brussels ") == "Europe/Brussels"
    v.time_zone(problems, "time_zone", "Europe/Bruxelles")
    v.time_zone(problems, "time_zone", "../../etc/passwd")
    assert [error.code for error in problems.errors] == ["unknown_time_zone"] * 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-24T16:00:00+01:00", dt.datetime(2026, 12, 24, 15, tzinfo=dt.UTC)),
        ("2026-12-24T15:00Z", dt.datetime(2026, 12, 24, 15, tzinfo=dt.UTC)),
        ("2026-12-24 16:00+01:00", dt.datetime(2026, 12, 24, 15, tzinfo=dt.UTC)),
    ],
)
def test_reads_instants_with_an_offset(text: str, expected: dt.datetime) -> None:
    problems = Problems()
    assert v.instant(problems, "start", text) == expected
    assert problems.errors == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2026-12-24T16:00", "missing_offset"),
        ("2026-12-24", "missing_offset"),
        ("24/12/2026 16:00", "invalid_datetime"),
        ("2026-02-30T10:00+01:00", "invalid_datetime"),
        ("", "invalid_datetime"),
    ],
)
def test_refuses_instants_without_offset_or_malformed(text: str, code: str) -> None:
    problems = Problems()
    assert v.instant(problems, "start", text) is None
    assert [error.code for error in problems.errors] == [code]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8", Decimal(8)),
        ("1.5", Decimal("1.5")),
        (" 0 ", Decimal(0)),
        ("100000", Decimal(100000)),
    ],
)
def test_reads_hours(text: str, expected: Decimal) -> None:
    problems = Problems()
    assert v.hours(problems, "hours", text) == expected
    assert problems.errors == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-1", "negative_hours"),
        ("-0.5", "negative_hours"),
        ("eight", "invalid_hours"),
        ("NaN", "invalid_hours"),
        ("Infinity", "invalid_hours"),
        ("1,5", "invalid_hours"),
        ("100000.01", "hours_too_large"),
    ],
)
def test_refuses_hours(text: str, code: str) -> None:
    problems = Problems()
    assert v.hours(problems, "hours", text) is None
    assert [error.code for error in problems.errors] == [code]


def test_reads_pauses() -> None:
    problems = Problems()
    assert v.pause(
        problems, "pause", "2026-12-07T10:00+01:00/2026-12-07T11:00+01:00"
    ) == (
        dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC),
    )
    assert v.pause(problems, "pause", "2026-12-07T10:00Z/2026-12-07T10:00Z") is not None
    assert problems.errors == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2026-12-07T11:00+01:00/2026-12-07T10:00+01:00", "pause_order"),
        ("2026-12-07T10:00+01:00", "invalid_pause"),
        ("a/b/c", "invalid_pause"),
        ("2026-12-07T10:00/2026-12-07T11:00+01:00", "missing_offset"),
        ("tomorrow/2026-12-07T11:00+01:00", "invalid_datetime"),
    ],
)
def test_refuses_pauses(text: str, code: str) -> None:
    problems = Problems()
    assert v.pause(problems, "pause", text) is None
    assert [error.code for error in problems.errors] == [code]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", "n'a pas de décalage UTC"),
        ("nl", "heeft geen UTC-verschuiving"),
        ("de", "hat keinen UTC-Versatz"),
    ],
)
def test_messages_are_in_the_readers_language(language: str, words: str) -> None:
    problems = Problems()
    v.instant(problems, "start", "2026-12-24T16:00")
    with translation.override(language):
        assert words in problems.errors[0].text
