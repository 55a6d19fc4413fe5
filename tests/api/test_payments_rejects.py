"""Bank rejects over HTTP: record a reject, pay again once the account is corrected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from guichet.payments import runs, services
from guichet.payments.models import Payment
from tests.debts.factories import load_shipped_tables
from tests.payments.factories import IBANS, pay_beneficiary


@pytest.fixture
def pay_agent(make_agent: Any) -> Any:
    load_shipped_tables()
    return make_agent(
        "payment_agent", level="C", teams=("payment-office",), username="pay.c"
    )


@pytest.fixture
def pay_second(make_agent: Any) -> Any:
    return make_agent(
        "payment_agent", level="B", teams=("payment-office",), username="pay.b"
    )


def test_reject_then_pay_again(
    pay_agent: Any, pay_second: Any, api_for: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PAYMENTS_OUT_DIR = tmp_path
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    run = runs.run_prepare(
        actor=pay_agent, month="2026-01", paid_on=dt.date(2026, 2, 3)
    )
    run = services.run_review(actor=pay_agent, run_id=run.uuid)
    run = services.run_approve(actor=pay_second, run_id=run.uuid)
    runs.run_execute(actor=pay_agent, run=run, out_dir=tmp_path)
    payment = Payment.objects.get(run=run)
    client = api_for(pay_agent)

    bad = client.post(
        f"/payments/{payment.pk}/reject", {"reason": "ZZ", "received_on": "2026-02-06"}
    )
    rejected = client.post(
        f"/payments/{payment.pk}/reject",
        {"reason": "AC01", "received_on": "2026-02-06", "bank_reference": "R-9"},
    )
    twice = client.post(
        f"/payments/{payment.pk}/reject",
        {"reason": "AC01", "received_on": "2026-02-06"},
    )
    early = client.post(f"/payments/{payment.pk}/retry")
    change = services.account_change_request(
        actor=pay_agent,
        beneficiary_id=beneficiary.uuid,
        iban=IBANS[3],
        holder="New Holder",
        effective_on=dt.date(2026, 2, 6),
    )
    services.account_change_confirm(actor=pay_second, change_id=change.uuid)
    retried = client.post(f"/payments/{payment.pk}/retry")
    again = client.post(f"/payments/{payment.pk}/retry")
    missing = client.post("/payments/999999/retry")

    assert bad.status_code == 422
    assert rejected.status_code == 201
    assert rejected.json()["payment"]["state"] == "rejected"
    assert rejected.json()["bank_reference"] == "R-9"
    assert twice.status_code == 409
    assert twice.json()["code"] == "payment_already_rejected"
    assert early.status_code == 409
    assert early.json()["code"] == "account_not_corrected"
    assert retried.status_code == 200
    (new,) = retried.json()["payments"]
    assert new["attempt"] == 2
    assert new["iban"] == IBANS[3]
    assert retried.json()["file"].endswith("-R0001")
    assert again.json()["payments"] == []
    assert missing.status_code == 404
