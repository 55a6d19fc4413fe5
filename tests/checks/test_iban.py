"""IBANs: ISO 7064 check digits, the Belgian account check, unknown bank codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum.be import iban as stdnum_be_iban

from guichet.checks.iban import belgian_check_digits, check_iban


def with_iban_check_digits(country: str, bban: str) -> str:
    return country + stdnum_iban.calc_check_digits(f"{country}00{bban}") + bban


def test_reads_a_belgian_iban_and_its_bank() -> None:
    result = check_iban("BE71 0961 2345 6769")
    assert result.valid
    assert result.normalized == "BE71096123456769"
    assert result.warnings == ()
    assert result.fields == {
        "country": "BE",
        "check_digits": "71",
        "bban": "096123456769",
        "formatted": "BE71 0961 2345 6769",
        "bank_code": "096",
        "bank": "BELFIUS BANQUE",
        "bic": "GKCCBEBB",
    }


def test_an_unknown_belgian_bank_code_is_a_warning_not_an_error() -> None:
    # python-stdnum alone refuses this correct IBAN (docs/sources.md §6.2).
    assert not stdnum_be_iban.is_valid("BE68539007547034")
    result = check_iban("BE68 5390 0754 7034")
    assert result.valid
    assert result.errors == ()
    assert [warning.code for warning in result.warnings] == ["unknown_bank"]
    assert "539" in result.warnings[0].text
    assert (result.fields["bank"], result.fields["bic"]) == (None, None)


@pytest.mark.parametrize(
    "value",
    [
        "be71 0961 2345 6769",
        "IBAN BE71-0961-2345-6769",
        "BE71.0961.2345.6769",
        " BE71096123456769 ",
    ],
)
def test_accepts_the_usual_ways_of_writing_it(value: str) -> None:
    result = check_iban(value)
    assert result.valid
    assert result.normalized == "BE71096123456769"


def test_reads_foreign_ibans() -> None:
    result = check_iban("GB29 NWBK 6016 1331 9268 19")
    assert result.valid
    assert result.fields["country"] == "GB"
    assert "bank_code" not in result.fields


@pytest.mark.parametrize(
    ("_case", "value", "expected"),
    [
        ("last digit", "BE71096123456768", ["checksum", "account_checksum"]),
        ("iban check digits", "BE72096123456769", ["checksum"]),
        (
            "belgian account check only",
            with_iban_check_digits("BE", "096123456768"),
            ["account_checksum"],
        ),
        (
            "spanish account check",
            with_iban_check_digits("ES", "21000418460200051332"),
            ["account_checksum"],
        ),
        ("too short", "BE7109612345676", ["length"]),
        ("too long", "BE710961234567690", ["length"]),
        ("unknown country", "XX71096123456769", ["country"]),
        ("letters in a belgian account", "BE71096123456A69", ["format"]),
        ("no check digits", "BEAB096123456769", ["format"]),
        ("punctuation", "BE71/0961/2345/6769", ["format"]),
        ("empty", "", ["format"]),
    ],
)
def test_refuses_with_a_coded_error(
    _case: str, value: str, expected: list[str]
) -> None:
    result = check_iban(value)
    assert not result.valid
    assert [error.code for error in result.errors] == expected
    assert all(error.text for error in result.errors)


def test_length_errors_say_what_is_expected() -> None:
    assert check_iban("BE7109612345676").errors[0].text == (
        "An IBAN of BE has 16 characters; this one has 15."
    )


def test_belgian_check_digits_are_97_for_a_multiple_of_97() -> None:
    assert belgian_check_digits("0000000097") == "97"
    assert belgian_check_digits("0961234567") == "69"


@given(
    account=st.from_regex(r"\A[0-9]{10}\Z"),
    position=st.integers(min_value=2, max_value=15),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_one_digit_changed_is_refused(
    account: str, position: int, delta: int
) -> None:
    number = with_iban_check_digits("BE", account + belgian_check_digits(account))
    assert check_iban(number).valid
    changed = (
        number[:position]
        + str((int(number[position]) + delta) % 10)
        + number[position + 1 :]
    )
    result = check_iban(changed)
    assert not result.valid
    assert {error.code for error in result.errors} <= {"checksum", "account_checksum"}
