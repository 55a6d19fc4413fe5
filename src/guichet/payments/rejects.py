"""A bank's reject of a transfer, and paying it again to a corrected account.

- **Reject** (`payment_reject_record`): the bank returns a released transfer with
  an ISO 20022 status reason code. The payment is marked rejected and a
  `BankReject` keeps the code, the bank's text and reference. The ledger gets a
  balanced "reject" transaction that takes the transfer back: the bank account is
  debited (the money came back) and the payee's payable credited (the beneficiary
  or the creditor is owed it again).
- **Pay again** (`payment_retry`, `run_retry`): once the payee's account changed
  after the reject (a beneficiary's change of account confirmed by a second agent,
  a creditor's account set again), the same key (beneficiary, month, entitlement,
  payee) is paid as its next *attempt*, to the account now on record, in a new
  SEPA file of the run (message id: the run's office and month, `R` and the
  retry file's number), validated against the XSD before it is recorded. The
  ledger's "transfer" transaction pays the payable again from the bank. At most one
  attempt of a key is not rejected (a partial unique index): a retry done twice
  pays once.

Four eyes: the amount was approved by a second agent with the run, and the new
account of a beneficiary confirmed by a second agent (the existing rules), so a
retry needs no third approval; it needs the right to execute runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.payments import Action
from guichet.agents.models import Agent
from guichet.audit.services import audit_record
from guichet.core import clock
from guichet.core.errors import Conflict, GuichetError, NotFound, ValidationFailed
from guichet.core.money import cents, format_amount
from guichet.core.validation import Problems

from . import keys
from .models import (
    Account,
    AccountChange,
    AccountChangeStatus,
    BankReject,
    Beneficiary,
    CreditorAccount,
    LedgerLine,
    LedgerTransaction,
    PayeeKind,
    Payment,
    PaymentRun,
    PaymentState,
    RejectReason,
    RunState,
    SepaFile,
    TransactionKind,
)

NOTHING_SAVED = _("Some values are not valid; nothing was saved.")


class RejectCode(StrEnum):
    INVALID_REASON = "invalid_reject_reason"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    FUTURE_DATE = "date_in_future"
    NOT_EXECUTED = "payment_not_executed"
    ALREADY_REJECTED = "payment_already_rejected"
    NOT_REJECTED = "payment_not_rejected"
    ACCOUNT_NOT_CORRECTED = "account_not_corrected"
    RUN_NOT_EXECUTED = "run_not_executed"
    NOT_A_REPORT = "not_a_status_report"


class RejectConflict(Conflict):
    default_code = RejectCode.NOT_EXECUTED


def payments_visible(*, agent: Agent) -> QuerySet[Payment]:
    """The transfers of the runs the agent sees, of beneficiaries the agent sees."""
    return policy.visible(agent, Payment.objects.all())


def _payment_for(actor: Agent, payment_id: int | str, action: str) -> Payment:
    policy.require(actor, action)
    try:
        key = int(payment_id)
    except (TypeError, ValueError):
        key = 0
    found = (
        payments_visible(agent=actor).filter(pk=key).first()
        if 0 < key < 2**63
        else None
    )
    if found is None:
        raise NotFound(_("No such payment."))
    policy.require(actor, action, found)
    return found


def _locked(run_pk: int, payment_pk: int) -> tuple[PaymentRun, Payment]:
    run = PaymentRun.objects.select_for_update().get(pk=run_pk)
    payment = Payment.objects.select_for_update().get(pk=payment_pk)
    return run, payment


def _payable(kind: str) -> str:
    return (
        Account.BENEFICIARY_PAYABLE
        if kind == PayeeKind.BENEFICIARY
        else Account.CREDITOR_PAYABLE
    )


# Reject


@transaction.atomic
def payment_reject_record(
    *,
    actor: Agent,
    payment_id: int | str,
    reason: str,
    received_on: dt.date,
    reason_text: str = "",
    bank_reference: str = "",
) -> BankReject:
    """Record a bank's reject of a transfer released in a file (see the module)."""
    found = _payment_for(actor, payment_id, Action.RUN_EXECUTE)
    run, payment = _locked(found.run_id, found.pk)
    problems = Problems(message=NOTHING_SAVED)
    if reason not in RejectReason.values:
        problems.add(
            "reason",
            RejectCode.INVALID_REASON,
            _("Choose one of the bank's reason codes."),
        )
    text = " ".join((reason_text or "").split())
    reference = " ".join((bank_reference or "").split())
    if reason == RejectReason.OTHER and not text:
        problems.add(
            "reason_text",
            RejectCode.REQUIRED,
            _("Give the bank's text for another reason."),
        )
    if len(text) > 140:
        problems.add("reason_text", RejectCode.TOO_LONG, _("At most 140 characters."))
    if len(reference) > 35:
        problems.add("bank_reference", RejectCode.TOO_LONG, _("At most 35 characters."))
    if not isinstance(received_on, dt.date) or received_on > clock.today():
        problems.add(
            "received_on",
            RejectCode.FUTURE_DATE,
            _("Give the date the reject was received, today at the latest."),
        )
    problems.raise_if_any()
    if payment.state == PaymentState.REJECTED:
        raise RejectConflict(
            _("This transfer was already rejected; nothing was recorded."),
            code=RejectCode.ALREADY_REJECTED,
        )
    if payment.state != PaymentState.RELEASED or payment.file_id is None:
        raise RejectConflict(
            _(
                "Only a transfer executed in a file can be rejected; this one is "
                "%(state)s. Nothing was recorded."
            ),
            code=RejectCode.NOT_EXECUTED,
            params={"state": payment.get_state_display()},
        )
    Payment.objects.filter(pk=payment.pk).update(state=PaymentState.REJECTED)
    reject = BankReject.objects.create(
        payment=payment,
        reason=reason,
        reason_text=text,
        bank_reference=reference,
        received_on=received_on,
        recorded_by=actor,
    )
    tx = LedgerTransaction.objects.create(
        key=f"reject:{payment.pk}",
        run=run,
        kind=TransactionKind.REJECT,
        booked_on=received_on,
        total=payment.amount,
    )
    LedgerLine.objects.bulk_create(
        [
            LedgerLine(
                transaction=tx,
                account=Account.BANK,
                booked_on=received_on,
                debit=payment.amount,
            ),
            LedgerLine(
                transaction=tx,
                account=_payable(payment.kind),
                beneficiary_id=payment.beneficiary_id,
                debt_id=payment.debt_id,
                booked_on=received_on,
                credit=payment.amount,
            ),
        ]
    )
    audit_record(
        actor=actor,
        action="payment.reject_record",
        obj=run,
        summary={
            "payment": payment.pk,
            "end_to_end_id": payment.end_to_end_id,
            "amount": format_amount(payment.amount),
            "reason": reason,
            "bank_reference": reference,
            "received_on": received_on,
        },
        reason=text,
    )
    return reject


# Pay again


def corrected_account(payment: Payment, reject: BankReject) -> dict[str, str] | None:
    """The payee's account now on record if it changed (and, for a beneficiary, was
    confirmed) after the reject was recorded; else None."""
    if payment.kind == PayeeKind.BENEFICIARY:
        changed = AccountChange.objects.filter(
            beneficiary_id=payment.beneficiary_id,
            status=AccountChangeStatus.CONFIRMED,
            decided_at__gt=reject.created_at,
        ).exists()
        beneficiary = Beneficiary.objects.get(pk=payment.beneficiary_id)
        if not changed or not beneficiary.account_iban:
            return None
        return {
            "creditor_name": beneficiary.account_holder,
            "iban": beneficiary.account_iban,
            "bic": beneficiary.account_bic,
        }
    if payment.debt_id is None:  # pragma: no cover - a creditor's has its debt
        return None
    account = CreditorAccount.objects.filter(
        debt_id=payment.debt_id, updated_at__gt=reject.created_at
    ).first()
    if account is None:
        return None
    return {"creditor_name": account.name, "iban": account.iban, "bic": account.bic}


@dataclass(frozen=True)
class RetryResult:
    payments: list[Payment]  # the new attempts this call made (none if done before)
    file: SepaFile | None  # the file that holds them
    refused: list[tuple[Payment, str]]  # rejected payments left, with the code


def _retry_file(
    run: PaymentRun, new: Sequence[Payment], out_dir: Path
) -> tuple[Any, Path, Any, int]:
    from . import runs, sepa

    number = SepaFile.objects.filter(run=run, retry=True).count() + 1
    message_id = keys.retry_message_id(team=run.team_id, month=run.month, number=number)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{message_id}.xml"
    version = runs._version()
    today = clock.today()
    done = sepa.write_file(
        [
            sepa.Transfer(
                end_to_end_id=p.end_to_end_id,
                amount_cents=cents(p.amount),
                creditor_name=p.creditor_name,
                creditor_iban=p.iban,
                creditor_bic=p.bic or None,
                ogm=p.ogm or None,
                text=p.text or None,
            )
            for p in new
        ],
        debtor=runs._debtor(),
        message_id=message_id,
        execution_date=max(today, run.paid_on),
        created_at=dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC),
        version=version,
        path=path,
    )
    try:
        sepa.validate(path, version)
    except sepa.SepaError:
        path.unlink(missing_ok=True)
        raise
    return done, path, version, number


def _retry_locked(
    actor: Agent, run: PaymentRun, candidates: Sequence[Payment], out_dir: Path
) -> RetryResult:
    """Pay again the rejected `candidates` of the locked `run` (caller's
    transaction, rows locked)."""
    if run.state != RunState.EXECUTED:
        raise RejectConflict(
            _("Only the transfers of an executed run can be paid again."),
            code=RejectCode.RUN_NOT_EXECUTED,
        )
    new: list[Payment] = []
    rejects: list[BankReject] = []
    refused: list[tuple[Payment, str]] = []
    for payment in candidates:
        reject = BankReject.objects.select_for_update().filter(payment=payment).first()
        if payment.state != PaymentState.REJECTED or reject is None:
            refused.append((payment, RejectCode.NOT_REJECTED))
            continue
        if reject.retry_id is not None:
            continue  # paid again already: a retry twice pays once
        account = corrected_account(payment, reject)
        if account is None:
            refused.append((payment, RejectCode.ACCOUNT_NOT_CORRECTED))
            continue
        attempt = payment.attempt + 1
        first = (
            payment.end_to_end_id.rsplit("-", 1)[0]
            if payment.attempt > 1
            else (payment.end_to_end_id)
        )
        new.append(
            Payment(
                run=run,
                beneficiary_id=payment.beneficiary_id,
                month=payment.month,
                entitlement_id=payment.entitlement_id,
                payee=payment.payee,
                kind=payment.kind,
                debt_id=payment.debt_id,
                amount=payment.amount,
                ogm=payment.ogm,
                text=payment.text,
                end_to_end_id=keys.retry_end_to_end_id(first, attempt=attempt),
                state=PaymentState.RELEASED,
                attempt=attempt,
                **account,
            )
        )
        rejects.append(reject)
    if not new:
        return RetryResult(payments=[], file=None, refused=refused)
    done, path, version, number = _retry_file(run, new, out_dir)
    last = SepaFile.objects.filter(run=run).order_by("-sequence").first()
    for payment in new:
        payment.save(force_insert=True)
    total = sum((p.amount for p in new), Decimal("0.00"))
    sepa_file = SepaFile.objects.create(
        run=run,
        sequence=0 if last is None else last.sequence + 1,
        path=str(path),
        message_id=done.message_id,
        version=str(getattr(version, "value", version)),
        count=len(new),
        total=total,
        sha256=done.sha256,
        first_payment=new[0].pk,
        last_payment=new[-1].pk,
        retry=True,
    )
    Payment.objects.filter(pk__in=[p.pk for p in new]).update(file=sepa_file)
    for reject, payment in zip(rejects, new, strict=True):
        BankReject.objects.filter(pk=reject.pk).update(retry=payment)
        payment.file = sepa_file
    today = clock.today()
    tx = LedgerTransaction.objects.create(
        key=f"transfer:{done.message_id}",
        run=run,
        kind=TransactionKind.TRANSFER,
        booked_on=today,
        total=total,
    )
    lines = [
        LedgerLine(
            transaction=tx,
            account=_payable(p.kind),
            beneficiary_id=p.beneficiary_id,
            debt_id=p.debt_id,
            booked_on=today,
            debit=p.amount,
        )
        for p in new
    ]
    lines.append(
        LedgerLine(transaction=tx, account=Account.BANK, booked_on=today, credit=total)
    )
    LedgerLine.objects.bulk_create(lines)
    audit_record(
        actor=actor,
        action="payment.retry",
        obj=run,
        summary={
            "file": done.message_id,
            "number": number,
            "sha256": done.sha256,
            "payments": [p.end_to_end_id for p in new],
            "total": format_amount(total),
        },
    )
    return RetryResult(payments=new, file=sepa_file, refused=refused)


def _out_dir(run: PaymentRun, out_dir: Path | None) -> Path:
    return out_dir or Path(settings.PAYMENTS_OUT_DIR) / run.month


@transaction.atomic
def payment_retry(
    *, actor: Agent, payment_id: int | str, out_dir: Path | None = None
) -> RetryResult:
    """Pay a rejected transfer again to the corrected account (see the module).
    Refused, nothing written, when the account was not corrected after the reject;
    done before: returns no new payment."""
    found = _payment_for(actor, payment_id, Action.RUN_EXECUTE)
    run, payment = _locked(found.run_id, found.pk)
    if payment.state != PaymentState.REJECTED:
        raise RejectConflict(
            _("Only a transfer the bank rejected can be paid again."),
            code=RejectCode.NOT_REJECTED,
        )
    result = _retry_locked(actor, run, [payment], _out_dir(run, out_dir))
    if result.refused:
        raise RejectConflict(
            _(
                "The payee's account has not changed since the reject: correct the "
                "account first (a change confirmed by a second agent). Nothing was "
                "paid."
            ),
            code=result.refused[0][1],
        )
    return result


@transaction.atomic
def run_retry(*, actor: Agent, run_id: str, out_dir: Path | None = None) -> RetryResult:
    """Pay again, in one file, every rejected transfer of a run whose account was
    corrected since; the others stay rejected (listed in `refused`)."""
    from .services import _locked_run

    run = _locked_run(actor, run_id, Action.RUN_EXECUTE)
    policy.require(actor, Action.RUN_EXECUTE, run)
    candidates = list(
        Payment.objects.select_for_update(of=("self",))
        .filter(run=run, state=PaymentState.REJECTED, reject__retry__isnull=True)
        .filter(pk__in=payments_visible(agent=actor).values("pk"))
        .order_by("id")
    )
    return _retry_locked(actor, run, candidates, _out_dir(run, out_dir))


# Reads


def rejects_of_run(*, agent: Agent, run: PaymentRun) -> list[BankReject]:
    """The run's rejects the agent may see, with the payment and its retry."""
    return list(
        BankReject.objects.filter(payment__in=payments_visible(agent=agent))
        .filter(payment__run=run)
        .select_related("payment", "retry", "retry__file", "payment__beneficiary")
        .order_by("payment_id")
    )


def rejects_of_beneficiaries(
    *, agent: Agent, beneficiaries: Sequence[Beneficiary]
) -> list[BankReject]:
    return list(
        BankReject.objects.filter(
            payment__in=payments_visible(agent=agent),
            payment__beneficiary__in=list(beneficiaries),
        )
        .select_related("payment", "retry")
        .order_by("-received_on", "id")
    )


# A bank's status report


@dataclass(frozen=True)
class ImportResult:
    file: str
    report: str  # the report's message id
    recorded: list[str]  # end-to-end ids of the rejects recorded now
    already: list[str]  # rejected before (an import run again records nothing)
    unknown: list[str]  # no transfer the agent sees has this id
    refused: list[dict[str, str]]  # {"end_to_end_id", "code", "message"}

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "report": self.report,
            "rejects": len(self.recorded)
            + len(self.already)
            + len(self.unknown)
            + len(self.refused),
            "recorded": self.recorded,
            "already": self.already,
            "unknown": self.unknown,
            "refused": self.refused,
        }


def rejects_import(*, actor: Agent, path: Path) -> ImportResult:
    """Record every reject (`RJCT`) of a bank's pain.002 status report, each in its
    own transaction: a reject refused leaves the others recorded, and an import run
    again records nothing twice. A code outside the list is recorded as "other"
    with the code in the text; the date received is the report's (today at the
    latest)."""
    from . import pain002

    policy.require(actor, Action.RUN_EXECUTE)
    try:
        report = pain002.read(path)
    except pain002.StatusReportError as error:
        raise ValidationFailed(
            _("%(file)s is not a bank's status report (pain.002): %(error)s"),
            code=RejectCode.NOT_A_REPORT,
            params={"file": path.name, "error": str(error)},
        ) from error
    today = clock.today()
    received_on = min(report.created_on or today, today)
    recorded: list[str] = []
    already: list[str] = []
    unknown: list[str] = []
    refused: list[dict[str, str]] = []
    visible = payments_visible(agent=actor)
    for status in report.rejected:
        payment = (
            visible.filter(end_to_end_id=status.end_to_end_id).first()
            if status.end_to_end_id
            else None
        )
        if payment is None:
            unknown.append(status.end_to_end_id)
            continue
        known = status.reason in RejectReason.values
        text = status.text if known else f"{status.reason} {status.text}".strip()
        if not known and not text:
            text = "?"
        try:
            payment_reject_record(
                actor=actor,
                payment_id=payment.pk,
                reason=status.reason if known else RejectReason.OTHER,
                received_on=received_on,
                reason_text=text[:140],
                bank_reference=status.bank_reference[:35],
            )
        except GuichetError as error:
            if error.code == RejectCode.ALREADY_REJECTED:
                already.append(status.end_to_end_id)
            else:
                refused.append(
                    {
                        "end_to_end_id": status.end_to_end_id,
                        "code": str(error.code),
                        "message": str(error.text),
                    }
                )
            continue
        recorded.append(status.end_to_end_id)
    return ImportResult(
        file=str(path),
        report=report.message_id,
        recorded=recorded,
        already=already,
        unknown=unknown,
        refused=refused,
    )
