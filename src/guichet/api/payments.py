"""Benefit payments over HTTP: beneficiaries, their accounts, entitlements,
declarations and documents, monthly runs (prepare, review data, review, approve,
execute, exceptions) and the ledger's balances.

Handlers parse, call one service or selector and shape the answer; the rules live
in `guichet.payments`. Amounts are decimal strings with two decimals. Reviewing,
approving a run and ending an entitlement edit them: they need `If-Match` with the
ETag of the last read. A run is executed into `GUICHET_PAYMENTS_OUT_DIR/<month>`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from guichet.core.money import format_amount
from guichet.payments import runs, selectors, services
from guichet.payments.models import AccountChange, Beneficiary, Entitlement, PaymentRun

from .common import IsoDate, actor, expected_version, responses, set_etag

router = Router(tags=["payments"])


class PaymentStrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else format_amount(value)


class PaymentRunOut(Schema):
    id: UUID = Field(alias="uuid")
    month: str
    team: str
    state: str
    paid_on: dt.date
    version: int
    beneficiaries: int
    exceptions: int
    gross: str
    withholding: str
    deductions: str
    net: str
    transfers: int
    transfers_total: str

    @staticmethod
    def resolve_team(obj: PaymentRun) -> str:
        return obj.team.code

    @staticmethod
    def resolve_gross(obj: PaymentRun) -> str:
        return format_amount(obj.gross)

    @staticmethod
    def resolve_withholding(obj: PaymentRun) -> str:
        return format_amount(obj.withholding)

    @staticmethod
    def resolve_deductions(obj: PaymentRun) -> str:
        return format_amount(obj.deductions)

    @staticmethod
    def resolve_net(obj: PaymentRun) -> str:
        return format_amount(obj.net)

    @staticmethod
    def resolve_transfers_total(obj: PaymentRun) -> str:
        return format_amount(obj.transfers_total)


class PaymentRunsOut(Schema):
    items: list[PaymentRunOut]


class PaymentExceptionOut(Schema):
    beneficiary: UUID
    person: UUID
    code: str
    detail: dict[str, Any]


class PaymentChangeOut(Schema):
    beneficiary: UUID
    net: str
    previous: str
    difference: str


class PaymentFileOut(Schema):
    message_id: str
    sha256: str
    count: int
    total: str
    version: str


class PaymentRunReviewOut(Schema):
    run: PaymentRunOut
    exceptions_by_code: dict[str, int]
    exceptions: list[PaymentExceptionOut]
    largest_changes: list[PaymentChangeOut]
    files: list[PaymentFileOut]


class PaymentExceptionsOut(Schema):
    items: list[PaymentExceptionOut]


class PaymentRunIn(PaymentStrictIn):
    month: str = Field(description="YYYY-MM")
    team: str | None = Field(default=None, description="The payment office's code.")
    paid_on: IsoDate | None = None


class PaymentExecuteOut(Schema):
    run: UUID
    month: str
    payments: int
    total: str
    files: list[str]


class PaymentEntitlementOut(Schema):
    id: UUID = Field(alias="uuid")
    category: str
    daily_amount: str
    starts_on: dt.date
    ends_on: dt.date | None
    withholding_rate: str
    decided_on: dt.date
    decision_reference: str
    version: int

    @staticmethod
    def resolve_daily_amount(obj: Entitlement) -> str:
        return format_amount(obj.daily_amount)

    @staticmethod
    def resolve_withholding_rate(obj: Entitlement) -> str:
        return str(obj.withholding_rate)


class PaymentDeclarationOut(Schema):
    id: UUID = Field(alias="uuid")
    month: str
    days_payable: int
    days_worked: int
    days_sick: int
    days_holiday: int
    received_on: dt.date
    signed: bool
    dated_on: dt.date | None
    version: int


class PaymentAccountChangeOut(Schema):
    id: UUID = Field(alias="uuid")
    iban: str
    bic: str
    holder: str
    effective_on: dt.date
    status: str

    @staticmethod
    def resolve_status(obj: AccountChange) -> str:
        return obj.status


class PaymentBeneficiaryOut(Schema):
    id: UUID = Field(alias="uuid")
    person: UUID
    team: str
    status: str
    stop_reason: str
    children: int
    account_iban: str
    account_holder: str
    version: int
    entitlements: list[PaymentEntitlementOut]
    declarations: list[PaymentDeclarationOut]
    account_changes: list[PaymentAccountChangeOut]


class PaymentBeneficiaryIn(PaymentStrictIn):
    person: UUID
    team: str | None = None
    dossier: UUID | None = None
    children: int = 0


class PaymentAccountChangeIn(PaymentStrictIn):
    iban: str
    holder: str
    bic: str = ""
    effective_on: IsoDate
    reason: str = ""


class PaymentRefuseIn(PaymentStrictIn):
    reason: str


class PaymentEntitlementIn(PaymentStrictIn):
    category: str
    daily_amount: str
    starts_on: IsoDate
    ends_on: IsoDate | None = None
    withholding_rate: str = "0"
    decided_on: IsoDate
    decision_reference: str = ""


class PaymentEntitlementEndIn(PaymentStrictIn):
    ends_on: IsoDate


class PaymentDeclarationIn(PaymentStrictIn):
    month: str
    days_payable: int
    days_worked: int = 0
    days_sick: int = 0
    days_holiday: int = 0
    received_on: IsoDate
    signed: bool
    dated_on: IsoDate | None = None


class PaymentMissingOut(Schema):
    code: str
    month: str


class PaymentDocumentsOut(Schema):
    month: str
    complete: bool
    missing: list[PaymentMissingOut]


class PaymentDocumentsQuery(Schema):
    month: str


class PaymentBalanceOut(Schema):
    account: str
    debit: str
    credit: str
    balance: str


class PaymentBalancesOut(Schema):
    on: dt.date | None
    items: list[PaymentBalanceOut]


class PaymentBalancesQuery(Schema):
    on: IsoDate | None = None


class PaymentCreditorAccountIn(PaymentStrictIn):
    name: str
    iban: str
    bic: str = ""
    ogm: str = ""
    text: str = ""


class PaymentCreditorAccountOut(Schema):
    name: str
    iban: str
    bic: str
    ogm: str
    text: str


def _run_answer(response: HttpResponse, run: PaymentRun) -> PaymentRun:
    set_etag(response, run.version)
    return run


def _beneficiary(beneficiary: Beneficiary) -> dict[str, Any]:
    return {
        "uuid": beneficiary.uuid,
        "person": beneficiary.person.uuid,
        "team": beneficiary.team.code,
        "status": beneficiary.status,
        "stop_reason": beneficiary.stop_reason,
        "children": beneficiary.children,
        "account_iban": beneficiary.account_iban,
        "account_holder": beneficiary.account_holder,
        "version": beneficiary.version,
        "entitlements": selectors.entitlements_of(beneficiary),
        "declarations": selectors.declarations_of(beneficiary),
        "account_changes": list(beneficiary.account_changes.order_by("-created_at")),
    }


def _exception(item: Any) -> dict[str, Any]:
    return {
        "beneficiary": item.beneficiary.uuid,
        "person": item.beneficiary.person.uuid,
        "code": item.exception,
        "detail": item.detail,
    }


def _balances(on: dt.date | None, rows: list[selectors.Balance]) -> dict[str, Any]:
    return {
        "on": on,
        "items": [
            {
                "account": row.account,
                "debit": format_amount(row.debit),
                "credit": format_amount(row.credit),
                "balance": format_amount(row.balance),
            }
            for row in rows
        ],
    }


# Runs


@router.get(
    "/payment-runs",
    response=responses({200: PaymentRunsOut}, 403),
    summary="The payment runs of the agent's offices, latest month first",
)
def payment_run_list(request: HttpRequest) -> Any:
    return {"items": selectors.runs_for_agent(agent=actor(request))}


@router.post(
    "/payment-runs",
    response=responses({201: PaymentRunOut}, 403, 409),
    summary="Prepare a month's run (a month is run once per office)",
)
def payment_run_prepare(
    request: HttpRequest, response: HttpResponse, payload: PaymentRunIn
) -> Any:
    run = runs.run_prepare(
        actor=actor(request),
        month=payload.month,
        team_code=payload.team,
        paid_on=payload.paid_on,
    )
    set_etag(response, run.version)
    return Status(201, run)


@router.get(
    "/payment-runs/{run_id}",
    response=responses({200: PaymentRunReviewOut}, 404),
    summary="A run with what a reviewer checks (ETag: its version)",
)
def payment_run_read(request: HttpRequest, response: HttpResponse, run_id: UUID) -> Any:
    review = selectors.run_review_data(agent=actor(request), run_id=run_id)
    set_etag(response, review.run.version)
    return {
        "run": review.run,
        "exceptions_by_code": review.exceptions_by_code,
        "exceptions": [_exception(item) for item in review.exceptions],
        "largest_changes": [
            {
                "beneficiary": change.beneficiary.uuid,
                "net": format_amount(change.net),
                "previous": format_amount(change.previous),
                "difference": format_amount(change.difference),
            }
            for change in review.largest_changes
        ],
        "files": [
            {
                "message_id": file.message_id,
                "sha256": file.sha256,
                "count": file.count,
                "total": format_amount(file.total),
                "version": file.version,
            }
            for file in review.files
        ],
    }


@router.get(
    "/payment-runs/{run_id}/exceptions",
    response=responses({200: PaymentExceptionsOut}, 404),
    summary="The beneficiaries a run does not pay, and why",
)
def payment_run_exceptions(
    request: HttpRequest, run_id: UUID, offset: int = 0, limit: int = 100
) -> Any:
    items = selectors.run_exceptions_for_agent(
        agent=actor(request),
        run_id=run_id,
        offset=max(offset, 0),
        limit=min(max(limit, 1), 500),
    )
    return {"items": [_exception(item) for item in items]}


@router.post(
    "/payment-runs/{run_id}/review",
    response=responses({200: PaymentRunOut}, 403, 404, 409, 412, 428),
    summary="Mark a prepared run reviewed (If-Match required)",
)
def payment_run_review(
    request: HttpRequest, response: HttpResponse, run_id: UUID
) -> Any:
    version = expected_version(request)
    run = services.run_review(
        actor=actor(request), run_id=run_id, expected_version=version
    )
    return _run_answer(response, run)


@router.post(
    "/payment-runs/{run_id}/approve",
    response=responses({200: PaymentRunOut}, 403, 404, 409, 412, 428),
    summary="Approve a reviewed run: a second agent, never its preparer (If-Match)",
)
def payment_run_approve(
    request: HttpRequest, response: HttpResponse, run_id: UUID
) -> Any:
    version = expected_version(request)
    run = services.run_approve(
        actor=actor(request), run_id=run_id, expected_version=version
    )
    return _run_answer(response, run)


@router.post(
    "/payment-runs/{run_id}/execute",
    response=responses({200: PaymentExecuteOut}, 403, 404, 409),
    summary="Execute an approved run (or resume it): transfers, ledger, SEPA files",
)
def payment_run_execute(request: HttpRequest, run_id: UUID) -> Any:
    agent = actor(request)
    run = selectors.run_get_for_agent(agent=agent, run_id=run_id)
    out = settings.PAYMENTS_OUT_DIR / run.month
    result = runs.run_execute(actor=agent, run=run, out_dir=out)
    return {
        "run": run.uuid,
        "month": run.month,
        "payments": result.payments,
        "total": format_amount(result.total),
        "files": result.files,
    }


# Beneficiaries


@router.post(
    "/beneficiaries",
    response=responses({201: PaymentBeneficiaryOut}, 403, 404),
    summary="Make a person a beneficiary of the agent's payment office",
)
def payment_beneficiary_register(
    request: HttpRequest, payload: PaymentBeneficiaryIn
) -> Any:
    beneficiary = services.beneficiary_register(
        actor=actor(request),
        person_id=payload.person,
        team_code=payload.team,
        dossier_id=payload.dossier,
        children=payload.children,
    )
    return Status(201, _beneficiary(beneficiary))


@router.get(
    "/beneficiaries/{beneficiary_id}",
    response=responses({200: PaymentBeneficiaryOut}, 404),
    summary="A beneficiary: account, entitlements, declarations (ETag: its version)",
)
def payment_beneficiary_read(
    request: HttpRequest, response: HttpResponse, beneficiary_id: UUID
) -> Any:
    beneficiary = selectors.beneficiary_get_for_agent(
        agent=actor(request), beneficiary_id=beneficiary_id
    )
    set_etag(response, beneficiary.version)
    return _beneficiary(beneficiary)


@router.post(
    "/beneficiaries/{beneficiary_id}/account-changes",
    response=responses({201: PaymentAccountChangeOut}, 403, 404),
    summary="Enter a new payment account (paid once a second agent confirms)",
)
def payment_account_change(
    request: HttpRequest, beneficiary_id: UUID, payload: PaymentAccountChangeIn
) -> Any:
    change = services.account_change_request(
        actor=actor(request),
        beneficiary_id=beneficiary_id,
        iban=payload.iban,
        holder=payload.holder,
        bic=payload.bic,
        effective_on=payload.effective_on,
        reason=payload.reason,
    )
    return Status(201, change)


@router.post(
    "/account-changes/{change_id}/confirm",
    response=responses({200: PaymentAccountChangeOut}, 403, 404, 409),
    summary="Confirm a change of account (a second agent)",
)
def payment_account_confirm(request: HttpRequest, change_id: UUID) -> Any:
    return services.account_change_confirm(actor=actor(request), change_id=change_id)


@router.post(
    "/account-changes/{change_id}/refuse",
    response=responses({200: PaymentAccountChangeOut}, 403, 404, 409),
    summary="Refuse a change of account, with the reason (a second agent)",
)
def payment_account_refuse(
    request: HttpRequest, change_id: UUID, payload: PaymentRefuseIn
) -> Any:
    return services.account_change_refuse(
        actor=actor(request), change_id=change_id, reason=payload.reason
    )


@router.post(
    "/beneficiaries/{beneficiary_id}/entitlements",
    response=responses({201: PaymentEntitlementOut}, 403, 404),
    summary="Record an entitlement from the deciding body's decision",
)
def payment_entitlement_add(
    request: HttpRequest, beneficiary_id: UUID, payload: PaymentEntitlementIn
) -> Any:
    entitlement = services.entitlement_add(
        actor=actor(request),
        beneficiary_id=beneficiary_id,
        category=payload.category,
        daily_amount=payload.daily_amount,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        withholding_rate=payload.withholding_rate,
        decided_on=payload.decided_on,
        decision_reference=payload.decision_reference,
    )
    return Status(201, entitlement)


@router.post(
    "/entitlements/{entitlement_id}/end",
    response=responses({200: PaymentEntitlementOut}, 403, 404, 412, 428),
    summary="Set the end of an entitlement (If-Match required)",
)
def payment_entitlement_end(
    request: HttpRequest,
    response: HttpResponse,
    entitlement_id: UUID,
    payload: PaymentEntitlementEndIn,
) -> Any:
    version = expected_version(request)
    entitlement = services.entitlement_end(
        actor=actor(request),
        entitlement_id=entitlement_id,
        expected_version=version,
        ends_on=payload.ends_on,
    )
    set_etag(response, entitlement.version)
    return entitlement


@router.post(
    "/beneficiaries/{beneficiary_id}/declarations",
    response=responses({201: PaymentDeclarationOut}, 403, 404),
    summary="Record a month's declaration (control card)",
)
def payment_declaration_record(
    request: HttpRequest, beneficiary_id: UUID, payload: PaymentDeclarationIn
) -> Any:
    declaration = services.declaration_record(
        actor=actor(request),
        beneficiary_id=beneficiary_id,
        month=payload.month,
        days_payable=payload.days_payable,
        days_worked=payload.days_worked,
        days_sick=payload.days_sick,
        days_holiday=payload.days_holiday,
        received_on=payload.received_on,
        signed=payload.signed,
        dated_on=payload.dated_on,
    )
    return Status(201, declaration)


@router.get(
    "/beneficiaries/{beneficiary_id}/documents",
    response=responses({200: PaymentDocumentsOut}, 404),
    summary="Whether a month's payment documents are complete, and what is missing",
)
def payment_documents(
    request: HttpRequest, beneficiary_id: UUID, query: Query[PaymentDocumentsQuery]
) -> Any:
    beneficiary = selectors.beneficiary_get_for_agent(
        agent=actor(request), beneficiary_id=beneficiary_id
    )
    month = services.clean_month_or_refuse(query.month)
    check = selectors.documents_check(beneficiary=beneficiary, month=month)
    return {
        "month": check.month,
        "complete": check.complete,
        "missing": [item.as_dict() for item in check.missing],
    }


@router.get(
    "/beneficiaries/{beneficiary_id}/balances",
    response=responses({200: PaymentBalancesOut}, 404),
    summary="The beneficiary's ledger balances per account at a date",
)
def payment_beneficiary_balances(
    request: HttpRequest, beneficiary_id: UUID, query: Query[PaymentBalancesQuery]
) -> Any:
    rows = selectors.beneficiary_balances(
        agent=actor(request), beneficiary_id=beneficiary_id, on=query.on
    )
    return _balances(query.on, rows)


@router.get(
    "/debts/{debt_id}/payment-balances",
    response=responses({200: PaymentBalancesOut}, 404),
    summary="What payment runs deducted for a debt's creditor and transferred",
)
def payment_creditor_balances(
    request: HttpRequest, debt_id: UUID, query: Query[PaymentBalancesQuery]
) -> Any:
    rows = selectors.creditor_balances(
        agent=actor(request), debt_id=debt_id, on=query.on
    )
    return _balances(query.on, rows)


@router.put(
    "/debts/{debt_id}/creditor-account",
    response=responses({200: PaymentCreditorAccountOut}, 403, 404),
    summary="Where the amounts kept back for a debt are transferred",
)
def payment_creditor_account_set(
    request: HttpRequest, debt_id: UUID, payload: PaymentCreditorAccountIn
) -> Any:
    return services.creditor_account_set(
        actor=actor(request),
        debt_id=debt_id,
        name=payload.name,
        iban=payload.iban,
        bic=payload.bic,
        ogm=payload.ogm,
        text=payload.text,
    )
