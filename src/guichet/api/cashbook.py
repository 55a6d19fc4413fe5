"""The counter's cash book over HTTP: counters, today's sheet, payments of dossier
fees, refunds, receipts (PDF/A attachments), the daily closing and its check.

Handlers parse, call one service or selector and shape the answer; the rules live
in `guichet.cashbook`. Amounts are decimal strings with two decimals in answers; in
requests, strings with at most two decimals ("20.00" or "20,00"). Closing and
checking a day edit it: they need `If-Match` with the day's ETag.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse

from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from guichet.cashbook import selectors, services
from guichet.cashbook.models import CashDay, Counter, Payment, Refund
from guichet.core.money import format_amount

from .common import actor, expected_version, responses, set_etag
from .correspondence.common import _file

router = Router(tags=["cashbook"])

AMOUNT = 'A euro amount, at most two decimals: "20.00" or "20,00".'


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class CounterOut(Schema):
    id: UUID = Field(alias="uuid")
    code: str
    name: str
    team: str

    @staticmethod
    def resolve_team(obj: Counter) -> str:
        return obj.team.code


class CountersOut(Schema):
    items: list[CounterOut]


class PaymentOut(Schema):
    id: UUID = Field(alias="uuid")
    receipt: str
    dossier: str
    fee: str
    amount: str
    currency: str
    means: str
    ogm: str | None = Field(description="The 12 digits of a transfer's reference.")
    recorded_by: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_receipt(obj: Payment) -> str:
        return obj.receipt_reference

    @staticmethod
    def resolve_dossier(obj: Payment) -> str:
        return obj.fee.dossier.reference

    @staticmethod
    def resolve_fee(obj: Payment) -> str:
        return obj.fee.fee_code

    @staticmethod
    def resolve_amount(obj: Payment) -> str:
        return format_amount(obj.amount)

    @staticmethod
    def resolve_ogm(obj: Payment) -> str | None:
        return obj.ogm or None

    @staticmethod
    def resolve_recorded_by(obj: Payment) -> str:
        return obj.recorded_by.username

    @staticmethod
    def resolve_recorded_at(obj: Payment) -> dt.datetime:
        return obj.created_at


class RefundOut(Schema):
    id: UUID = Field(alias="uuid")
    receipt: str
    payment: str
    amount: str
    reason: str
    recorded_by: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_receipt(obj: Refund) -> str:
        return obj.receipt_reference

    @staticmethod
    def resolve_payment(obj: Refund) -> str:
        return obj.payment.receipt_reference

    @staticmethod
    def resolve_amount(obj: Refund) -> str:
        return format_amount(obj.amount)

    @staticmethod
    def resolve_recorded_by(obj: Refund) -> str:
        return obj.recorded_by.username

    @staticmethod
    def resolve_recorded_at(obj: Refund) -> dt.datetime:
        return obj.created_at


class MeansAmounts(Schema):
    card: str | None
    cash: str | None
    transfer: str | None


def _amounts(card: Any, cash: Any, transfer: Any) -> dict[str, str | None]:
    return {
        "card": None if card is None else format_amount(card),
        "cash": None if cash is None else format_amount(cash),
        "transfer": None if transfer is None else format_amount(transfer),
    }


class DayOut(Schema):
    id: UUID = Field(alias="uuid")
    counter: UUID
    day: dt.date
    status: str
    version: int
    opened_by: str
    closed_by: str | None
    closed_at: dt.datetime | None
    expected: MeansAmounts | None
    counted: MeansAmounts | None
    difference: str | None
    balanced: bool | None
    difference_note: str
    checked_by: str | None
    checked_at: dt.datetime | None
    check_note: str

    @staticmethod
    def resolve_counter(obj: CashDay) -> UUID:
        return obj.counter.uuid

    @staticmethod
    def resolve_opened_by(obj: CashDay) -> str:
        return obj.opened_by.username

    @staticmethod
    def resolve_closed_by(obj: CashDay) -> str | None:
        return obj.closed_by.username if obj.closed_by else None

    @staticmethod
    def resolve_checked_by(obj: CashDay) -> str | None:
        return obj.checked_by.username if obj.checked_by else None

    @staticmethod
    def resolve_expected(obj: CashDay) -> dict[str, str | None] | None:
        if obj.closed_at is None:
            return None
        return _amounts(obj.expected_card, obj.expected_cash, obj.expected_transfer)

    @staticmethod
    def resolve_counted(obj: CashDay) -> dict[str, str | None] | None:
        if obj.closed_at is None:
            return None
        return _amounts(obj.counted_card, obj.counted_cash, obj.counted_transfer)

    @staticmethod
    def resolve_difference(obj: CashDay) -> str | None:
        return None if obj.difference is None else format_amount(obj.difference)


class SheetOut(Schema):
    day: DayOut | None
    payments: list[PaymentOut]
    refunds: list[RefundOut]
    expected: MeansAmounts = Field(description="Payments less refunds, per means.")
    total: str


class FeeDueOut(Schema):
    id: UUID
    fee: str
    amount: str
    remaining: str
    exempted: bool
    paid: bool


class FeesDueOut(Schema):
    items: list[FeeDueOut]


class CounterPaymentIn(StrictIn):
    fee: UUID = Field(description="The public id of the dossier's fee.")
    amount: str = Field(description=AMOUNT)
    means: Literal["card", "cash", "transfer"]


class RefundIn(StrictIn):
    amount: str = Field(description=AMOUNT)
    reason: str = Field(description="Why the money is given back (required).")


class CountedIn(StrictIn):
    card: str = Field(description=AMOUNT)
    cash: str = Field(description=AMOUNT)
    transfer: str = Field(description=AMOUNT)


class CashDayCloseIn(StrictIn):
    counted: CountedIn
    supervisor_note: str = Field(
        "",
        description="Required when the counted amounts differ from the expected "
        "ones; only a supervisor closes such a day.",
    )


class CashDayCheckIn(StrictIn):
    note: str = ""


class ReceiptQuery(Schema):
    language: Literal["fr", "nl", "de", "en"] = "fr"


def _day(request: HttpRequest, key: UUID) -> CashDay:
    return selectors.cash_day_get_for_agent(agent=actor(request), key=key).obj


def _day_answer(response: HttpResponse, day: CashDay) -> CashDay:
    set_etag(response, day.version)
    return day


@router.get(
    "/counters",
    response=responses({200: CountersOut}),
    summary="The counters of the agent's teams",
)
def counter_list(request: HttpRequest) -> Any:
    return {"items": selectors.counters_for_agent(agent=actor(request))}


@router.get(
    "/counters/{counter_id}/today",
    response=responses({200: SheetOut}, 404),
    summary="Today's payments and refunds at a counter, and what it should hold",
)
def counter_today(request: HttpRequest, counter_id: UUID) -> Any:
    agent = actor(request)
    counter = selectors.counter_get_for_agent(agent=agent, key=counter_id)
    sheet = selectors.day_sheet(agent=agent, counter=counter)
    return {
        "day": sheet.day,
        "payments": sheet.payments,
        "refunds": sheet.refunds,
        "expected": {k: format_amount(v) for k, v in sheet.expected.items()},
        "total": format_amount(sheet.total),
    }


@router.get(
    "/dossiers/{key}/fees-due",
    response=responses({200: FeesDueOut}, 404),
    summary="A dossier's fees and what remains due on each",
)
def fees_due(request: HttpRequest, key: str) -> Any:
    rows = selectors.fees_due(agent=actor(request), dossier_key=key)
    return {
        "items": [
            {
                "id": row.fee.uuid,
                "fee": row.fee.fee_code,
                "amount": format_amount(row.fee.amount),
                "remaining": format_amount(row.remaining),
                "exempted": bool(row.fee.exemption),
                "paid": row.fee.paid_at is not None,
            }
            for row in rows
        ]
    }


@router.post(
    "/counters/{counter_id}/payments",
    response=responses({201: PaymentOut}, 403, 404),
    summary="Take a payment of a dossier's fee (numbers its receipt)",
)
def payment_create(
    request: HttpRequest, counter_id: UUID, payload: CounterPaymentIn
) -> Any:
    agent = actor(request)
    counter = selectors.counter_get_for_agent(agent=agent, key=counter_id).obj
    fee = selectors.fee_get_for_agent(agent=agent, key=payload.fee)
    payment = services.payment_record(
        actor=agent,
        counter=counter,
        fee=fee,
        amount=payload.amount,
        means=payload.means,
    )
    return Status(201, payment)


@router.post(
    "/payments/{payment_id}/refunds",
    response=responses({201: RefundOut}, 403, 404),
    summary="Give money back on a payment, with its reason",
)
def refund_create(request: HttpRequest, payment_id: UUID, payload: RefundIn) -> Any:
    agent = actor(request)
    payment = selectors.payment_get_for_agent(agent=agent, key=payment_id).obj
    refund = services.refund_record(
        actor=agent, payment=payment, amount=payload.amount, reason=payload.reason
    )
    return Status(201, refund)


def _pdf(filename: str, data: bytes) -> HttpResponse:
    return _file(data, "application/pdf", filename)


@router.get(
    "/payments/{payment_id}/receipt",
    response=responses({200: None}, 404),
    summary="A payment's numbered receipt, PDF/A (an attachment)",
)
def payment_receipt(
    request: HttpRequest, payment_id: UUID, query: Query[ReceiptQuery]
) -> HttpResponse:
    got = selectors.receipt_for_agent(
        agent=actor(request), kind="payment", key=payment_id, language=query.language
    )
    return _pdf(got.filename, got.data)


@router.get(
    "/refunds/{refund_id}/receipt",
    response=responses({200: None}, 404),
    summary="A refund's numbered receipt, PDF/A (an attachment)",
)
def refund_receipt(
    request: HttpRequest, refund_id: UUID, query: Query[ReceiptQuery]
) -> HttpResponse:
    got = selectors.receipt_for_agent(
        agent=actor(request), kind="refund", key=refund_id, language=query.language
    )
    return _pdf(got.filename, got.data)


@router.get(
    "/cash-days/{day_id}",
    response=responses({200: DayOut}, 404),
    summary="A counter's day, its closing and its check (ETag: its version)",
)
def cash_day_read(request: HttpRequest, response: HttpResponse, day_id: UUID) -> Any:
    return _day_answer(response, _day(request, day_id))


@router.post(
    "/cash-days/{day_id}/close",
    response=responses({200: DayOut}, 403, 404, 412, 428),
    summary="Close a day with the counted amounts (If-Match required)",
)
def cash_day_close(
    request: HttpRequest, response: HttpResponse, day_id: UUID, payload: CashDayCloseIn
) -> Any:
    version = expected_version(request)
    closed = services.cash_day_close(
        actor=actor(request),
        day=_day(request, day_id),
        counted=payload.counted.model_dump(),
        expected_version=version,
        supervisor_note=payload.supervisor_note,
    )
    return _day_answer(response, closed)


@router.post(
    "/cash-days/{day_id}/check",
    response=responses({200: DayOut}, 403, 404, 412, 428),
    summary="A supervisor checks a closed day (If-Match required)",
)
def cash_day_check(
    request: HttpRequest, response: HttpResponse, day_id: UUID, payload: CashDayCheckIn
) -> Any:
    version = expected_version(request)
    checked = services.cash_day_check(
        actor=actor(request),
        day=_day(request, day_id),
        expected_version=version,
        note=payload.note,
    )
    return _day_answer(response, checked)
