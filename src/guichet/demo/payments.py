"""Demo payments: about thirty beneficiaries of the payment office. Idempotent.

Built through the payments services by the office's agents (`payment.c` enters,
`payment.b` confirms: four eyes), so everything is audited like real work:
entitlements (some with withholding tax, as their demo decisions say), a confirmed
account, and a signed, dated declaration for every month from twelve months ago to
the current one; one beneficiary's current card is not signed (an incomplete
month: the run lists it among its exceptions and drafts the letter). The demo
debts of persons 3 to 6 (maintenance, two seizures, a CPAS advance, a recovery)
get their creditors' accounts, and an assignment of income is added.

The demo also creates the two system agents of `guichet payments run --execute`
(GUICHET_PAYMENTS_RUN_AGENT, GUICHET_PAYMENTS_SYSTEM_APPROVER), without a
password: nobody logs in as them. A real installation does not have them, so there
the command stops before approval: a second agent must approve.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings

from guichet.agents.models import Agent
from guichet.agents.services import agent_create
from guichet.core import clock
from guichet.debts.models import Debt
from guichet.debts.services import DebtInput, debt_register
from guichet.parties.models import Person
from guichet.parties.selectors import persons_visible
from guichet.payments import calculation, services
from guichet.payments.models import Beneficiary, CreditorAccount

TEAM = "payment-office"
BENEFICIARIES = 30
# Persons (indexes of builders.person_specs) with seizures or an assignment: paid
# near the maximum, so that their income is above the protected part (T0).
SEIZED = (4, 7)
INCOMPLETE = 9  # this one's current card is not signed

# Creditors' accounts for the demo debts, by the creditor's reference (test IBANs).
CREDITOR_ACCOUNTS = {
    "DEMO-SECAL-0001": (
        "SPF Finances - SECAL",
        "BE22679200300047",
        "",
        "+++100/2000/30097+++",
    ),
    "DEMO-DUP-2024-118": ("Etude Dupont & Fils", "BE68539007547034", "", ""),
    "DEMO-PEE-25-0042": ("Gerechtsdeurwaarder Peeters", "BE62510007547061", "", ""),
    "DEMO-CPAS-NA-7781": ("CPAS de Namur", "BE43068999999501", "", ""),
    "DEMO-ASSIGN-0007": ("Banque Crédit Facile", "BE33001712345646", "", ""),
}
ASSIGNMENT = DebtInput(
    kind="assignment",
    notified_on="2025-03-14",
    principal="1800.00",
    creditor_name="Banque Crédit Facile",
    reference="DEMO-ASSIGN-0007",
    comment="Cession de rémunération (prêt à tempérament).",
)
IBANS = [
    "BE68539007547034",
    "BE71096123456769",
    "BE62510007547061",
    "BE43068999999501",
    "BE33001712345646",
]


def _system_agents() -> None:
    for username, level in (
        (settings.PAYMENTS_RUN_AGENT, "C"),
        (settings.PAYMENTS_SYSTEM_APPROVER, "B"),
    ):
        if username and not Agent.objects.filter(username=username).exists():
            agent_create(
                actor=None,
                username=username,
                password=None,
                level=level,
                roles=["payment_agent"],
                teams=[TEAM],
                first_name="Système",
                last_name="Paiements",
                check_password=False,
                system=True,
            )


def _months(today: dt.date) -> list[str]:
    current = f"{today.year:04d}-{today.month:02d}"
    first = current
    for _ in range(12):
        first = calculation.previous_month(first)
    return calculation.months_between(first, current)


def build(agents: dict[str, Agent]) -> int:
    """Make the demo beneficiaries that are missing; return how many were created."""
    from .builders import person_specs  # builders calls this module: import late

    _system_agents()
    agent, second = agents["payment.c"], agents["payment.b"]
    numbers = [spec.identity.national_number for spec in person_specs()]
    visible = persons_visible(agent=agent)
    months = _months(clock.today())
    start = calculation.month_bounds(months[0])[0]
    created = 0
    if not Debt.objects.filter(reference=ASSIGNMENT.reference).exists():
        debt_register(
            actor=agent,
            person_id=Person.objects.get(national_number=numbers[7]).uuid,
            data=ASSIGNMENT,
        )
    for reference, (name, iban, bic, ogm) in CREDITOR_ACCOUNTS.items():
        debt = Debt.objects.filter(reference=reference).first()
        if debt is None or CreditorAccount.objects.filter(debt=debt).exists():
            continue
        services.creditor_account_set(
            actor=agent, debt_id=debt.uuid, name=name, iban=iban, bic=bic, ogm=ogm
        )
    for index, number in enumerate(numbers[: BENEFICIARIES + 3]):
        person = visible.filter(national_number=number).first()
        if (
            person is None
            or Beneficiary.objects.filter(person=person, team__code=TEAM).exists()
        ):
            continue
        if Beneficiary.objects.filter(team__code=TEAM).count() >= BENEFICIARIES:
            break
        seized = index in SEIZED
        beneficiary = services.beneficiary_register(
            actor=agent,
            person_id=person.uuid,
            team_code=TEAM,
            children=0 if seized else index % 3,
        )
        change = services.account_change_request(
            actor=agent,
            beneficiary_id=beneficiary.uuid,
            iban=IBANS[index % len(IBANS)],
            holder=f"{person.given_names} {person.surname}"[:140],
            effective_on=start,
        )
        services.account_change_confirm(actor=second, change_id=change.uuid)
        services.entitlement_add(
            actor=agent,
            beneficiary_id=beneficiary.uuid,
            category="full_unemployment" if index % 4 else "insertion",
            daily_amount=Decimal("80.00")
            if seized
            else Decimal("45.00") + Decimal(index % 7) * Decimal("4.25"),
            starts_on=start,
            ends_on=None,
            # Demo decisions: a third of them ask for withholding tax.
            withholding_rate=Decimal("0.1009")
            if index % 3 == 0 and not seized
            else Decimal(0),
            decided_on=start,
            decision_reference=f"DEMO-ONEM-{index:04d}",
        )
        for month in months:
            last = calculation.month_bounds(month)[1]
            worked = (index + int(month[-2:])) % 4
            services.declaration_record(
                actor=agent,
                beneficiary_id=beneficiary.uuid,
                month=month,
                days_payable=22 - worked,
                days_worked=worked,
                days_sick=1 if (index + int(month[-2:])) % 9 == 0 else 0,
                days_holiday=0,
                received_on=last,
                signed=not (index == INCOMPLETE and month == months[-1]),
                dated_on=last,
            )
        created += 1
    return created
