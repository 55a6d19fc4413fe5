"""Builders of the payments tests: beneficiaries made through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from guichet.payments import calculation, services
from guichet.payments.models import Beneficiary
from tests.debts.factories import DebtFactory
from tests.factories import PersonFactory

# Valid Belgian IBANs (check digits right), for accounts and creditors.
IBANS = [
    "BE68539007547034",
    "BE71096123456769",
    "BE62510007547061",
    "BE43068999999501",
    "BE33001712345646",
]


def pay_beneficiary(
    *,
    agent: Any,
    confirmer: Any,
    daily: str = "60.00",
    rate: str = "0",
    starts_on: dt.date = dt.date(2026, 1, 1),
    months: tuple[str, ...] = ("2026-01",),
    days: int = 22,
    children: int = 0,
    account: bool = True,
    signed: bool = True,
    person: Any = None,
) -> Beneficiary:
    """A beneficiary of the agent's office with one entitlement, a confirmed account
    and a signed, dated declaration for each month given."""
    person = person or PersonFactory()
    beneficiary = services.beneficiary_register(
        actor=agent, person_id=person.uuid, children=children
    )
    if account:
        change = services.account_change_request(
            actor=agent,
            beneficiary_id=beneficiary.uuid,
            iban=IBANS[beneficiary.pk % len(IBANS)],
            holder=f"{person.given_names} {person.surname}",
            effective_on=starts_on,
        )
        services.account_change_confirm(actor=confirmer, change_id=change.uuid)
    services.entitlement_add(
        actor=agent,
        beneficiary_id=beneficiary.uuid,
        category="full_unemployment",
        daily_amount=Decimal(daily),
        starts_on=starts_on,
        ends_on=None,
        withholding_rate=Decimal(rate),
        decided_on=starts_on,
    )
    for month in months:
        _first, last = calculation.month_bounds(month)
        services.declaration_record(
            actor=agent,
            beneficiary_id=beneficiary.uuid,
            month=month,
            days_payable=days,
            days_worked=0,
            days_sick=0,
            days_holiday=0,
            received_on=last,
            signed=signed,
            dated_on=last,
        )
    beneficiary.refresh_from_db()
    return beneficiary


def pay_debt(
    *,
    agent: Any,
    beneficiary: Beneficiary,
    kind: str = "seizure",
    balance: str = "500.00",
    iban: str = "BE43068999999501",
    ogm: str = "",
    notified_on: dt.date = dt.date(2025, 6, 1),
) -> Any:
    """A debt on the beneficiary, with the creditor's account (none for a recovery)."""
    debt = DebtFactory(
        person=beneficiary.person,
        team=beneficiary.team,
        kind=kind,
        creditor_name="" if kind == "recovery" else "Huissier Dupont",
        notified_on=notified_on,
        balance=balance,
        **(
            {"period_from": dt.date(2025, 1, 1), "period_to": dt.date(2027, 12, 31)}
            if kind == "subrogation"
            else {}
        ),
    )
    if kind != "recovery" and iban:
        services.creditor_account_set(
            actor=agent, debt_id=debt.uuid, name="Huissier Dupont", iban=iban, ogm=ogm
        )
    return debt
