"""The sums of the cash book: pure functions over `Decimal`s, no ORM.

- `expected_by_means`: what a counter's day should hold per means of payment, the
  day's payments less the day's refunds (a refund is given back by the means of
  the payment it refunds).
- `remaining_due`: what is still due on a fee, its amount less what was paid plus
  what was given back; never below zero (the services refuse overpayment).
- `refundable`: what may still be given back on a payment.
- `differences`: counted less expected per means, and their total.

Every amount is quantised to the cent by `core.money.quantize`, the only rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from guichet.core.money import quantize

from .models import Means

ZERO = Decimal("0.00")
MEANS: tuple[str, ...] = tuple(Means.values)


def expected_by_means(
    payments: Iterable[tuple[str, Decimal]], refunds: Iterable[tuple[str, Decimal]]
) -> dict[str, Decimal]:
    """Per means of payment: the day's payments less the day's refunds."""
    totals = dict.fromkeys(MEANS, ZERO)
    for means, amount in payments:
        totals[means] += amount
    for means, amount in refunds:
        totals[means] -= amount
    return {means: quantize(total) for means, total in totals.items()}


def remaining_due(
    amount_due: Decimal, paid: Iterable[Decimal], refunded: Iterable[Decimal]
) -> Decimal:
    """What is still to pay on a fee."""
    return quantize(amount_due - sum(paid, ZERO) + sum(refunded, ZERO))


def refundable(paid: Decimal, refunded: Iterable[Decimal]) -> Decimal:
    """What may still be given back on a payment."""
    return quantize(paid - sum(refunded, ZERO))


def differences(
    counted: Mapping[str, Decimal], expected: Mapping[str, Decimal]
) -> tuple[dict[str, Decimal], Decimal]:
    """Counted less expected per means, and the total difference."""
    per_means = {means: quantize(counted[means] - expected[means]) for means in MEANS}
    return per_means, quantize(sum(per_means.values(), ZERO))


def balances(per_means: Mapping[str, Decimal]) -> bool:
    """A day balances when every means of payment does (a cash surplus does not
    make up for a missing card payment)."""
    return all(value == ZERO for value in per_means.values())
