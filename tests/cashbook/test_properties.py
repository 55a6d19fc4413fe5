"""Invariants of the cash book on the database, under generated sequences of
payments and refunds (Hypothesis): a refund never exceeds what was paid, the day's
expected total is its payments less its refunds, and receipt numbers are unique
and gap-free per counter and year."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db.models import Sum

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.agents.models import Agent
from guichet.cashbook import services, totals
from guichet.cashbook.models import CashDay, Counter, Payment, Refund
from guichet.core.errors import ValidationFailed
from guichet.dossiers.models import DossierFee

cents = st.integers(min_value=1, max_value=2500).map(
    lambda value: Decimal(value).scaleb(-2)
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.sampled_from(totals.MEANS), cents),
        st.tuples(st.just("refund"), st.integers(min_value=0, max_value=20), cents),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(plan=steps)
def test_cash_book_invariants(
    plan: list[tuple[str, object, Decimal]],
    clerk: Agent,
    senior_clerk: Agent,
    chief: Agent,
    counter: Counter,
    fee_of: Callable[..., DossierFee],
) -> None:
    # Each example gets its own counter and fees (the rows are append-only).
    counter = services.counter_create(
        actor=chief,
        team=counter.team,
        code=f"till-{Counter.objects.count() + 1}",
        name="Generated",
    )
    fees = [fee_of(), fee_of()]

    receipts = 0
    refusals: list[str] = []
    for index, (kind, arg, amount) in enumerate(plan):
        try:
            if kind == "pay":
                services.payment_record(
                    actor=clerk,
                    counter=counter,
                    fee=fees[index % 2],
                    amount=amount,
                    means=arg,
                )
            else:
                payments = list(Payment.objects.filter(counter=counter).order_by("id"))
                if not payments:
                    continue
                services.refund_record(
                    actor=senior_clerk,
                    payment=payments[int(str(arg)) % len(payments)],
                    amount=amount,
                    reason="generated",
                )
            receipts += 1
        except ValidationFailed as refused:
            refusals.append(refused.errors[0].code)

    assert set(refusals) <= {"more_than_due", "more_than_paid", "fee_already_paid"}
    for payment in Payment.objects.filter(counter=counter):
        refunded = Refund.objects.filter(payment=payment).aggregate(s=Sum("amount"))[
            "s"
        ]
        assert (refunded or 0) <= payment.amount
    for fee in DossierFee.objects.filter(pk__in=[f.pk for f in fees]):
        assert services.fee_remaining(fee) >= 0
        assert fee.settled == (services.fee_remaining(fee) == 0)
    numbers = sorted(
        [
            *Payment.objects.filter(counter=counter).values_list("number", flat=True),
            *Refund.objects.filter(counter=counter).values_list("number", flat=True),
        ]
    )
    assert numbers == list(range(1, receipts + 1))
    day = CashDay.objects.filter(counter=counter).first()
    if day is not None:
        paid = Payment.objects.filter(day=day).aggregate(s=Sum("amount"))["s"] or 0
        given_back = Refund.objects.filter(day=day).aggregate(s=Sum("amount"))["s"] or 0
        assert services.day_figures(day).total == paid - given_back
