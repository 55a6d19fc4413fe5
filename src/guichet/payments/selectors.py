"""Reads of the payments app: always for an agent, through the policy; reads of a
person's payments are written to the access log. Missing and forbidden look the
same (`NotFound`)."""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuid_module
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.payments import Action
from guichet.agents.models import Agent
from guichet.audit.services import access_record
from guichet.core.errors import NotFound
from guichet.core.money import format_amount, quantize
from guichet.core.validation import parse_uuid
from guichet.debts.models import Debt

from . import calculation, documents
from .models import (
    Account,
    Beneficiary,
    Declaration,
    Entitlement,
    LedgerLine,
    LedgerTransaction,
    PaymentRun,
    RunItem,
)

MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
ZERO = Decimal("0.00")


def month_paid(team_id: int, month: str) -> bool:
    """A run exists for the month: its declarations no longer change."""
    return PaymentRun.objects.filter(team_id=team_id, month=month).exists()


def run_summary(run: PaymentRun) -> dict[str, Any]:
    return {
        "run": str(run.uuid),
        "month": run.month,
        "state": run.state,
        "beneficiaries": run.beneficiaries,
        "exceptions": run.exceptions,
        "gross": format_amount(run.gross),
        "withholding": format_amount(run.withholding),
        "deductions": format_amount(run.deductions),
        "net": format_amount(run.net),
    }


# Beneficiaries


def beneficiaries_visible(*, agent: Agent) -> QuerySet[Beneficiary]:
    return policy.visible(agent, Beneficiary.objects.all())


def beneficiary_get_for_agent(
    *, agent: Agent, beneficiary_id: str | uuid_module.UUID
) -> Beneficiary:
    key = parse_uuid(beneficiary_id)
    found = (
        beneficiaries_visible(agent=agent)
        .select_related("person", "team", "dossier")
        .filter(uuid=key)
        .first()
        if key and policy.may(agent, Action.PAYMENT_VIEW)
        else None
    )
    if found is None:
        raise NotFound(_("No such beneficiary."))
    access_record(
        actor=agent,
        action="payment.beneficiary_view",
        obj=found.person,
        context={"beneficiary": str(found.uuid)},
    )
    return found


def beneficiaries_of_person(*, agent: Agent, person_id: int) -> list[Beneficiary]:
    if not policy.may(agent, Action.PAYMENT_VIEW):
        return []
    return list(
        beneficiaries_visible(agent=agent)
        .filter(person_id=person_id)
        .select_related("team")
        .order_by("team__code")
    )


def entitlements_of(beneficiary: Beneficiary) -> list[Entitlement]:
    return list(
        Entitlement.objects.filter(beneficiary=beneficiary).order_by("starts_on", "id")
    )


def declarations_of(beneficiary: Beneficiary) -> list[Declaration]:
    return list(Declaration.objects.filter(beneficiary=beneficiary).order_by("-month"))


@dataclass(frozen=True)
class DocumentsCheck:
    month: str
    complete: bool
    missing: list[documents.Missing]


def documents_check(*, beneficiary: Beneficiary, month: str) -> DocumentsCheck:
    """Whether `month` can be paid as far as its documents go (see `documents`)."""
    first, last = calculation.month_bounds(month)
    starts = [
        ent.starts_on
        for ent in Entitlement.objects.filter(
            beneficiary=beneficiary, starts_on__lte=last
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
    ]
    since = min(starts, default=first)
    cards = {
        card.month: documents.Card(
            month=card.month,
            declared=calculation.Declared(days_payable=card.days_payable),
            signed=card.signed,
            dated=card.dated_on is not None,
        )
        for card in Declaration.objects.filter(
            beneficiary=beneficiary, month__lte=month
        )
    }
    missing = documents.missing(cards=cards, month=month, since=since)
    return DocumentsCheck(month=month, complete=not missing, missing=missing)


# Runs


def runs_visible(*, agent: Agent) -> QuerySet[PaymentRun]:
    return policy.visible(agent, PaymentRun.objects.all())


def runs_for_agent(*, agent: Agent) -> list[PaymentRun]:
    policy.require(agent, Action.RUN_VIEW)
    return list(
        runs_visible(agent=agent)
        .select_related("team")
        .order_by("-month", "team__code")
    )


def run_get_for_agent(*, agent: Agent, run_id: str | uuid_module.UUID) -> PaymentRun:
    key = parse_uuid(run_id)
    run = (
        runs_visible(agent=agent).select_related("team").filter(uuid=key).first()
        if key and policy.may(agent, Action.RUN_VIEW)
        else None
    )
    if run is None:
        raise NotFound(_("No such payment run."))
    return run


@dataclass(frozen=True)
class Change:
    beneficiary: Beneficiary
    net: Decimal
    previous: Decimal

    @property
    def difference(self) -> Decimal:
        return self.net - self.previous


@dataclass(frozen=True)
class RunReview:
    run: PaymentRun
    exceptions_by_code: dict[str, int]
    exceptions: list[RunItem]  # the first ones, by beneficiary
    largest_changes: list[Change]
    files: list[Any] = field(default_factory=list)


def run_review_data(
    *, agent: Agent, run_id: str | uuid_module.UUID, limit: int = 20
) -> RunReview:
    """What a reviewer checks: totals (on the run), exceptions by reason, and the
    beneficiaries whose net changed most against last month's run."""
    run = run_get_for_agent(agent=agent, run_id=run_id)
    by_code = dict(
        RunItem.objects.filter(run=run)
        .exclude(exception="")
        .values_list("exception")
        .annotate(n=Count("id"))
        .values_list("exception", "n")
    )
    exceptions = list(
        RunItem.objects.filter(run=run)
        .exclude(exception="")
        .select_related("beneficiary__person")
        .order_by("beneficiary_id")[:limit]
    )
    previous = PaymentRun.objects.filter(
        team_id=run.team_id, month=calculation.previous_month(run.month)
    ).first()
    changes: list[Change] = []
    if previous is not None:
        nets = dict(
            RunItem.objects.filter(run=previous, exception="").values_list(
                "beneficiary_id", "net"
            )
        )
        current = RunItem.objects.filter(run=run, exception="").select_related(
            "beneficiary__person"
        )
        scored = sorted(
            (
                Change(item.beneficiary, item.net, nets.get(item.beneficiary_id, ZERO))
                for item in current.iterator(chunk_size=5000)
            ),
            key=lambda change: (-abs(change.difference), change.beneficiary.pk),
        )
        changes = scored[:limit]
    return RunReview(
        run=run,
        exceptions_by_code=by_code,
        exceptions=exceptions,
        largest_changes=changes,
        files=list(run.files.order_by("sequence")),
    )


def run_exceptions_for_agent(
    *, agent: Agent, run_id: str | uuid_module.UUID, offset: int = 0, limit: int = 100
) -> list[RunItem]:
    run = run_get_for_agent(agent=agent, run_id=run_id)
    return list(
        RunItem.objects.filter(run=run)
        .exclude(exception="")
        .select_related("beneficiary__person")
        .order_by("beneficiary_id")[offset : offset + limit]
    )


# Ledger


@dataclass(frozen=True)
class Balance:
    account: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        """Credit minus debit: what is still owed (payable accounts)."""
        return self.credit - self.debit


def _balances(lines: QuerySet[LedgerLine], on: dt.date | None) -> list[Balance]:
    if on is not None:
        lines = lines.filter(booked_on__lte=on)
    rows = (
        lines.values("account")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by("account")
    )
    return [
        Balance(row["account"], row["debit"] or ZERO, row["credit"] or ZERO)
        for row in rows
    ]


def beneficiary_balances(
    *, agent: Agent, beneficiary_id: str | uuid_module.UUID, on: dt.date | None = None
) -> list[Balance]:
    """The beneficiary's ledger per account at the end of `on` (all when None)."""
    beneficiary = beneficiary_get_for_agent(agent=agent, beneficiary_id=beneficiary_id)
    return _balances(LedgerLine.objects.filter(beneficiary=beneficiary), on)


def creditor_balances(
    *, agent: Agent, debt_id: str | uuid_module.UUID, on: dt.date | None = None
) -> list[Balance]:
    """What was deducted for a debt's creditor and transferred to them."""
    key = parse_uuid(debt_id)
    debt = (
        policy.visible(agent, Debt.objects.all()).filter(uuid=key).first()
        if key and policy.may(agent, Action.LEDGER_VIEW)
        else None
    )
    if debt is None:
        raise NotFound(_("No such debt."))
    access_record(
        actor=agent,
        action="payment.creditor_balance",
        obj=debt.person,
        context={"debt": str(debt.uuid)},
    )
    return _balances(LedgerLine.objects.filter(debt=debt), on)


@dataclass(frozen=True)
class LedgerCheck:
    balanced: bool
    transactions: int
    lines: int
    debit: Decimal
    credit: Decimal
    unbalanced: list[str]  # keys of the transactions whose lines do not balance
    totals_wrong: list[str]  # keys whose stored total is not their debits
    accounts: dict[str, Decimal]  # balance (debit - credit) per account

    def as_dict(self) -> dict[str, Any]:
        return {
            "balanced": self.balanced,
            "transactions": self.transactions,
            "lines": self.lines,
            "debit": format_amount(self.debit),
            "credit": format_amount(self.credit),
            "unbalanced": self.unbalanced,
            "totals_wrong": self.totals_wrong,
            "accounts": {
                name: format_amount(value) for name, value in self.accounts.items()
            },
        }


def ledger_check(*, limit: int = 20) -> LedgerCheck:
    """Prove the ledger balances: in every transaction the debits equal the credits
    (and its stored total), and so overall. Reads the whole ledger in the database
    (aggregates), not in memory."""
    # Sums are compared to half a cent: SQLite adds decimals as floating point,
    # PostgreSQL exactly; a real difference is at least a cent.
    half_cent = Decimal("0.005")
    off = Q(difference__gt=half_cent) | Q(difference__lt=-half_cent)
    unbalanced_ids = list(
        LedgerLine.objects.values("transaction_id")
        .annotate(difference=Sum("debit") - Sum("credit"))
        .filter(off)
        .values_list("transaction_id", flat=True)[:limit]
    )
    unbalanced = list(
        LedgerTransaction.objects.filter(pk__in=unbalanced_ids)
        .order_by("id")
        .values_list("key", flat=True)
    )
    totals_wrong = list(
        LedgerTransaction.objects.annotate(
            difference=Coalesce(Sum("lines__debit"), ZERO) - F("total")
        )
        .filter(off)
        .order_by("id")
        .values_list("key", flat=True)[:limit]
    )
    overall = LedgerLine.objects.aggregate(
        debit=Coalesce(Sum("debit"), ZERO),
        credit=Coalesce(Sum("credit"), ZERO),
        n=Count("id"),
    )
    accounts = {
        row["account"]: quantize((row["d"] or ZERO) - (row["c"] or ZERO))
        for row in LedgerLine.objects.values("account")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by("account")
    }
    for name in Account.values:
        accounts.setdefault(name, ZERO)
    debit, credit = quantize(overall["debit"]), quantize(overall["credit"])
    balanced = not unbalanced and not totals_wrong and debit == credit
    return LedgerCheck(
        balanced=balanced,
        transactions=LedgerTransaction.objects.count(),
        lines=overall["n"],
        debit=debit,
        credit=credit,
        unbalanced=unbalanced,
        totals_wrong=totals_wrong,
        accounts=accounts,
    )
