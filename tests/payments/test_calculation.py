from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.debts import allocation
from guichet.payments import calculation, keys
from guichet.payments.calculation import Declared, Terms
from tests.debts.factories import shipped

RATES = allocation.RecoveryRates(ordinary=Decimal("0.10"), fraud=Decimal(1))
TABLE = shipped("2026")


def _terms(daily: str = "60.00", rate: str = "0", **kwargs: object) -> Terms:
    values: dict[str, object] = {
        "id": 1,
        "category": "full_unemployment",
        "daily_amount": Decimal(daily),
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": None,
        "withholding_rate": Decimal(rate),
    }
    values.update(kwargs)
    return Terms(**values)  # type: ignore[arg-type]


def test_days_worked_sick_and_on_holiday_are_not_paid() -> None:
    declared = Declared(days_payable=31, days_worked=10, days_sick=3, days_holiday=2)

    assert calculation.payable_days(declared=declared, month="2026-01") == 16


def test_days_declared_are_shared_by_entitlements_in_order() -> None:
    first = _terms(id=1, ends_on=dt.date(2026, 1, 10))
    second = _terms(id=2, starts_on=dt.date(2026, 1, 11), daily="70.00")

    lines = calculation.entitlement_lines(
        entitlements=[second, first],
        declared=Declared(days_payable=22),
        month="2026-01",
    )

    assert [(line.terms.id, line.days) for line in lines] == [(1, 10), (2, 12)]


def test_withholding_is_rounded_half_up_per_entitlement() -> None:
    month = calculation.compute_month(
        entitlements=[_terms(daily="60.05", rate="0.1009")],
        declared=Declared(days_payable=1),
        month="2026-01",
        children=0,
        claims=[],
        table=None,
        rates=RATES,
    )

    assert month.withholding == Decimal("6.06")  # 6.059045
    assert month.net == Decimal("53.99")


def test_months_between_and_previous() -> None:
    assert calculation.months_between("2025-11", "2026-02") == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert calculation.previous_month("2026-01") == "2025-12"


def test_end_to_end_ids_fit_sepa() -> None:
    text = keys.end_to_end_id(
        month="2026-01", beneficiary=10**9, entitlement=10**9, debt=10**9
    )

    assert len(text) <= 35
    assert keys.message_id(team=6, month="2026-12", sequence=0) == (
        "GUICHET-T6-202612-00001"
    )


_claims = st.lists(
    st.builds(
        lambda kind, balance, day: (kind, balance, day),
        st.sampled_from(list(allocation.ClaimKind)),
        st.integers(min_value=1, max_value=500_000),
        st.integers(min_value=1, max_value=700),
    ),
    max_size=4,
)


@settings(max_examples=60, deadline=None)
@given(
    daily=st.integers(min_value=100, max_value=15_000),
    rate=st.integers(min_value=0, max_value=5000),
    days=st.integers(min_value=0, max_value=31),
    children=st.integers(min_value=0, max_value=4),
    raw_claims=_claims,
)
def test_net_withholding_and_deductions_add_up_to_gross(
    daily: int,
    rate: int,
    days: int,
    children: int,
    raw_claims: list[tuple[str, int, int]],
) -> None:
    claims = [
        allocation.Claim(
            id=index,
            kind=allocation.ClaimKind(kind),
            notified_on=dt.date(2024, 1, 1) + dt.timedelta(days=day),
            balance=Decimal(balance).scaleb(-2),
        )
        for index, (kind, balance, day) in enumerate(raw_claims)
    ]

    month = calculation.compute_month(
        entitlements=[
            _terms(
                daily=str(Decimal(daily).scaleb(-2)), rate=str(Decimal(rate).scaleb(-4))
            )
        ],
        declared=Declared(days_payable=days),
        month="2026-01",
        children=children,
        claims=claims,
        table=TABLE,
        rates=RATES,
    )

    assert month.gross == month.withholding + month.deductions + month.net
    assert min(month.withholding, month.deductions, month.net) >= 0
    if month.allocation is not None:
        for line in month.allocation.lines:
            assert line.amount <= line.claim.balance
        ordinary = sum(
            (
                line.amount
                for line in month.allocation.lines
                if line.claim.kind
                in (allocation.ClaimKind.SEIZURE, allocation.ClaimKind.ASSIGNMENT)
            ),
            Decimal(0),
        )
        assert ordinary <= month.allocation.garnishment.ordinary_seizable
    else:
        assert month.deductions == 0
