"""The cash book's sums, and its invariants under generated days (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from guichet.cashbook import totals

cents = st.integers(min_value=1, max_value=10_000_000).map(
    lambda value: Decimal(value).scaleb(-2)
)
means = st.sampled_from(totals.MEANS)
entries = st.lists(st.tuples(means, cents), max_size=40)


@given(payments=entries, refunds=entries)
def test_expected_total_is_payments_less_refunds(
    payments: list[tuple[str, Decimal]], refunds: list[tuple[str, Decimal]]
) -> None:
    expected = totals.expected_by_means(payments, refunds)

    assert set(expected) == set(totals.MEANS)
    assert sum(expected.values()) == sum(a for _, a in payments) - sum(
        a for _, a in refunds
    )
    for name in totals.MEANS:
        assert expected[name] == sum(a for m, a in payments if m == name) - sum(
            a for m, a in refunds if m == name
        )
        assert expected[name].as_tuple().exponent == -2


@given(counted=st.fixed_dictionaries(dict.fromkeys(totals.MEANS, cents)))
def test_counting_what_was_expected_balances(counted: dict[str, Decimal]) -> None:
    per_means, total = totals.differences(counted, counted)
    assert totals.balances(per_means)
    assert total == Decimal("0.00")


def test_a_surplus_does_not_make_up_for_a_shortfall() -> None:
    expected = {
        "card": Decimal("20.00"),
        "cash": Decimal("20.00"),
        "transfer": Decimal(0),
    }
    counted = {
        "card": Decimal("15.00"),
        "cash": Decimal("25.00"),
        "transfer": Decimal(0),
    }

    per_means, total = totals.differences(counted, expected)

    assert total == Decimal("0.00")
    assert per_means == {
        "card": Decimal("-5.00"),
        "cash": Decimal("5.00"),
        "transfer": Decimal("0.00"),
    }
    assert not totals.balances(per_means)


@given(
    amount=cents, paid=st.lists(cents, max_size=5), refunded=st.lists(cents, max_size=5)
)
def test_remaining_due_adds_back_refunds(
    amount: Decimal, paid: list[Decimal], refunded: list[Decimal]
) -> None:
    assert totals.remaining_due(amount, paid, refunded) == amount - sum(paid) + sum(
        refunded
    )
