"""Agents paying at one counter at the same instant (PostgreSQL: SQLite serialises
every writer, so a race proves nothing there): receipt numbers stay unique and
gap-free, and one fee is never paid twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection

import pytest

from guichet.agents.models import Agent
from guichet.cashbook import services
from guichet.cashbook.models import Counter, Payment
from guichet.core.errors import ValidationFailed
from guichet.dossiers.models import DossierFee
from tests.concurrency import race
from tests.servicerequests.conftest import shipped_reference_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: Any) -> None:
    """The shipped calendar and topics, flushed by an earlier transactional test."""
    shipped_reference_data()


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    return race(calls, (ValidationFailed,))


def test_simultaneous_payments_get_unique_gap_free_numbers(
    agent_in: Callable[..., Agent],
    counter: Counter,
    fee_of: Callable[..., DossierFee],
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: a race proves nothing there")
    fees = [fee_of() for _ in range(8)]
    clerks = [agent_in("front_office", "D", "legalisations") for _ in range(8)]

    results = _race(
        [
            lambda fee=fee, clerk=clerk: services.payment_record(
                actor=clerk, counter=counter, fee=fee, amount="20", means="cash"
            )
            for fee, clerk in zip(fees, clerks, strict=True)
        ]
    )

    assert all(isinstance(result, Payment) for result in results), results
    numbers = sorted(Payment.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))


def test_one_fee_paid_at_two_counters_at_once_is_paid_once(
    agent_in: Callable[..., Agent],
    chief: Agent,
    counter: Counter,
    fee: DossierFee,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: a race proves nothing there")
    other = services.counter_create(
        actor=chief, team=counter.team, code="till-2", name="Till 2"
    )
    clerks = [agent_in("front_office", "D", "legalisations") for _ in range(2)]

    results = _race(
        [
            lambda: services.payment_record(
                actor=clerks[0], counter=counter, fee=fee, amount="20", means="cash"
            ),
            lambda: services.payment_record(
                actor=clerks[1], counter=other, fee=fee, amount="20", means="card"
            ),
        ]
    )

    assert Payment.objects.count() == 1
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert [r.errors[0].code for r in refused] == ["fee_already_paid"]
