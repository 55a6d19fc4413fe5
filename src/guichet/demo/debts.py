"""Demo debts: a few persons with the cases a payment office meets. Idempotent.

Registered through the debts services by a payment agent of the payment office, so
they are audited like real ones. Each debt is keyed by its creditor's reference
("DEMO-..."): a second run finds them and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from guichet.agents.models import Agent
from guichet.debts.errors import NoTableInForce
from guichet.debts.garnishment import Income
from guichet.debts.models import Debt
from guichet.debts.services import (
    DebtInput,
    allocation_post,
    debt_register,
    instalment_plan_add,
)
from guichet.parties.models import Person

ACTOR = "payment.c"


@dataclass(frozen=True)
class DemoDebt:
    person_index: int  # index in the demo persons (builders.person_specs)
    data: DebtInput
    plan: tuple[str, dt.date] | None = None  # monthly amount, from


DEBTS = [
    # A maintenance claim: arrears recovered by the federal maintenance service.
    DemoDebt(
        3,
        DebtInput(
            kind="maintenance",
            notified_on="2025-02-10",
            principal="2400.00",
            creditor_name="SECAL / DAVO - Service des créances alimentaires",
            reference="DEMO-SECAL-0001",
            comment="Arriérés de pension alimentaire (jugement du 12/11/2024).",
        ),
    ),
    # Two competing ordinary seizures: they share the seizable part pro rata.
    DemoDebt(
        4,
        DebtInput(
            kind="seizure",
            notified_on="2024-09-16",
            principal="3150.00",
            interest="84.20",
            costs="312.45",
            creditor_name="Étude Dupont & Fils, huissiers de justice",
            reference="DEMO-DUP-2024-118",
        ),
    ),
    DemoDebt(
        4,
        DebtInput(
            kind="seizure",
            notified_on="2025-01-08",
            principal="1275.60",
            costs="198.30",
            creditor_name="Gerechtsdeurwaarderskantoor Peeters",
            reference="DEMO-PEE-25-0042",
        ),
    ),
    # A CPAS advance on benefits for the first quarter of 2025.
    DemoDebt(
        5,
        DebtInput(
            kind="subrogation",
            notified_on="2025-02-03",
            principal="1650.00",
            creditor_name="CPAS de Namur",
            reference="DEMO-CPAS-NA-7781",
            period_from="2025-01-01",
            period_to="2025-03-31",
        ),
    ),
    # The office's own claim for benefits paid unduly, repaid by instalments.
    DemoDebt(
        6,
        DebtInput(
            kind="recovery",
            notified_on="2024-11-20",
            principal="2380.00",
            reference="DEMO-ONEM-C31-5521",
            comment="Décision du directeur : revenus non déclarés (bonne foi).",
        ),
        plan=("60.00", dt.date(2025, 1, 1)),
    ),
]


@dataclass(frozen=True)
class DemoPosting:
    person_index: int
    period: str
    paid_on: dt.date
    replacement: str
    children: int


# The May 2025 unemployment benefit of the person with two seizures was paid and its
# retentions booked, so the debts tab opens on what the June payment will keep back.
POSTINGS = [DemoPosting(4, "2025-05", dt.date(2025, 5, 28), "1750.00", 0)]


def build(agents: dict[str, Agent]) -> int:
    """Register the demo debts that are missing; return how many were created."""
    from .builders import person_specs  # builders calls this module: import late

    numbers = [spec.identity.national_number for spec in person_specs()]
    actor = agents[ACTOR]
    created = 0
    for item in DEBTS:
        reference = str(item.data.reference)
        if Debt.objects.filter(reference=reference).exists():
            continue
        person = Person.objects.get(national_number=numbers[item.person_index])
        debt = debt_register(actor=actor, person_id=person.uuid, data=item.data)
        if item.plan is not None:
            amount, starts_on = item.plan
            instalment_plan_add(
                actor=actor,
                debt_id=debt.uuid,
                expected_version=debt.version,
                amount=amount,
                starts_on=starts_on,
                note="Plan convenu avec l'assuré.",
            )
        created += 1
    for posting in POSTINGS:
        # Posting a month again with the same figures changes nothing. Without the
        # bracket tables (a test database flushed after migrating) nothing is posted.
        try:
            allocation_post(
                actor=actor,
                person_id=Person.objects.get(
                    national_number=numbers[posting.person_index]
                ).uuid,
                period=posting.period,
                paid_on=posting.paid_on,
                income=Income(replacement=Decimal(posting.replacement)),
                children=posting.children,
            )
        except NoTableInForce:
            continue
    return created
