"""A month's payment run: prepare and execute, in resumable batches.

Design (docs/payments.md, "Crash safety"):

- **Prepare** streams the office's beneficiaries due for the month in id order, a
  batch at a time (`GUICHET_PAYMENTS_BATCH_SIZE`). For each batch, in one
  transaction under the run's row lock: compute every beneficiary in pure Python
  (`calculation.compute_month`, the debts engine for the deductions), bulk-insert
  the run items and the planned transfers, and move `prepare_cursor` to the last
  beneficiary. A kill loses at most the batch in flight, which is redone.
- **Execute** books the approved items a batch at a time (the ledger's "due"
  transactions, the debts' retentions through `debts.services.
  allocations_post_batch`, `execute_cursor`), then writes the SEPA files: file
  *k* holds the next `GUICHET_PAYMENTS_MAX_PER_FILE` transfers after file *k-1*'s
  last one, in id order. A file is written (atomically, deterministic bytes), then
  recorded with its transfers released and the ledger's "transfer" transaction in
  one transaction. A file not recorded is written again (the same bytes); a
  recorded file is never rewritten.
- Every transfer is unique on (beneficiary, month, entitlement, payee) and its
  end-to-end id is made from that key, so nothing is paid twice.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.payments import Action
from guichet.agents.models import Agent, Team
from guichet.audit.services import audit_record
from guichet.core import clock
from guichet.core.money import cents, format_amount
from guichet.debts import allocation, garnishment
from guichet.debts import selectors as debt_selectors
from guichet.debts.errors import NoTableInForce
from guichet.debts.models import Debt, DebtKind, DebtStatus
from guichet.debts.services import BatchPosting, allocations_post_batch

from . import bulk, calculation, documents, keys
from .errors import Code, ExceptionCode, Invalid, MonthAlreadyRun, RunStateError
from .models import (
    Account,
    Beneficiary,
    BeneficiaryStatus,
    CreditorAccount,
    Declaration,
    Entitlement,
    LedgerLine,
    LedgerTransaction,
    PayeeKind,
    Payment,
    PaymentRun,
    PaymentState,
    RunItem,
    RunState,
    SepaFile,
    TransactionKind,
)

ZERO = Decimal("0.00")
Progress = Callable[[int], None]


def _month_or_refuse(month: str) -> str:
    from .selectors import MONTH

    if not isinstance(month, str) or not MONTH.fullmatch(month):
        raise Invalid(_("Give a month as YYYY-MM."), code=Code.INVALID_MONTH)
    return month


def beneficiaries_due(team: Team, month: str) -> Any:
    """The office's active beneficiaries with an entitlement covering the month."""
    first, last = calculation.month_bounds(month)
    covering = Entitlement.objects.filter(
        beneficiary=OuterRef("pk"), starts_on__lte=last
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
    return Beneficiary.objects.filter(
        team=team, status=BeneficiaryStatus.ACTIVE
    ).filter(Exists(covering))


# Prepare


@transaction.atomic
def _create_run(
    *, actor: Agent, team: Team, month: str, paid_on: dt.date
) -> PaymentRun:
    run = PaymentRun.objects.create(
        team=team, month=month, paid_on=paid_on, prepared_by=actor
    )
    audit_record(
        actor=actor,
        action="payment.run_start",
        obj=run,
        summary={"team": team.code, "month": month, "paid_on": paid_on},
    )
    return run


def run_open(
    *,
    actor: Agent,
    month: str,
    team_code: str | None = None,
    paid_on: dt.date | None = None,
) -> PaymentRun:
    """Start a month's run (state "being prepared"). A month has one run per
    office: a second is refused with the state of the first."""
    policy.require(actor, Action.RUN_PREPARE)
    month = _month_or_refuse(month)
    team = debt_selectors.team_for(actor, team_code)
    existing = PaymentRun.objects.filter(team=team, month=month).first()
    if existing is None:
        try:
            return _create_run(
                actor=actor, team=team, month=month, paid_on=paid_on or clock.today()
            )
        except IntegrityError:
            existing = PaymentRun.objects.get(team=team, month=month)
    raise MonthAlreadyRun(
        _(
            "%(month)s already has a payment run for this office (%(state)s): a month "
            "is paid once; nothing was done."
        ),
        params={"month": month, "state": existing.get_state_display()},
        extra={"run": str(existing.uuid), "state": existing.state},
    )


@dataclass
class _Context:
    run: PaymentRun
    month: str
    table: garnishment.BracketTable | None
    rates: allocation.RecoveryRates
    first: dt.date = field(init=False)
    last: dt.date = field(init=False)

    def __post_init__(self) -> None:
        self.first, self.last = calculation.month_bounds(self.month)


def _table(paid_on: dt.date) -> garnishment.BracketTable | None:
    try:
        return debt_selectors.bracket_table_for(
            on=paid_on, kind=garnishment.IncomeKind.REPLACEMENT
        )
    except NoTableInForce:
        return None


def _claim_dict(claim: allocation.Claim, pk: int) -> dict[str, Any]:
    return {
        "id": str(claim.id),
        "pk": pk,
        "kind": claim.kind.value,
        "notified_on": claim.notified_on.isoformat(),
        "balance": str(claim.balance),
        "fraud": claim.fraud,
        "limit": None if claim.limit is None else str(claim.limit),
    }


def _claim_of(raw: dict[str, Any]) -> allocation.Claim:
    return allocation.Claim(
        id=raw["id"],
        kind=allocation.ClaimKind(raw["kind"]),
        notified_on=dt.date.fromisoformat(raw["notified_on"]),
        balance=Decimal(raw["balance"]),
        fraud=raw["fraud"],
        limit=None if raw["limit"] is None else Decimal(raw["limit"]),
    )


def _prepare_batch(ctx: _Context, rows: Sequence[dict[str, Any]]) -> None:
    """Compute and write one batch of beneficiaries (inside the caller's transaction)."""
    run = ctx.run
    ids = [row["id"] for row in rows]
    terms: dict[int, list[calculation.Terms]] = defaultdict(list)
    for ent in (
        Entitlement.objects.filter(beneficiary_id__in=ids, starts_on__lte=ctx.last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=ctx.first))
        .values_list(
            "id",
            "beneficiary_id",
            "category",
            "daily_amount",
            "starts_on",
            "ends_on",
            "withholding_rate",
        )
    ):
        terms[ent[1]].append(
            calculation.Terms(
                id=ent[0],
                category=ent[2],
                daily_amount=ent[3],
                starts_on=ent[4],
                ends_on=ent[5],
                withholding_rate=ent[6],
            )
        )
    earliest = min(
        (t.starts_on for items in terms.values() for t in items), default=ctx.first
    )
    from_month = f"{earliest.year:04d}-{earliest.month:02d}"
    cards: dict[int, dict[str, documents.Card]] = defaultdict(dict)
    for card in Declaration.objects.filter(
        beneficiary_id__in=ids, month__gte=from_month, month__lte=ctx.month
    ).values_list(
        "beneficiary_id",
        "month",
        "days_payable",
        "days_worked",
        "days_sick",
        "days_holiday",
        "signed",
        "dated_on",
    ):
        cards[card[0]][card[1]] = documents.Card(
            month=card[1],
            declared=calculation.Declared(
                days_payable=card[2],
                days_worked=card[3],
                days_sick=card[4],
                days_holiday=card[5],
            ),
            signed=card[6],
            dated=card[7] is not None,
        )
    persons = {row["person_id"]: row["id"] for row in rows}
    debts_of: dict[int, list[Debt]] = defaultdict(list)
    debt_rows = list(
        debt_selectors.with_balance(
            Debt.objects.filter(
                team_id=run.team_id,
                person_id__in=list(persons),
                status=DebtStatus.ACTIVE,
            )
        )
        .prefetch_related("plans")
        .order_by("id")
    )
    for debt in debt_rows:
        debts_of[persons[debt.person_id]].append(debt)
    accounts = {
        account.debt_id: account
        for account in CreditorAccount.objects.filter(debt__in=debt_rows)
    }
    items: list[RunItem] = []
    payments: list[Payment] = []
    for row in rows:
        beneficiary_id = row["id"]
        item, transfers = _prepare_one(
            ctx,
            row,
            terms[beneficiary_id],
            cards[beneficiary_id],
            debts_of.get(beneficiary_id, []),
            accounts,
        )
        items.append(item)
        payments.extend(transfers)
    # One transaction with the cursor (under the run's lock): a batch is never
    # written twice, so no conflict to ignore; the unique keys stand guard.
    bulk.insert(RunItem, items)
    bulk.insert(Payment, payments)


def _exception(
    run: PaymentRun, beneficiary_id: int, code: str, **detail: Any
) -> RunItem:
    return RunItem(
        run=run, beneficiary_id=beneficiary_id, exception=code, detail=detail
    )


def _prepare_one(
    ctx: _Context,
    row: dict[str, Any],
    terms: list[calculation.Terms],
    cards: dict[str, documents.Card],
    debts: list[Debt],
    accounts: dict[int, CreditorAccount],
) -> tuple[RunItem, list[Payment]]:
    run = ctx.run
    beneficiary_id = row["id"]
    missing = documents.missing(
        cards=cards, month=ctx.month, since=min(t.starts_on for t in terms)
    )
    if missing:
        return _exception(
            run, beneficiary_id, missing[0].code, missing=[m.as_dict() for m in missing]
        ), []
    if not row["account_iban"]:
        return _exception(run, beneficiary_id, ExceptionCode.NO_ACCOUNT), []
    claims = debt_selectors.claims_for(debts, paid_on=run.paid_on, period=ctx.month)
    try:
        month = calculation.compute_month(
            entitlements=terms,
            declared=cards[ctx.month].declared,
            month=ctx.month,
            children=row["children"],
            claims=claims,
            table=ctx.table,
            rates=ctx.rates,
        )
    except ValueError as error:
        code = ExceptionCode.NO_TABLE if ctx.table is None else ExceptionCode.ENGINE
        return _exception(run, beneficiary_id, code, error=str(error)), []
    main = month.main
    by_id = {str(debt.uuid): debt for debt in debts}
    transfers: list[Payment] = []
    deductions: list[dict[str, Any]] = []
    if month.allocation is not None:
        for line in month.allocation.lines:
            if line.amount == 0:
                continue
            debt = by_id[str(line.claim.id)]
            deductions.append(
                {"debt": debt.pk, "kind": debt.kind, "amount": str(line.amount)}
            )
            if debt.kind == DebtKind.RECOVERY:
                continue  # the office's own claim: kept back, nothing transferred
            account = accounts.get(debt.pk)
            if account is None:
                return _exception(
                    run,
                    beneficiary_id,
                    ExceptionCode.CREDITOR_ACCOUNT,
                    debt=str(debt.uuid),
                ), []
            transfers.append(
                Payment(
                    run=run,
                    beneficiary_id=beneficiary_id,
                    month=ctx.month,
                    entitlement_id=main.id,
                    payee=f"debt:{debt.pk}",
                    kind=PayeeKind.CREDITOR,
                    debt_id=debt.pk,
                    amount=line.amount,
                    creditor_name=account.name,
                    iban=account.iban,
                    bic=account.bic,
                    ogm=account.ogm,
                    text=""
                    if account.ogm
                    else (account.text or f"{debt.reference} {ctx.month}".strip())[
                        :140
                    ],
                    end_to_end_id=keys.end_to_end_id(
                        month=ctx.month,
                        beneficiary=beneficiary_id,
                        entitlement=main.id,
                        debt=debt.pk,
                    ),
                )
            )
    if month.net > 0:
        transfers.append(
            Payment(
                run=run,
                beneficiary_id=beneficiary_id,
                month=ctx.month,
                entitlement_id=main.id,
                payee="beneficiary",
                kind=PayeeKind.BENEFICIARY,
                amount=month.net,
                creditor_name=row["account_holder"],
                iban=row["account_iban"],
                bic=row["account_bic"],
                text=f"ALLOC/UITK {ctx.month}",
                end_to_end_id=keys.end_to_end_id(
                    month=ctx.month,
                    beneficiary=beneficiary_id,
                    entitlement=main.id,
                    debt=None,
                ),
            )
        )
    detail: dict[str, Any] = {}
    if deductions:
        detail = {
            "deductions": deductions,
            "claims": [_claim_dict(claim, by_id[str(claim.id)].pk) for claim in claims],
            "income": str(month.gross - month.withholding),
            "children": row["children"],
        }
    item = RunItem(
        run=run,
        beneficiary_id=beneficiary_id,
        days=month.days,
        gross=month.gross,
        withholding=month.withholding,
        deductions=month.deductions,
        net=month.net,
        detail=detail,
    )
    return item, transfers


def prepare_batches(*, actor: Agent, run: PaymentRun) -> Iterator[int]:
    """Prepare `run` batch by batch, yielding the beneficiaries done in each; resumes
    after the last batch committed. Ends with the run "prepared" (one audit record)."""
    policy.require(actor, Action.RUN_PREPARE, run)
    if run.state != RunState.PREPARING:
        return
    size = settings.PAYMENTS_BATCH_SIZE
    ctx = _Context(
        run=run,
        month=run.month,
        table=_table(run.paid_on),
        rates=debt_selectors.recovery_rates(),
    )
    team = run.team
    due = beneficiaries_due(team, run.month).order_by("id")
    while True:
        with transaction.atomic():
            locked = PaymentRun.objects.select_for_update().get(pk=run.pk)
            if locked.state != RunState.PREPARING:
                return
            cursor = locked.prepare_cursor
            rows = list(
                due.filter(id__gt=cursor).values(
                    "id",
                    "person_id",
                    "children",
                    "account_iban",
                    "account_bic",
                    "account_holder",
                )[:size]
            )
            if not rows:
                _finish_prepare(actor, locked)
                run.state = RunState.PREPARED
                return
            ctx.run = locked
            _prepare_batch(ctx, rows)
            PaymentRun.objects.filter(pk=run.pk).update(prepare_cursor=rows[-1]["id"])
        yield len(rows)


def _finish_prepare(actor: Agent, run: PaymentRun) -> None:
    totals = RunItem.objects.filter(run=run).aggregate(
        gross=Sum("gross"),
        withholding=Sum("withholding"),
        deductions=Sum("deductions"),
        net=Sum("net"),
    )
    paid = RunItem.objects.filter(run=run, exception="").count()
    exceptions = RunItem.objects.filter(run=run).exclude(exception="").count()
    values = {
        "state": RunState.PREPARED,
        "prepared_at": clock.now(),
        "beneficiaries": paid,
        "exceptions": exceptions,
        **{name: totals[name] or ZERO for name in totals},
    }
    PaymentRun.objects.filter(pk=run.pk).update(**values)
    run.refresh_from_db()
    audit_record(
        actor=actor,
        action="payment.run_prepare",
        obj=run,
        summary={
            "month": run.month,
            "beneficiaries": paid,
            "exceptions": exceptions,
            **{name: format_amount(totals[name] or ZERO) for name in totals},
        },
    )
    documents.request_letters_for_run(actor=actor, run=run)


def run_prepare(
    *,
    actor: Agent,
    month: str,
    team_code: str | None = None,
    paid_on: dt.date | None = None,
) -> PaymentRun:
    """Open and prepare a month's run in one call (the API's and screens' way)."""
    run = run_open(actor=actor, month=month, team_code=team_code, paid_on=paid_on)
    for _done in prepare_batches(actor=actor, run=run):
        pass
    run.refresh_from_db()
    return run


# Execute


@dataclass(frozen=True)
class ExecuteResult:
    run: PaymentRun
    payments: int  # credit transfers released in a file by this call
    total: Decimal  # their sum
    files: list[str]  # the files this call wrote and recorded


def execute_total_steps(run: PaymentRun) -> int:
    size = settings.PAYMENTS_BATCH_SIZE
    items = RunItem.objects.filter(
        run=run, exception="", id__gt=run.execute_cursor
    ).count()
    count = Payment.objects.filter(run=run, file__isnull=True).count()
    return math.ceil(items / size) + math.ceil(count / settings.PAYMENTS_MAX_PER_FILE)


def _start_execute(actor: Agent, run: PaymentRun) -> PaymentRun:
    with transaction.atomic():
        locked = PaymentRun.objects.select_for_update().get(pk=run.pk)
        if locked.state == RunState.APPROVED:
            PaymentRun.objects.filter(pk=run.pk).update(
                state=RunState.EXECUTING, executed_by=actor
            )
            audit_record(
                actor=actor,
                action="payment.run_execute_start",
                obj=locked,
                summary={"month": locked.month},
            )
        elif locked.state not in (RunState.EXECUTING, RunState.EXECUTED):
            raise RunStateError(
                _("Only an approved run can be executed; this one is %(state)s."),
                params={"state": locked.get_state_display()},
            )
    run.refresh_from_db()
    return run


def _line(
    tx: LedgerTransaction,
    account: str,
    *,
    booked_on: dt.date,
    debit: Decimal = ZERO,
    credit: Decimal = ZERO,
    beneficiary_id: int | None = None,
    debt_id: int | None = None,
) -> LedgerLine:
    return LedgerLine(
        transaction=tx,
        account=account,
        beneficiary_id=beneficiary_id,
        debt_id=debt_id,
        booked_on=booked_on,
        debit=debit,
        credit=credit,
    )


def _book_batch(
    actor: Agent, run: PaymentRun, items: Sequence[Mapping[str, Any]]
) -> None:
    """The ledger's "due" transactions and the debts' retentions of a batch."""
    booked_on = run.paid_on
    transactions = [
        LedgerTransaction(
            key=f"due:{run.pk}:{item['beneficiary_id']}",
            run=run,
            kind=TransactionKind.DUE,
            booked_on=booked_on,
            total=item["gross"],
        )
        for item in items
    ]
    bulk.insert(LedgerTransaction, transactions)
    ids = dict(
        LedgerTransaction.objects.filter(
            key__in=[tx.key for tx in transactions]
        ).values_list("key", "id")
    )
    for tx in transactions:
        tx.id = ids[tx.key]
    lines: list[LedgerLine] = []
    postings: list[BatchPosting] = []
    table = _table(run.paid_on)
    for item, tx in zip(items, transactions, strict=True):
        beneficiary = item["beneficiary_id"]
        lines.append(
            _line(
                tx,
                Account.BENEFITS_EXPENSE,
                booked_on=booked_on,
                debit=item["gross"],
                beneficiary_id=beneficiary,
            )
        )
        if item["withholding"] > 0:
            lines.append(
                _line(
                    tx,
                    Account.WITHHOLDING_PAYABLE,
                    booked_on=booked_on,
                    credit=item["withholding"],
                    beneficiary_id=beneficiary,
                )
            )
        detail = item["detail"] or {}
        lines.extend(
            _line(
                tx,
                Account.RECOVERY_RECEIVABLE
                if deduction["kind"] == DebtKind.RECOVERY
                else Account.CREDITOR_PAYABLE,
                booked_on=booked_on,
                credit=Decimal(deduction["amount"]),
                beneficiary_id=beneficiary,
                debt_id=deduction["debt"],
            )
            for deduction in detail.get("deductions", [])
        )
        if item["net"] > 0:
            lines.append(
                _line(
                    tx,
                    Account.BENEFICIARY_PAYABLE,
                    booked_on=booked_on,
                    credit=item["net"],
                    beneficiary_id=beneficiary,
                )
            )
        if detail.get("deductions"):
            postings.append(_posting(item, detail, table=table))
    bulk.insert(LedgerLine, lines)
    if postings:
        allocations_post_batch(
            actor=actor,
            team=run.team,
            period=run.month,
            paid_on=run.paid_on,
            postings=postings,
        )


def _posting(
    item: Mapping[str, Any],
    detail: dict[str, Any],
    *,
    table: garnishment.BracketTable | None,
) -> BatchPosting:
    """The engine's allocation again, from the claims kept at preparation: the
    engine is pure, so it gives the very lines that were reviewed and approved."""
    claims = [_claim_of(raw) for raw in detail["claims"]]
    income = garnishment.Income(replacement=Decimal(detail["income"]))
    if table is None:  # pragma: no cover - a deduction was computed with it
        raise RuntimeError("the garnishment table disappeared since preparation")
    computed = allocation.allocate(
        garnishment=garnishment.seizable_part(
            income=income, table=table, children=detail["children"]
        ),
        claims=claims,
        rates=debt_selectors.recovery_rates(),
    )
    return BatchPosting(
        person_id=item["beneficiary__person_id"],
        income=income,
        children=detail["children"],
        computed=computed,
        debts={raw["id"]: raw["pk"] for raw in detail["claims"]},
    )


def _book_batches(actor: Agent, run: PaymentRun) -> Iterator[int]:
    size = settings.PAYMENTS_BATCH_SIZE
    while True:
        with transaction.atomic():
            locked = PaymentRun.objects.select_for_update().get(pk=run.pk)
            cursor = locked.execute_cursor
            items = list(
                RunItem.objects.filter(run=run, exception="", id__gt=cursor)
                .order_by("id")
                .values(
                    "id",
                    "beneficiary_id",
                    "beneficiary__person_id",
                    "gross",
                    "withholding",
                    "deductions",
                    "net",
                    "detail",
                )[:size]
            )
            if not items:
                return
            paying = [item for item in items if item["gross"] > 0]
            _book_batch(actor, locked, paying)
            Payment.objects.filter(
                run=run,
                beneficiary_id__in=[item["beneficiary_id"] for item in paying],
                state=PaymentState.PREPARED,
            ).update(state=PaymentState.BOOKED)
            PaymentRun.objects.filter(pk=run.pk).update(execute_cursor=items[-1]["id"])
        yield len(items)


def _debtor() -> Any:
    from . import sepa

    return sepa.Debtor(
        name=settings.PAYMENTS_DEBTOR_NAME,
        iban=settings.PAYMENTS_DEBTOR_IBAN,
        bic=settings.PAYMENTS_DEBTOR_BIC,
    )


def _version() -> Any:
    from . import sepa

    return (
        sepa.SepaVersion.V03
        if settings.PAYMENTS_SEPA_VERSION == "03"
        else sepa.SepaVersion.V09
    )


def _file_batches(
    actor: Agent, run: PaymentRun, out_dir: Path, written: list[SepaFile]
) -> Iterator[int]:
    from . import sepa

    size = settings.PAYMENTS_MAX_PER_FILE
    debtor = _debtor()
    version = _version()
    created_at = dt.datetime.combine(run.paid_on, dt.time(0, 0), tzinfo=dt.UTC)
    while True:
        recorded = SepaFile.objects.filter(run=run).order_by("-sequence").first()
        sequence = 0 if recorded is None else recorded.sequence + 1
        after = 0 if recorded is None else recorded.last_payment
        batch = list(
            Payment.objects.filter(run=run, id__gt=after)
            .order_by("id")
            .values(
                "id",
                "beneficiary_id",
                "debt_id",
                "kind",
                "amount",
                "creditor_name",
                "iban",
                "bic",
                "ogm",
                "text",
                "end_to_end_id",
            )[:size]
        )
        if not batch:
            return
        message_id = keys.message_id(
            team=run.team_id, month=run.month, sequence=sequence
        )
        path = out_dir / f"{message_id}.xml"
        transfers = [
            sepa.Transfer(
                end_to_end_id=row["end_to_end_id"],
                amount_cents=cents(row["amount"]),
                creditor_name=row["creditor_name"],
                creditor_iban=row["iban"],
                creditor_bic=row["bic"] or None,
                ogm=row["ogm"] or None,
                text=row["text"] or None,
            )
            for row in batch
        ]
        done = sepa.write_file(
            transfers,
            debtor=debtor,
            message_id=message_id,
            execution_date=run.paid_on,
            created_at=created_at,
            version=version,
            path=path,
        )
        # Every file is checked against the official XSD before it is recorded,
        # that is before it is released to the bank (issue #18, item 6); a file
        # that fails stays unrecorded and the execution stops with the reason.
        sepa.validate(done.path, version)
        recorded_now = _record_file(run, sequence, batch, done, path, version)
        if recorded_now is not None:
            written.append(recorded_now)
        yield len(batch)


def _record_file(
    run: PaymentRun,
    sequence: int,
    batch: Sequence[Mapping[str, Any]],
    done: Any,
    path: Path,
    version: Any,
) -> SepaFile | None:
    with transaction.atomic():
        PaymentRun.objects.select_for_update().get(pk=run.pk)
        if SepaFile.objects.filter(run=run, sequence=sequence).exists():
            return None  # another execution recorded it a moment ago
        total = sum((row["amount"] for row in batch), ZERO)
        sepa_file = SepaFile.objects.create(
            run=run,
            sequence=sequence,
            path=str(path),
            message_id=done.message_id,
            version=str(getattr(version, "value", version)),
            count=len(batch),
            total=total,
            sha256=done.sha256,
            first_payment=batch[0]["id"],
            last_payment=batch[-1]["id"],
        )
        Payment.objects.filter(
            run=run, id__gte=batch[0]["id"], id__lte=batch[-1]["id"]
        ).update(state=PaymentState.RELEASED, file=sepa_file)
        tx = LedgerTransaction.objects.create(
            key=f"transfer:{done.message_id}",
            run=run,
            kind=TransactionKind.TRANSFER,
            booked_on=run.paid_on,
            total=total,
        )
        lines = [
            _line(
                tx,
                Account.BENEFICIARY_PAYABLE
                if row["kind"] == PayeeKind.BENEFICIARY
                else Account.CREDITOR_PAYABLE,
                booked_on=run.paid_on,
                debit=row["amount"],
                beneficiary_id=row["beneficiary_id"],
                debt_id=row["debt_id"],
            )
            for row in batch
        ]
        lines.append(_line(tx, Account.BANK, booked_on=run.paid_on, credit=total))
        bulk.insert(LedgerLine, lines)
    return sepa_file


def _finish_execute(actor: Agent, run: PaymentRun) -> None:
    with transaction.atomic():
        locked = PaymentRun.objects.select_for_update().get(pk=run.pk)
        if locked.state == RunState.EXECUTED:
            return
        totals = SepaFile.objects.filter(run=run).aggregate(
            count=Sum("count"), total=Sum("total")
        )
        PaymentRun.objects.filter(pk=run.pk).update(
            state=RunState.EXECUTED,
            executed_at=clock.now(),
            transfers=totals["count"] or 0,
            transfers_total=totals["total"] or ZERO,
        )
        audit_record(
            actor=actor,
            action="payment.run_execute",
            obj=locked,
            summary={
                "month": locked.month,
                "transfers": totals["count"] or 0,
                "total": format_amount(totals["total"] or ZERO),
                "files": list(
                    SepaFile.objects.filter(run=run).values_list(
                        "message_id", flat=True
                    )
                ),
            },
        )


def execute_steps(
    *, actor: Agent, run: PaymentRun, out_dir: Path, written: list[SepaFile]
) -> Iterator[int]:
    """Execute an approved run step by step (batches booked, then files), appending
    to `written` the files this call recorded; resumes where a killed one stopped."""
    policy.require(actor, Action.RUN_EXECUTE, run)
    run = _start_execute(actor, run)
    if run.state == RunState.EXECUTED:
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    yield from _book_batches(actor, run)
    yield from _file_batches(actor, run, out_dir, written)
    _finish_execute(actor, run)


def run_execute(*, actor: Agent, run: PaymentRun, out_dir: Path) -> ExecuteResult:
    """Execute an approved run (or resume one); see `execute_steps`."""
    written: list[SepaFile] = []
    for _done in execute_steps(actor=actor, run=run, out_dir=out_dir, written=written):
        pass
    run.refresh_from_db()
    return ExecuteResult(
        run=run,
        payments=sum(f.count for f in written),
        total=sum((f.total for f in written), ZERO),
        files=[f.path for f in written],
    )
