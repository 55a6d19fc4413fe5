"""Reading a person's debts: only for their payment office, always logged; the table
in force from the database; the allocation preview writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from guichet.audit.models import AuditEvent
from guichet.core.errors import Forbidden, NotFound
from guichet.debts import selectors
from guichet.debts.errors import NoTableInForce
from guichet.debts.garnishment import Income, IncomeKind
from guichet.debts.models import DebtEntry
from tests.debts.factories import DebtFactory
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_lists_a_persons_debts_with_derived_balances_and_logs_the_read(
    payment_agent: Any,
) -> None:
    office = TeamFactory(code="payment-office")
    person = PersonFactory()
    seizure = DebtFactory(person=person, team=office, balance="800.00")
    DebtEntry.objects.create(
        debt=seizure, kind="costs", amount=D("25.50"), booked_on=dt.date(2024, 4, 1)
    )
    recovery = DebtFactory(person=person, team=office, recovery=True, balance="90")
    DebtFactory(person=person, team=TeamFactory(code="payment-office-liege"))
    DebtFactory(team=office)  # someone else's
    found = selectors.person_debts_for_agent(agent=payment_agent, person_id=person.uuid)
    assert {(debt.pk, debt.balance) for debt in found.debts} == {  # type: ignore[attr-defined]
        (seizure.pk, D("825.50")),
        (recovery.pk, D("90.00")),
    }
    event = AuditEvent.objects.get(chain="access", action="debt.list")
    assert event.object_id == str(person.uuid)
    assert sorted(event.summary["debts"]) == sorted(
        [str(seizure.uuid), str(recovery.uuid)]
    )


@pytest.mark.parametrize("role", ["first_line", "dossier_handler", "admin"])
def test_agents_whose_work_is_not_debts_get_not_found(
    make_agent: Any, role: str
) -> None:
    agent = make_agent(role, level="A2", teams=("payment-office",))
    person = PersonFactory()
    DebtFactory(person=person)
    with pytest.raises(NotFound):
        selectors.person_debts_for_agent(agent=agent, person_id=person.uuid)
    assert not AuditEvent.objects.filter(chain="access").exists()


def test_a_confidential_person_of_another_team_is_not_found(payment_agent: Any) -> None:
    person = PersonFactory(confidential_team=TeamFactory(code="visas"))
    debt = DebtFactory(person=person)
    with pytest.raises(NotFound):
        selectors.person_debts_for_agent(agent=payment_agent, person_id=person.uuid)
    with pytest.raises(NotFound):
        selectors.debt_get_for_agent(agent=payment_agent, debt_id=debt.uuid)
    with pytest.raises(NotFound):
        selectors.person_debts_for_agent(agent=payment_agent, person_id="nonsense")


def test_reads_one_debt_with_its_ledger_and_logs_it(payment_agent: Any) -> None:
    debt = DebtFactory(balance="100")
    found = selectors.debt_get_for_agent(agent=payment_agent, debt_id=str(debt.uuid))
    assert [entry.amount for entry in found.entries.all()] == [D("100.00")]
    assert found.balance == D("100.00")  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(chain="access", action="debt.view")
    assert event.summary == {"debt": str(debt.uuid)}


def test_the_preview_says_what_the_next_payment_keeps_back_and_writes_nothing(
    payment_agent: Any,
) -> None:
    person = PersonFactory()
    seizure = DebtFactory(person=person, balance="5000")
    preview = selectors.person_allocation_preview(
        agent=payment_agent,
        person_id=person.uuid,
        paid_on=dt.date(2024, 6, 28),
        period="2024-06",
        income=Income(replacement=D("1800")),
        children=1,
    )
    line = preview.allocation.line_for(str(seizure.uuid))
    assert (line.amount, preview.allocation.to_beneficiary) == (
        D("118.00"),
        D("1682.00"),
    )
    assert preview.debts[str(seizure.uuid)] == seizure
    assert DebtEntry.objects.filter(kind="retention").count() == 0
    assert AuditEvent.objects.filter(chain="changes").count() == 0
    assert (
        AuditEvent.objects.filter(
            chain="access", action="debt.allocation_preview"
        ).count()
        == 1
    )


def test_the_preview_leaves_out_claims_notified_after_the_payment(
    payment_agent: Any,
) -> None:
    person = PersonFactory()
    later = DebtFactory(person=person, notified_on=dt.date(2024, 7, 1))
    preview = selectors.person_allocation_preview(
        agent=payment_agent,
        person_id=person.uuid,
        paid_on=dt.date(2024, 6, 28),
        period="2024-06",
        income=Income(replacement=D("1800")),
        children=0,
    )
    assert preview.allocation.lines == ()
    assert str(later.uuid) in preview.debts


@pytest.mark.usefixtures("tables")
def test_the_table_in_force_comes_from_the_database() -> None:
    assert selectors.bracket_table_for(
        on=dt.date(2021, 5, 3), kind=IncomeKind.EARNED
    ).code == ("2020-covid-earned")
    with pytest.raises(NoTableInForce) as refused:
        selectors.bracket_table_for(on=dt.date(2027, 1, 1), kind=IncomeKind.REPLACEMENT)
    assert refused.value.errors[0].field == "on"
    assert "2027-01-01" in refused.value.text


def test_the_calculator_is_for_the_payment_office(
    make_agent: Any, payment_agent: Any
) -> None:
    first_line = make_agent("first_line", teams=("cc-fr",))
    income = Income(earned=D("2000"))
    on = dt.date(2024, 6, 1)
    with pytest.raises(Forbidden):
        selectors.garnishment_compute_for_agent(
            agent=first_line, on=on, income=income, children=0, maintenance=False
        )
    result = selectors.garnishment_compute_for_agent(
        agent=payment_agent, on=on, income=income, children=0, maintenance=False
    )
    assert result.seizable == D("386.10")


def test_recovery_rates_come_from_the_settings(
    settings: Any, payment_agent: Any
) -> None:
    settings.DEBTS_RECOVERY_RATE = D("0.05")
    rates = selectors.recovery_rates()
    assert (rates.ordinary, rates.fraud) == (D("0.05"), D(1))
