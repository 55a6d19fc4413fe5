"""One entry point for every kind of check."""

from __future__ import annotations

import datetime as dt

import pytest

from guichet.checks.kinds import KINDS, UnknownCheck, run_check
from tests.checks.test_mrz import TD3


def test_lists_every_kind() -> None:
    assert KINDS == ("niss", "bce", "iban", "bic", "ogm", "mrz")


def test_joins_the_values_of_a_one_value_kind() -> None:
    result = run_check("iban", ["BE68", "5390", "0754", "7034"])
    assert result.valid
    assert result.normalized == "BE68539007547034"


def test_passes_the_lines_of_a_zone_and_the_reference_date() -> None:
    assert run_check("mrz", TD3, on=dt.date(2012, 4, 15)).fields["expired"] is False
    assert run_check("mrz", TD3, on=dt.date(2012, 4, 16)).fields["expired"] is True


def test_the_reference_date_rules_the_year_2000_check_of_national_numbers() -> None:
    born_2030 = "30050100181"
    assert run_check("niss", [born_2030], on=dt.date(2031, 1, 1)).valid
    assert not run_check("niss", [born_2030], on=dt.date(2029, 1, 1)).valid


def test_an_unknown_kind_is_a_not_found_error_naming_the_kinds() -> None:
    with pytest.raises(UnknownCheck) as raised:
        run_check("passport", ["x"])
    assert raised.value.code == "unknown_check"
    assert raised.value.status == 404
    assert "niss, bce, iban, bic, ogm, mrz" in raised.value.text
