"""Data quality: birth dates that contradict the national number (reports.quality)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.demo.identifiers import national_number
from guichet.parties import services as parties
from guichet.parties.models import Person
from guichet.reports import quality
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(make_agent: Callable[..., Any]) -> Any:
    return make_agent("front_office", teams=("cc-fr",))


def _person(birth: dt.date, number: str, **fields: Any) -> Person:
    person: Person = PersonFactory(
        birth_date=birth,
        national_number=number,
        national_number_type="bis" if int(number[2:4]) > 12 else "nn",
        **fields,
    )
    return person


def _found(agent: Any, check: str = quality.BIRTH_DATE) -> list[Person]:
    return [finding.person for finding in quality.findings(agent=agent, check=check)]


@pytest.mark.parametrize(
    ("_case", "born", "number_for", "bis"),
    [
        ("national number", dt.date(1985, 7, 30), dt.date(1985, 7, 30), False),
        (
            "BIS number, sex known (+40)",
            dt.date(1990, 2, 28),
            dt.date(1990, 2, 28),
            True,
        ),
        ("born in 2000 or later", dt.date(2003, 11, 5), dt.date(2003, 11, 5), False),
        ("born on 1 January 2000", dt.date(2000, 1, 1), dt.date(2000, 1, 1), False),
    ],
)
def test_a_birth_date_that_agrees_is_not_listed(
    agent: Any, _case: str, born: dt.date, number_for: dt.date, bis: bool
) -> None:
    _person(born, national_number(number_for, 33, bis=bis))

    assert _found(agent) == []


@pytest.mark.parametrize(
    ("_case", "born", "number_for", "bis"),
    [
        ("a day off", dt.date(1985, 7, 31), dt.date(1985, 7, 30), False),
        ("BIS number, another month", dt.date(1990, 3, 28), dt.date(1990, 2, 28), True),
        (
            "another century, same six digits",
            dt.date(1905, 11, 5),
            dt.date(2005, 11, 5),
            False,
        ),
        (
            "born in 2000, number of 1900",
            dt.date(2000, 1, 1),
            dt.date(1900, 1, 1),
            False,
        ),
    ],
)
def test_a_birth_date_that_contradicts_is_listed(
    agent: Any, _case: str, born: dt.date, number_for: dt.date, bis: bool
) -> None:
    person = _person(born, national_number(number_for, 33, bis=bis))

    found = quality.findings(agent=agent, check=quality.BIRTH_DATE)

    assert [finding.person for finding in found] == [person]
    assert person.national_number is not None
    assert found[0].target == ("person", str(person.uuid))
    assert "says born" in found[0].problem


def test_a_bis_number_without_a_known_date_contradicts_nothing(agent: Any) -> None:
    # "000001" (month 00, day 01) stands for a birth date not known at all.
    base = "000001001"
    number = base + f"{97 - int(base) % 97:02d}"
    _person(dt.date(1977, 4, 9), number)

    assert _found(agent) == []


def test_a_number_with_an_unknown_day_compares_year_and_month() -> None:
    base = "850700001"  # day 00: only July 1985 is known
    number = base + f"{97 - int(base) % 97:02d}"
    today = dt.date(2026, 1, 1)

    same = quality.birth_date_contradiction(number, dt.date(1985, 7, 12), today=today)
    other = quality.birth_date_contradiction(number, dt.date(1986, 7, 12), today=today)

    assert same is None
    assert other is not None
    assert (other["birth_year"], other["birth_month"]) == (1985, 7)


def test_a_number_that_fails_its_check_digits_is_listed(agent: Any) -> None:
    good = national_number(dt.date(1970, 5, 5), 11)
    bad = good[:9] + f"{(int(good[9:]) + 1) % 100:02d}"
    person = _person(dt.date(1970, 5, 5), bad)

    found = quality.findings(agent=agent, check=quality.BIRTH_DATE)

    assert [finding.person for finding in found] == [person]
    assert "check digits" in found[0].problem


def test_a_birth_date_kept_with_a_reason_is_listed_apart(agent: Any) -> None:
    number = national_number(dt.date(1960, 6, 15), 21)
    kept = parties.person_create(
        actor=agent,
        identity=parties.Identity(
            given_names="Anna",
            surname="Kept",
            birth_date=dt.date(1960, 6, 16),
            national_number=number,
        ),
        contradiction_override="The register has the wrong day; see the birth act.",
    )

    assert _found(agent) == []
    found = quality.findings(agent=agent, check=quality.BIRTH_DATE_KEPT)
    assert [finding.person for finding in found] == [kept]
    assert found[0].reason == "The register has the wrong day; see the birth act."
    assert "Kept on purpose" in found[0].problem


def test_a_confidential_person_is_neither_listed_nor_counted(agent: Any) -> None:
    hidden_team = TeamFactory(code="protected")
    _person(
        dt.date(1985, 7, 31),
        national_number(dt.date(1985, 7, 30), 41),
        confidential_team=hidden_team,
    )
    shown = _person(dt.date(1985, 8, 31), national_number(dt.date(1985, 8, 30), 43))

    counts = {row.check: row.count for row in quality.summary(agent=agent)}

    assert _found(agent) == [shown]
    assert counts[quality.BIRTH_DATE] == 1


def test_no_grant_no_finding(make_agent: Callable[..., Any]) -> None:
    first_line = make_agent("first_line")
    _person(dt.date(1985, 7, 31), national_number(dt.date(1985, 7, 30), 45))

    assert _found(first_line) == []


@settings(max_examples=25)
@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    counter=st.integers(min_value=1, max_value=998),
    bis=st.sampled_from([None, 20, 40]),
    shift=st.sampled_from([0, 1, 31, 365 * 100]),
)
def test_any_valid_number_agrees_with_its_own_date_and_no_other(
    agent: Any, born: dt.date, counter: int, bis: int | None, shift: int
) -> None:
    """A number generated for its birth date gives no finding (SQL narrowing and
    Python confirmation agree); the same number with another date gives one."""
    number = national_number(born, counter, bis=bis == 40)
    if bis == 20:
        number = _with_month_plus_20(born, counter)
    recorded = (
        born + dt.timedelta(days=shift)
        if born.year < 1925
        else born - dt.timedelta(days=shift)
    )
    person = _person(recorded, number)
    try:
        found = _found(agent)
        assert found == ([] if shift == 0 else [person])
    finally:
        person.delete()


def _with_month_plus_20(born: dt.date, counter: int) -> str:
    base = f"{born:%y}{born.month + 20:02d}{born:%d}{counter:03d}"
    numeric = int(("2" if born.year >= 2000 else "") + base)
    return f"{base}{97 - numeric % 97:02d}"
