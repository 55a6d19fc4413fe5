"""Two executions of one run at the same instant (PostgreSQL: SQLite serialises
every writer, so a race proves nothing there): every transfer is released once,
in one recorded file, and the ledger books it once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import connection

import pytest

from guichet.payments import runs, selectors, services
from guichet.payments.models import Payment, SepaFile
from tests.payments.factories import pay_beneficiary, pay_debt
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_executions_at_once_pay_once(
    pay_agent: Any, pay_second: Any, tmp_path: Path, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers")
    settings.PAYMENTS_BATCH_SIZE = 2
    settings.PAYMENTS_MAX_PER_FILE = 3
    for index in range(7):
        seized = index % 3 == 0  # paid above the protected part: a seizure bites
        beneficiary = pay_beneficiary(
            agent=pay_agent, confirmer=pay_second, daily="90.00" if seized else "60.00"
        )
        if seized:
            pay_debt(agent=pay_agent, beneficiary=beneficiary)
    run = runs.run_prepare(
        actor=pay_agent, month="2026-01", paid_on=dt.date(2026, 2, 3)
    )
    run = services.run_review(actor=pay_agent, run_id=run.uuid)
    run = services.run_approve(actor=pay_second, run_id=run.uuid)

    results = race(
        [
            lambda: runs.run_execute(actor=pay_agent, run=run, out_dir=tmp_path / "a"),
            lambda: runs.run_execute(actor=pay_agent, run=run, out_dir=tmp_path / "b"),
        ]
    )

    transfers = Payment.objects.filter(run=run).count()
    assert transfers == 10
    assert sum(result.payments for result in results) == transfers
    assert Payment.objects.filter(run=run, file__isnull=True).count() == 0
    assert SepaFile.objects.filter(run=run).count() == 4
    check = selectors.ledger_check()
    assert check.balanced
    assert check.accounts["beneficiary_payable"] == 0
    assert check.accounts["creditor_payable"] == 0
