"""Structured payment references (OGM / VCS): remainder mod 97, 97 for 0."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.checks.ogm import check_digits, check_ogm


@pytest.mark.parametrize(
    "value",
    [
        "+++010/8068/17183+++",
        "010806817183",
        "***010/8068/17183***",
        "010/8068/17183",
        " 010 8068 17183 ",
    ],
)
def test_accepts_the_printed_and_the_bare_forms(value: str) -> None:
    result = check_ogm(value)
    assert result.valid
    assert result.normalized == "010806817183"
    assert result.fields == {"formatted": "+++010/8068/17183+++", "check_digits": "83"}


def test_a_remainder_of_zero_gives_97() -> None:
    assert check_digits("0000000097") == "97"
    assert check_ogm("+++000/0000/09797+++").valid
    assert [error.code for error in check_ogm("000000009700").errors] == ["checksum"]


@pytest.mark.parametrize(
    ("_case", "value", "code"),
    [
        ("check digits", "+++010/8068/17180+++", "checksum"),
        ("eleven digits", "+++010/8068/1718+++", "length"),
        ("thirteen digits", "0108068171830", "length"),
        ("a letter", "+++010/8068/1718A+++", "format"),
        ("empty", "", "format"),
    ],
)
def test_refuses_with_a_coded_error(_case: str, value: str, code: str) -> None:
    result = check_ogm(value)
    assert not result.valid
    assert [error.code for error in result.errors] == [code]
    assert result.errors[0].text


@given(
    body=st.from_regex(r"\A[0-9]{10}\Z"),
    position=st.integers(min_value=0, max_value=11),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_one_digit_changed_is_refused(body: str, position: int, delta: int) -> None:
    number = body + check_digits(body)
    assert check_ogm(number).valid
    changed = (
        number[:position]
        + str((int(number[position]) + delta) % 10)
        + number[position + 1 :]
    )
    assert [error.code for error in check_ogm(changed).errors] == ["checksum"]
