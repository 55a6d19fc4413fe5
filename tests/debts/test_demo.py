"""The demo debts: one of each case a payment office meets, loaded once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.debts import selectors
from guichet.debts.garnishment import Income
from guichet.debts.models import (
    AllocationPosting,
    Debt,
    DebtEntry,
    InstalmentPlan,
)
from tests.debts.factories import remove_bracket_tables

pytestmark = pytest.mark.django_db


def test_demo_registers_each_kind_of_debt_once(demo: Any, cli: Any) -> None:
    assert sorted(Debt.objects.values_list("kind", flat=True)) == [
        "assignment",  # the payments demo's assignment of income (demo/payments.py)
        "maintenance",
        "recovery",
        "seizure",
        "seizure",
        "subrogation",
    ]
    assert set(Debt.objects.values_list("team__code", flat=True)) == {"payment-office"}
    assert InstalmentPlan.objects.get().amount == Decimal("60.00")
    # May 2025 was posted for the person with two seizures: 124.00 kept back, pro rata.
    posting = AllocationPosting.objects.get()
    assert (posting.period, posting.to_beneficiary) == ("2025-05", Decimal("1626.00"))
    retentions = DebtEntry.objects.filter(kind="retention")
    assert sorted(entry.amount for entry in retentions) == [
        Decimal("-87.60"),  # 124 x 3 546.65 / 5 020.55, largest remainder
        Decimal("-36.40"),
    ]
    entries = DebtEntry.objects.count()
    assert cli("demo", "--i-know-this-is-not-production")[0] == 0
    assert (Debt.objects.count(), DebtEntry.objects.count()) == (6, entries)
    assert AllocationPosting.objects.count() == 1
    # The two seizures of one person share the seizable part of a payment.
    seizures = list(Debt.objects.filter(kind="seizure"))
    agent = Agent.objects.get(username="payment.b")
    preview = selectors.person_allocation_preview(
        agent=agent,
        person_id=seizures[0].person.uuid,
        paid_on=dt.date(2025, 6, 27),
        period="2025-06",
        income=Income(replacement=Decimal("1750.00")),
        children=0,
    )
    assert {line.group for line in preview.allocation.lines} == {"pro_rata"}
    # 2025, replacement 1 750: 20.80 + (1 750 - 1 492) x 40 % = 124.00.
    assert sum(line.amount for line in preview.allocation.lines) == Decimal("124.00")


def test_demo_without_bracket_tables_registers_the_debts_and_posts_nothing(
    cli: Any,
) -> None:
    # given a database flushed after migrating (as transactional tests leave it)
    remove_bracket_tables()
    assert cli("demo", "--i-know-this-is-not-production")[0] == 0
    assert Debt.objects.count() == 6  # with the payments demo's assignment
    assert AllocationPosting.objects.count() == 0
