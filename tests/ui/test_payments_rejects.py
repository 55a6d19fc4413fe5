"""Bank rejects on the run's page: recorded with the reason, refused with why,
paid again once the account is corrected; shown on the person's Payments tab."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.test import Client

import pytest

from guichet.payments import runs, services
from guichet.payments.models import BankReject, Payment, PaymentState, SepaFile
from tests.payments.conftest import pay_agent, pay_second
from tests.payments.factories import IBANS, pay_beneficiary

__all__ = ["pay_agent", "pay_second"]

pytestmark = pytest.mark.django_db


def test_a_reject_is_recorded_and_paid_again(
    client_for: Callable[[Any], Client],
    pay_agent: Any,
    pay_second: Any,
    settings: Any,
    tmp_path: Path,
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
    client = client_for(pay_agent)
    page = f"/payments/runs/{run.uuid}/"
    post = f"/payments/runs/{run.uuid}/rejects/"
    form = {
        "step": "reject",
        "end_to_end_id": payment.end_to_end_id,
        "reason": "other",
        "reason_text": "",
        "bank_reference": "BR-7",
        "received_on": "2026-02-06",
    }

    shown = client.get(page).content.decode()
    refused = client.post(post, form)
    unknown = client.post(post, {**form, "end_to_end_id": "NOPE", "reason": "AC04"})
    done = client.post(post, {**form, "reason": "AC04"})
    listed = client.get(page).content.decode()

    assert "Record a reject" in shown
    assert refused.status_code == 422
    assert "Give the bank&#x27;s text for another reason." in refused.content.decode()
    assert unknown.status_code == 422
    assert done.status_code == 302
    assert BankReject.objects.get().bank_reference == "BR-7"
    assert "AC04 closed account number" in listed
    assert "Correct the account first." in listed
    tab = client.get(f"/persons/{beneficiary.person.uuid}/payments/").content.decode()
    assert "rejected by the bank: AC04 closed account number" in tab

    early = client.post(post, {"step": "retry", "payment": payment.pk})
    assert early.status_code == 302
    assert Payment.objects.count() == 1
    change = services.account_change_request(
        actor=pay_agent,
        beneficiary_id=beneficiary.uuid,
        iban=IBANS[3],
        holder="New Holder",
        effective_on=dt.date(2026, 2, 6),
    )
    services.account_change_confirm(actor=pay_second, change_id=change.uuid)
    assert "Pay again" in client.get(page).content.decode()
    retried = client.post(post, {"step": "retry", "payment": payment.pk})
    after = client.get(page).content.decode()

    assert retried.status_code == 302
    new = Payment.objects.exclude(state=PaymentState.REJECTED).get()
    assert new.iban == IBANS[3]
    retry_file = SepaFile.objects.get(retry=True)
    assert retry_file.message_id in after
    assert f"In {retry_file.message_id}, to {IBANS[3]}" in after


def test_another_office_does_not_see_the_rejects(
    client_for: Callable[[Any], Client], make_agent: Any, pay_agent: Any
) -> None:
    run = runs.run_prepare(
        actor=pay_agent, month="2026-01", paid_on=dt.date(2026, 2, 3)
    )
    stranger = make_agent("payment_agent", level="C", teams=("elsewhere",))
    own = client_for(pay_agent).get(f"/payments/runs/{run.uuid}/rejects/")
    assert own.status_code == 200
    assert "Only the transfers of an executed run can be rejected." in (
        own.content.decode()
    )

    assert (
        client_for(stranger).get(f"/payments/runs/{run.uuid}/rejects/").status_code
        == 404
    )
