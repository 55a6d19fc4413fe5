"""A bank's reject of a benefit transfer, and paying it again, over HTTP.

`POST /payments/{payment_id}/reject` records the bank's reason code, text and
reference; `POST /payments/{payment_id}/retry` pays the rejected transfer again
to the account corrected since. The payment is named by its number (the id the
run's review and the rejects list give). Rules in `guichet.payments.rejects`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from guichet.core.money import format_amount
from guichet.payments import rejects
from guichet.payments.models import BankReject, Payment, RejectReason

from .common import IsoDate, actor, responses

router = Router(tags=["payments"])


class PaymentRejectIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        description="ISO 20022 status reason code: "
        + ", ".join(RejectReason.values)
        + ' ("other" needs reason_text).'
    )
    received_on: IsoDate
    reason_text: str = ""
    bank_reference: str = ""


class PaymentTransferOut(Schema):
    id: int
    end_to_end_id: str
    attempt: int
    state: str
    amount: str
    iban: str
    file: str | None


class PaymentRejectOut(Schema):
    payment: PaymentTransferOut
    reason: str
    reason_text: str
    bank_reference: str
    received_on: IsoDate
    retry: PaymentTransferOut | None


class PaymentRetryOut(Schema):
    payments: list[PaymentTransferOut]
    file: str | None
    sha256: str | None


def _transfer(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "end_to_end_id": payment.end_to_end_id,
        "attempt": payment.attempt,
        "state": payment.state,
        "amount": format_amount(payment.amount),
        "iban": payment.iban,
        "file": payment.file.message_id if payment.file else None,
    }


def _reject(reject: BankReject) -> dict[str, Any]:
    reject.payment.refresh_from_db()
    return {
        "payment": _transfer(reject.payment),
        "reason": reject.reason,
        "reason_text": reject.reason_text,
        "bank_reference": reject.bank_reference,
        "received_on": reject.received_on,
        "retry": _transfer(reject.retry) if reject.retry else None,
    }


@router.post(
    "/payments/{payment_id}/reject",
    response=responses({201: PaymentRejectOut}, 403, 404, 409),
    summary="Record a bank's reject of a benefit transfer executed in a file",
)
def payment_reject(
    request: HttpRequest, payment_id: int, payload: PaymentRejectIn
) -> Any:
    reject = rejects.payment_reject_record(
        actor=actor(request),
        payment_id=payment_id,
        reason=payload.reason,
        received_on=payload.received_on,
        reason_text=payload.reason_text,
        bank_reference=payload.bank_reference,
    )
    return Status(201, _reject(reject))


@router.post(
    "/payments/{payment_id}/retry",
    response=responses({200: PaymentRetryOut}, 403, 404, 409),
    summary="Pay a rejected benefit transfer again to the corrected account (once)",
)
def payment_retry(request: HttpRequest, payment_id: int) -> Any:
    result = rejects.payment_retry(actor=actor(request), payment_id=payment_id)
    return {
        "payments": [_transfer(payment) for payment in result.payments],
        "file": result.file.message_id if result.file else None,
        "sha256": result.file.sha256 if result.file else None,
    }
