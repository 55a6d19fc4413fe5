"""One beneficiary's month: days paid, gross, withholding, deductions, net. Pure.

Rules (docs/payments.md, "Amounts and rounding"):

1. **Days paid.** docs/sources.md §7.4 says benefits are paid monthly after the month's
   control card is received, and gives no rule turning a month into paid days (no
   "26 days a month" basis is stated). So the days paid are the days the
   beneficiary *declared* payable on the card, never more than the days of the
   month left once days worked, sick and on holiday are taken out (those are never
   paid), nor more than the calendar days the entitlements cover. With several
   entitlements in one month (one ends, another starts), the declared days go to
   them in the order they start, each at most the days it covers. Assumption
   written down in docs/payments.md.
2. **Gross** of an entitlement: daily amount x days paid, rounded half-up to the
   cent once (`core.money.quantize`).
3. **Withholding tax**: the entitlement's rate (given by the deciding body's
   decision: no rate is in our sources, so none is invented) x that gross, rounded
   half-up to the cent, per entitlement.
4. **Deductions**: the debts engine (`debts.garnishment.seizable_part` then
   `debts.allocation.allocate`) shares the month's income after withholding, as
   replacement income (§6.4), among the claims in their legal order. Nothing is
   re-implemented here; the engine works in whole cents and its lines and
   `to_beneficiary` add up to the income exactly.
5. **Net** = what the engine leaves to the beneficiary. So, exactly:
   gross = withholding + deductions + net.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from guichet.core.money import quantize
from guichet.debts import allocation, garnishment

ZERO = Decimal("0.00")


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """The first and last day of `YYYY-MM`."""
    year, number = (int(part) for part in month.split("-"))
    return dt.date(year, number, 1), dt.date(
        year, number, calendar.monthrange(year, number)[1]
    )


def previous_month(month: str) -> str:
    first, _last = month_bounds(month)
    before = first - dt.timedelta(days=1)
    return f"{before.year:04d}-{before.month:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included (empty when reversed)."""
    months = []
    year, number = (int(part) for part in first.split("-"))
    while f"{year:04d}-{number:02d}" <= last:
        months.append(f"{year:04d}-{number:02d}")
        number += 1
        if number == 13:
            year, number = year + 1, 1
    return months


@dataclass(frozen=True)
class Terms:
    """An entitlement as the calculation needs it."""

    id: int
    category: str
    daily_amount: Decimal
    starts_on: dt.date
    ends_on: dt.date | None
    withholding_rate: Decimal


@dataclass(frozen=True)
class Declared:
    """The month's control card: days declared payable, and the days never paid."""

    days_payable: int
    days_worked: int = 0
    days_sick: int = 0
    days_holiday: int = 0


def days_covered(terms: Terms, month: str) -> int:
    """Calendar days of `month` inside the entitlement's period."""
    first, last = month_bounds(month)
    start = max(first, terms.starts_on)
    end = last if terms.ends_on is None else min(last, terms.ends_on)
    return max(0, (end - start).days + 1)


def payable_days(*, declared: Declared, month: str) -> int:
    """The days of `month` paid: those declared payable, at most the days left once
    days worked, sick and on holiday are taken out (rule 1 above)."""
    _first, last = month_bounds(month)
    left = last.day - declared.days_worked - declared.days_sick - declared.days_holiday
    return max(0, min(declared.days_payable, left))


@dataclass(frozen=True)
class EntitlementLine:
    terms: Terms
    days: int
    gross: Decimal
    withholding: Decimal

    @property
    def after_tax(self) -> Decimal:
        return self.gross - self.withholding


@dataclass(frozen=True)
class Month:
    lines: tuple[EntitlementLine, ...]
    allocation: allocation.Allocation | None  # None: no claim to serve
    days: int
    gross: Decimal
    withholding: Decimal
    deductions: Decimal
    net: Decimal

    @property
    def main(self) -> Terms:
        """The entitlement the month's transfers are keyed on: the largest gross,
        ties to the earlier start, then the smaller id."""
        best = max(
            self.lines,
            key=lambda line: (
                line.gross,
                -line.terms.starts_on.toordinal(),
                -line.terms.id,
            ),
        )
        return best.terms


def entitlement_lines(
    *, entitlements: Sequence[Terms], declared: Declared, month: str
) -> tuple[EntitlementLine, ...]:
    """Share the month's payable days among the entitlements, in order of start."""
    left = payable_days(declared=declared, month=month)
    lines = []
    for terms in sorted(entitlements, key=lambda t: (t.starts_on, t.id)):
        days = min(left, days_covered(terms, month))
        left -= days
        gross = quantize(terms.daily_amount * days)
        withholding = quantize(gross * terms.withholding_rate)
        lines.append(
            EntitlementLine(
                terms=terms, days=days, gross=gross, withholding=withholding
            )
        )
    return tuple(lines)


def compute_month(
    *,
    entitlements: Sequence[Terms],
    declared: Declared,
    month: str,
    children: int,
    claims: Sequence[allocation.Claim],
    table: garnishment.BracketTable | None,
    rates: allocation.RecoveryRates,
) -> Month:
    """The month of one beneficiary. `table` (the replacement-income table in force
    on the payment date) is needed only when there are claims; the debts engine
    raises `ValueError` on inconsistent input, which the run records as an
    exception for this beneficiary."""
    if not entitlements:
        raise ValueError("no entitlement")
    lines = entitlement_lines(entitlements=entitlements, declared=declared, month=month)
    gross = sum((line.gross for line in lines), ZERO)
    withholding = sum((line.withholding for line in lines), ZERO)
    income = gross - withholding
    computed = None
    deductions = ZERO
    if claims and income > 0:
        if table is None:
            raise ValueError("no garnishment table in force")
        ordinary = garnishment.seizable_part(
            income=garnishment.Income(replacement=income),
            table=table,
            children=children,
        )
        computed = allocation.allocate(garnishment=ordinary, claims=claims, rates=rates)
        deductions = sum((line.amount for line in computed.lines), ZERO)
        net = computed.to_beneficiary
    else:
        net = income
    return Month(
        lines=lines,
        allocation=computed,
        days=sum(line.days for line in lines),
        gross=gross,
        withholding=withholding,
        deductions=deductions,
        net=net,
    )
