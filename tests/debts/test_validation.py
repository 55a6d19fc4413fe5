"""Reading a payment to preview: defaults, and every problem named by its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from guichet.core.errors import ValidationFailed
from guichet.debts import validation as v


def test_a_payment_defaults_to_the_month_of_its_date_and_no_children() -> None:
    payment = v.payment_request({"paid_on": "2025-03-10", "replacement": "1 900,50"})
    assert payment.paid_on == dt.date(2025, 3, 10)
    assert payment.period == "2025-03"
    assert payment.children == 0
    assert payment.income.replacement == Decimal("1900.50")
    assert payment.income.earned is None


def test_a_payment_keeps_the_month_given() -> None:
    payment = v.payment_request(
        {"paid_on": "2025-03-02", "period": "2025-02", "earned": "10", "children": "2"}
    )
    assert (payment.period, payment.children) == ("2025-02", 2)


@pytest.mark.parametrize(
    ("_case", "data", "errors"),
    [
        ("nothing", {}, [("paid_on", "required"), ("earned", "no_income")]),
        (
            "bad date, no period error",
            {"paid_on": "2025-02-30", "earned": "1"},
            [("paid_on", "not_a_date")],
        ),
        (
            "bad month",
            {"paid_on": "2025-02-03", "period": "2025-13", "earned": "1"},
            [("period", "invalid_period")],
        ),
        (
            "negative and three decimals",
            {"paid_on": "2025-02-03", "earned": "-1", "replacement": "1.001"},
            [("earned", "negative_amount"), ("replacement", "too_many_decimals")],
        ),
        (
            "children",
            {"paid_on": "2025-02-03", "earned": "1", "children": "-2"},
            [("children", "not_a_count")],
        ),
    ],
)
def test_a_bad_payment_names_every_field(
    _case: str, data: dict[str, Any], errors: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        v.payment_request(data)
    assert [(error.field, error.code) for error in refused.value.errors] == errors


def test_a_posting_needs_its_month() -> None:
    with pytest.raises(ValidationFailed) as refused:
        v.payment_request(
            {"paid_on": "2025-02-03", "earned": "1"}, period_required=True
        )
    assert [(error.field, error.code) for error in refused.value.errors] == [
        ("period", "invalid_period")
    ]
