"""Money: `Decimal` euros, rounded only here, half-up to the cent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def quantize(amount: Decimal) -> Decimal:
    """Round half-up to the cent: the only rounding of money in Guichet."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str) -> Decimal:
    """Read a non-negative amount with at most two decimals, or raise ValueError.

    Accepts "1234.5", "1234,50" and "1 234,50"; refuses floats' exponents, signs,
    NaN and more than two decimals, because a third decimal is always a typing error.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned or cleaned.count(".") > 1 or not cleaned.replace(".", "").isdigit():
        raise ValueError("not an amount")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("not an amount") from None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError("more than two decimals")
    return value


def cents(amount: Decimal) -> int:
    """Whole cents of an amount in euros (what a SEPA file carries); an amount
    with more than two decimals is a defect upstream, never silently truncated."""
    value = amount * 100
    if value != value.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of cents")
    return int(value)


def format_amount(amount: Decimal) -> str:
    """The canonical text of an amount: two decimals, a dot, no grouping."""
    return f"{quantize(amount):.2f}"
