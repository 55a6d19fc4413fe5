import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.checks.niss import check_digits, check_niss
from guichet.demo.identifiers import national_number


def test_reads_birth_date_and_sex_of_a_national_number() -> None:
    result = check_niss("85.07.30-033.28")
    assert result.valid
    assert result.normalized == "85073003328"
    assert result.fields["type"] == "nn"
    assert result.fields["birth_date"] == "1985-07-30"
    assert result.fields["sex"] == "M"
    assert result.fields["formatted"] == "85.07.30-033.28"


def test_applies_the_year_2000_rule() -> None:
    # Born 2001-02-03: the check digits are computed with a "2" prefixed.
    number = national_number(dt.date(2001, 2, 3), 123)
    result = check_niss(number)
    assert result.valid
    assert result.fields["birth_date"] == "2001-02-03"
    # The same nine digits with 1900-rule check digits are a person born in 1901.
    old = national_number(dt.date(1901, 2, 3), 123)
    assert old[:9] == number[:9]
    assert old != number
    assert check_niss(old).fields["birth_date"] == "1901-02-03"


@pytest.mark.parametrize(
    ("_case", "offset", "sex"), [("sex unknown", 20, None), ("sex known", 40, "F")]
)
def test_reads_bis_numbers_with_month_offsets(
    _case: str, offset: int, sex: str | None
) -> None:
    birth = dt.date(1985, 12, 31)
    base = f"{birth:%y}{birth.month + offset:02d}{birth:%d}124"
    number = f"{base}{97 - int(base) % 97:02d}"
    result = check_niss(number)
    assert result.valid
    assert result.fields["type"] == "bis"
    assert result.fields["birth_date"] == "1985-12-31"
    assert result.fields["sex"] == sex


@pytest.mark.parametrize(
    ("_case", "value", "code"),
    [
        ("too short", "8507300332", "length"),
        ("too long", "850730033281", "length"),
        ("letters", "85O73003328", "format"),
        ("empty", "", "format"),
        ("wrong check digits", "85073003329", "checksum"),
        ("month 13", "85133003328", "checksum"),
    ],
)
def test_refuses_malformed_numbers_with_a_coded_error(
    _case: str, value: str, code: str
) -> None:
    result = check_niss(value)
    assert not result.valid
    assert [error.code for error in result.errors] == [code]
    assert result.errors[0].text


def test_refuses_an_impossible_month_with_valid_check_digits() -> None:
    base = "851330033"
    number = f"{base}{97 - int(base) % 97:02d}"
    result = check_niss(number)
    assert not result.valid
    assert result.errors[0].code == "month"


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2024, 12, 31)),
    counter=st.integers(min_value=1, max_value=998),
    position=st.integers(min_value=0, max_value=10),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_change_is_refused(
    birth: dt.date, counter: int, position: int, delta: int
) -> None:
    number = national_number(birth, counter)
    assert check_niss(number).valid
    changed = (
        number[:position]
        + str((int(number[position]) + delta) % 10)
        + number[position + 1 :]
    )
    result = check_niss(changed)
    # A changed digit either breaks the check or, in the date part, can only
    # produce another valid number by also matching the other century's rule.
    if result.valid:
        assert (
            result.fields["birth_date"] != birth.isoformat()
            or result.normalized == number
        )
    else:
        assert result.errors


def _number(nine: str, *, from_2000: bool) -> str:
    prefix = "2" if from_2000 else ""
    return f"{nine}{97 - int(prefix + nine) % 97:02d}"


@pytest.mark.parametrize(
    ("_case", "birth", "counter"),
    [
        ("last day before 2000", dt.date(1999, 12, 31), 1),
        ("first day of 2000", dt.date(2000, 1, 1), 1),
        ("first day of 2000, a woman", dt.date(2000, 1, 1), 998),
        ("1900", dt.date(1900, 3, 1), 17),
    ],
)
def test_reads_numbers_on_both_sides_of_2000(
    _case: str, birth: dt.date, counter: int
) -> None:
    number = national_number(birth, counter)
    result = check_niss(number, today=dt.date(2026, 1, 1))
    assert result.valid
    assert result.fields["birth_date"] == birth.isoformat()
    assert result.fields["birth_year"] == birth.year
    assert result.fields["sex"] == ("M" if counter % 2 else "F")


def test_the_two_rules_never_give_the_same_check_digits() -> None:
    assert check_digits("000301017", born_from_2000=False) == "71"
    assert check_digits("000301017", born_from_2000=True) == "03"


def test_the_2000_rule_is_refused_for_a_birth_after_the_reference_year() -> None:
    number = _number("300501001", from_2000=True)
    assert [
        error.code for error in check_niss(number, today=dt.date(2026, 6, 1)).errors
    ] == ["checksum"]
    assert (
        check_niss(number, today=dt.date(2030, 6, 1)).fields["birth_date"]
        == "2030-05-01"
    )


@pytest.mark.parametrize(
    ("_case", "nine", "birth_date", "birth_year", "birth_month"),
    [
        ("month unknown", "850012001", None, 1985, None),
        ("day unknown", "850700001", None, 1985, 7),
        ("day past the end of the month", "850231001", None, 1985, 2),
        ("fully unknown", "000001001", None, None, None),
        ("bis, month unknown", "852000001", None, 1985, None),
        ("bis, 31 December", "855231001", "1985-12-31", 1985, 12),
    ],
)
def test_reads_unknown_parts_of_the_birth_date(
    _case: str,
    nine: str,
    birth_date: str | None,
    birth_year: int | None,
    birth_month: int | None,
) -> None:
    result = check_niss(_number(nine, from_2000=False))
    assert result.valid
    assert (
        result.fields["birth_date"],
        result.fields["birth_year"],
        result.fields["birth_month"],
    ) == (birth_date, birth_year, birth_month)


@pytest.mark.parametrize(
    ("_case", "month", "valid", "kind", "sex"),
    [
        ("nn december", 12, True, "nn", "M"),
        ("bis +20 first", 21, True, "bis", None),
        ("bis +20 last", 32, True, "bis", None),
        ("between the offsets", 33, False, None, None),
        ("bis +40 first", 41, True, "bis", "M"),
        ("bis +40 last", 52, True, "bis", "M"),
        ("after the offsets", 53, False, None, None),
    ],
)
def test_bis_month_offsets(
    _case: str, month: int, valid: bool, kind: str | None, sex: str | None
) -> None:
    result = check_niss(_number(f"85{month:02d}10001", from_2000=False))
    assert result.valid is valid
    if valid:
        assert (result.fields["type"], result.fields["sex"]) == (kind, sex)
    else:
        assert [error.code for error in result.errors] == ["month"]
        assert result.errors[0].field == "birth_date"
