from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.core.money import format_amount, parse_amount, quantize


@pytest.mark.parametrize(
    ("_case", "text", "value"),
    [
        ("dot", "1234.5", Decimal("1234.5")),
        ("comma", "1234,50", Decimal("1234.50")),
        ("grouped", "1 234,50", Decimal("1234.50")),
        ("whole", "12", Decimal(12)),
    ],
)
def test_parse_amount_reads_belgian_and_plain_forms(
    _case: str, text: str, value: Decimal
) -> None:
    assert parse_amount(text) == value


@pytest.mark.parametrize(
    "text", ["", "-1", "1.234", "1e3", "NaN", "abc", "1.2.3", "+5"]
)
def test_parse_amount_refuses_signs_exponents_and_three_decimals(text: str) -> None:
    with pytest.raises(ValueError, match=r"amount|decimals"):
        parse_amount(text)


def test_quantize_rounds_half_up() -> None:
    assert quantize(Decimal("0.005")) == Decimal("0.01")
    assert quantize(Decimal("2.675")) == Decimal("2.68")
    assert format_amount(Decimal(7)) == "7.00"


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_format_then_parse_is_identity(amount: Decimal) -> None:
    assert parse_amount(format_amount(amount)) == amount
