"""Writes of the debts app. Each service checks the policy, validates (all field
errors at once), writes in one transaction with its audit record, and refuses
stale versions. Ledger rows are only ever added; balances are sums of entries."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.debts import Action
from guichet.agents.models import Agent, Team
from guichet.audit.services import audit_record, changes
from guichet.core import clock
from guichet.core.errors import (
    FieldError,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from guichet.core.money import format_amount
from guichet.core.validation import choice, parse_uuid, text
from guichet.core.validation import text as text_field
from guichet.core.versioning import versioned_update

from . import allocation, selectors, serialize
from . import validation as v
from .errors import AlreadyPosted, Code
from .garnishment import Income, IncomeKind
from .locks import lock_debts
from .models import (
    AllocationPosting,
    BracketTable,
    Confidence,
    Debt,
    DebtComment,
    DebtEntry,
    DebtKind,
    DebtStatus,
    EntryKind,
    InstalmentPlan,
)

# Bracket tables

TABLE_FIELDS = {
    "code",
    "valid_from",
    "valid_to",
    "income_kinds",
    "t0",
    "t1",
    "t2",
    "t3",
    "child_reduction",
    "source",
    "confidence",
    "note",
}


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    unchanged: list[str]


def _kinds(problems: v.Problems, name: str, raw: object) -> frozenset[IncomeKind]:
    """Income kinds as a list, or as text separated by spaces, commas or '+'."""
    items: list[object]
    if isinstance(raw, str):
        items = [
            part for part in raw.replace(",", " ").replace("+", " ").split() if part
        ]
    elif isinstance(raw, list):
        items = list(raw)
    else:
        items = []
    allowed = [kind.value for kind in IncomeKind]
    if not items or any(item not in allowed for item in items):
        problems.add(
            name,
            Code.INVALID_CHOICE,
            _("Give one or both of: %(allowed)s."),
            allowed=", ".join(allowed),
        )
        return frozenset()
    return frozenset(IncomeKind(str(item)) for item in items)


def _table_row(problems: v.Problems, prefix: str, raw: object) -> BracketTable | None:
    if not isinstance(raw, Mapping):
        problems.add(prefix, Code.NOT_AN_OBJECT, _("Give a JSON object."))
        return None
    before = len(problems.errors)
    v.unknown_fields(problems, raw, TABLE_FIELDS, prefix=f"{prefix}.")
    code = text(
        problems, f"{prefix}.code", raw.get("code"), required=True, max_length=40
    )
    if code and not all(char.isalnum() or char == "-" for char in code):
        problems.add(
            f"{prefix}.code",
            Code.INVALID_CHOICE,
            _("Use letters, digits and dashes only, such as 2026."),
        )
    start = v.date(problems, f"{prefix}.valid_from", raw.get("valid_from"))
    end = v.date(problems, f"{prefix}.valid_to", raw.get("valid_to"))
    if start and end and end < start:
        problems.add(
            f"{prefix}.valid_to",
            Code.PERIOD_REVERSED,
            _("The end date is before the start date."),
        )
    kinds = _kinds(problems, f"{prefix}.income_kinds", raw.get("income_kinds"))
    thresholds = [
        v.amount(problems, f"{prefix}.{name}", raw.get(name))
        for name in ("t0", "t1", "t2", "t3")
    ]
    known = [value for value in thresholds if value is not None]
    if len(known) == 4 and not known[0] < known[1] < known[2] < known[3]:
        problems.add(
            f"{prefix}.t1",
            Code.INVALID_CHOICE,
            _("The thresholds must rise: T0 < T1 < T2 < T3."),
        )
    child = v.amount(problems, f"{prefix}.child_reduction", raw.get("child_reduction"))
    source = text(
        problems, f"{prefix}.source", raw.get("source"), required=True, max_length=1000
    )
    confidence = choice(
        problems, f"{prefix}.confidence", raw.get("confidence"), list(Confidence.values)
    )
    note = text(
        problems, f"{prefix}.note", raw.get("note"), required=False, max_length=2000
    )
    if len(problems.errors) != before:
        return None
    t0, t1, t2, t3 = (v.present(value) for value in thresholds)
    return BracketTable(
        code=code,
        valid_from=v.present(start),
        valid_to=v.present(end),
        for_earned=IncomeKind.EARNED in kinds,
        for_replacement=IncomeKind.REPLACEMENT in kinds,
        t0=t0,
        t1=t1,
        t2=t2,
        t3=t3,
        child_reduction=v.present(child),
        source=source,
        confidence=v.present(confidence),
        note=note,
    )


_COMPARED = (
    "valid_from",
    "valid_to",
    "for_earned",
    "for_replacement",
    "t0",
    "t1",
    "t2",
    "t3",
    "child_reduction",
    "source",
    "confidence",
    "note",
)


def _same_table(one: BracketTable, other: BracketTable) -> bool:
    return all(getattr(one, name) == getattr(other, name) for name in _COMPARED)


def _overlaps(one: BracketTable, other: BracketTable) -> bool:
    shares_kind = (one.for_earned and other.for_earned) or (
        one.for_replacement and other.for_replacement
    )
    return (
        bool(shares_kind)
        and one.valid_from <= other.valid_to
        and other.valid_from <= one.valid_to
    )


@transaction.atomic
def bracket_tables_import(
    *, actor: Agent | None, rows: Sequence[object]
) -> ImportResult:
    """Add bracket tables, all or none. A table already loaded with the same figures is
    left as it is (importing twice changes nothing); a table is never changed once
    loaded, and no two tables may be in force on the same day for the same kind of
    income. `actor` None is the command line, run by whoever operates the server."""
    if actor is not None:
        policy.require(actor, Action.GARNISHMENT_TABLES_IMPORT)
    problems = v.Problems()
    parsed: list[tuple[int, BracketTable]] = []
    for index, raw in enumerate(rows):
        table = _table_row(problems, f"tables[{index}]", raw)
        if table is not None:
            parsed.append((index, table))
    existing = {table.code: table for table in BracketTable.objects.all()}
    seen: set[str] = set()
    new: list[tuple[int, BracketTable]] = []
    unchanged: list[str] = []
    for index, table in parsed:
        if table.code in seen:
            problems.add(
                f"tables[{index}].code",
                Code.TABLE_EXISTS,
                _("This file gives table %(table)s twice."),
                table=table.code,
            )
            continue
        seen.add(table.code)
        loaded = existing.get(table.code)
        if loaded is None:
            new.append((index, table))
        elif _same_table(loaded, table):
            unchanged.append(table.code)
        else:
            problems.add(
                f"tables[{index}].code",
                Code.TABLE_EXISTS,
                _(
                    "Table %(table)s is already loaded with other figures; a loaded "
                    "table is never changed."
                ),
                table=table.code,
            )
    others = [
        table
        for code, table in existing.items()
        if code not in {t.code for _, t in new}
    ]
    for position, (index, table) in enumerate(new):
        clash = next(
            (
                other
                for other in [*others, *(t for _, t in new[:position])]
                if _overlaps(table, other)
            ),
            None,
        )
        if clash is not None:
            problems.add(
                f"tables[{index}].valid_from",
                Code.TABLES_OVERLAP,
                _(
                    "Table %(table)s overlaps table %(other)s for the same kind of "
                    "income: only one table can be in force on a given day."
                ),
                table=table.code,
                other=clash.code,
            )
    problems.raise_if_any()
    try:
        with transaction.atomic():
            for _index, table in new:
                table.save(force_insert=True)
    except IntegrityError:
        # PostgreSQL's exclusion constraint: another import added an overlapping table.
        raise ValidationFailed(
            _("Some values are not valid; nothing was done."),
            errors=[
                FieldError(
                    "tables",
                    Code.TABLES_OVERLAP,
                    _(
                        "Another table was loaded meanwhile for the same days; try again."
                    ),
                )
            ],
        ) from None
    created = [table.code for _index, table in new]
    if created:
        audit_record(
            actor=actor,
            action="garnishment.tables_import",
            summary={
                "created": [
                    {
                        "code": table.code,
                        "valid_from": table.valid_from,
                        "valid_to": table.valid_to,
                        "income_kinds": [
                            kind
                            for kind, on in (
                                ("earned", table.for_earned),
                                ("replacement", table.for_replacement),
                            )
                            if on
                        ],
                        "thresholds": [table.t0, table.t1, table.t2, table.t3],
                        "child_reduction": table.child_reduction,
                        "source": table.source,
                    }
                    for _index, table in new
                ],
            },
        )
    return ImportResult(created=created, unchanged=unchanged)


# Debts


@dataclass(frozen=True)
class DebtInput:
    """What an agent types to register a debt; validated by `debt_register`."""

    kind: object
    notified_on: object
    principal: object
    creditor_name: object = ""
    reference: object = ""
    interest: object = None
    costs: object = None
    fraud: object = False
    period_from: object = None
    period_to: object = None
    comment: object = ""
    notice_mail: object = None  # the public id of the notice in the mail register


def _snapshot(debt: Debt) -> dict[str, Any]:
    return {
        name: getattr(debt, name)
        for name in (
            "kind",
            "team_id",
            "creditor_name",
            "reference",
            "notified_on",
            "fraud",
            "period_from",
            "period_to",
            "status",
            "comment",
        )
    } | {"notice_mail": debt.notice_mail.number if debt.notice_mail else None}


@transaction.atomic
def debt_register(
    *,
    actor: Agent,
    person_id: str | uuid_module.UUID,
    data: DebtInput,
    team_code: str | None = None,
) -> Debt:
    """Register a claim notified to the actor's payment office, or its own claim.

    The original amount, interest and costs become the debt's first entries.
    """
    policy.require(actor, Action.DEBT_REGISTER)
    person = selectors._person_for_debts(actor, person_id)
    team = selectors.team_for(actor, team_code)
    problems = v.Problems()
    kind = choice(problems, "kind", data.kind, list(DebtKind.values))
    notified_on = v.date(problems, "notified_on", data.notified_on)
    today = clock.today()
    if notified_on is not None and notified_on > today:
        problems.add(
            "notified_on",
            Code.DATE_IN_FUTURE,
            _("A notice date cannot be in the future."),
        )
    principal = v.amount(problems, "principal", data.principal)
    if principal is not None and principal == 0:
        problems.add("principal", Code.NOT_ZERO, _("The amount owed cannot be zero."))
    interest = v.amount(problems, "interest", data.interest, required=False)
    costs = v.amount(problems, "costs", data.costs, required=False)
    creditor_name = text(
        problems,
        "creditor_name",
        data.creditor_name,
        required=kind != DebtKind.RECOVERY,
        max_length=200,
    )
    reference = text(
        problems, "reference", data.reference, required=False, max_length=100
    )
    comment = text(problems, "comment", data.comment, required=False, max_length=4000)
    fraud = v.boolean(problems, "fraud", data.fraud)
    if fraud and kind is not None and kind != DebtKind.RECOVERY:
        problems.add(
            "fraud",
            Code.FRAUD_ONLY_RECOVERY,
            _("Only a recovery of benefits paid unduly can be marked as fraud."),
        )
    period_from = v.date(problems, "period_from", data.period_from, required=False)
    period_to = v.date(problems, "period_to", data.period_to, required=False)
    if kind == DebtKind.SUBROGATION:
        for name, value in (("period_from", period_from), ("period_to", period_to)):
            raw = getattr(data, name)
            if value is None and not raw:
                problems.add(
                    name,
                    Code.PERIOD_REQUIRED,
                    _("Give the period the social welfare centre's advance covers."),
                )
    if period_from and period_to and period_to < period_from:
        problems.add(
            "period_to",
            Code.PERIOD_REVERSED,
            _("The end date is before the start date."),
        )
    notice_mail = None
    if data.notice_mail not in (None, ""):
        key = parse_uuid(data.notice_mail)
        notice_mail = (
            selectors.notice_mail_offered(agent=actor).filter(uuid=key).first()
            if key
            else None
        )
        if notice_mail is None:
            problems.add(
                "notice_mail",
                Code.UNKNOWN_MAIL,
                _("Choose a notice from your teams' mail register."),
            )
    problems.raise_if_any()
    debt = Debt.objects.create(
        person=person,
        team=team,
        kind=v.present(kind),
        creditor_name=creditor_name or (team.name if kind == DebtKind.RECOVERY else ""),
        reference=reference,
        notified_on=v.present(notified_on),
        fraud=fraud,
        period_from=period_from,
        period_to=period_to,
        comment=comment,
        notice_mail=notice_mail,
    )
    entries = [
        (EntryKind.PRINCIPAL, v.present(principal)),
        (EntryKind.INTEREST, interest),
        (EntryKind.COSTS, costs),
    ]
    for entry_kind, entry_amount in entries:
        if entry_amount:
            DebtEntry.objects.create(
                debt=debt,
                kind=entry_kind,
                amount=entry_amount,
                booked_on=debt.notified_on,
                created_by=actor,
            )
    audit_record(
        actor=actor,
        action="debt.register",
        obj=debt,
        summary={
            "person": str(person.uuid),
            "after": _snapshot(debt),
            "principal": principal,
            "interest": interest,
            "costs": costs,
        },
    )
    return debt


def _locked_debt(actor: Agent, debt_id: str | uuid_module.UUID, action: Action) -> Debt:
    """The debt, locked, if the actor sees it (else NotFound) and may act (else Forbidden)."""
    key = parse_uuid(debt_id)
    found = (
        lock_debts(selectors.debts_visible(agent=actor).filter(uuid=key)) if key else []
    )
    if not found:
        raise NotFound(_("No such debt."))
    debt = Debt.objects.select_related("person", "team").get(pk=found[0].pk)
    policy.require(actor, action, debt)
    return debt


# Entries an agent may add by hand; retentions come only from allocation postings.
MANUAL_ENTRIES = (
    EntryKind.INTEREST,
    EntryKind.COSTS,
    EntryKind.DIRECT_PAYMENT,
    EntryKind.REMISSION,
    EntryKind.CORRECTION,
)


@transaction.atomic
def debt_entry_add(
    *,
    actor: Agent,
    debt_id: str | uuid_module.UUID,
    expected_version: int,
    kind: object,
    amount: object,
    booked_on: object,
    note: object = "",
) -> DebtEntry:
    """Add one movement to a debt's ledger.

    Interest and costs raise the balance; a direct payment (made outside the
    allocations) and a remission lower it; a correction goes either way, with a
    note saying why. The balance never goes below zero; at zero the debt is
    extinguished. An extinguished debt takes no entries until it is reopened.
    """
    debt = _locked_debt(actor, debt_id, Action.DEBT_ENTRY_ADD)
    problems = v.Problems()
    clean_kind = choice(problems, "kind", kind, [str(item) for item in MANUAL_ENTRIES])
    signed = clean_kind == EntryKind.CORRECTION
    value = v.amount(problems, "amount", amount, signed=signed)
    if value is not None and value == 0:
        problems.add("amount", Code.NOT_ZERO, _("The amount cannot be zero."))
    day = v.date(problems, "booked_on", booked_on)
    if day is not None and day > clock.today():
        problems.add(
            "booked_on", Code.DATE_IN_FUTURE, _("This date cannot be in the future.")
        )
    clean_note = text(
        problems,
        "note",
        note,
        required=clean_kind in (EntryKind.REMISSION, EntryKind.CORRECTION),
        max_length=2000,
    )
    if debt.status == DebtStatus.EXTINGUISHED:
        problems.add(
            "kind",
            Code.NOT_ACTIVE,
            _("This debt is extinguished: reopen it before adding to its ledger."),
        )
    problems.raise_if_any()
    change = v.present(value)
    if clean_kind in (EntryKind.DIRECT_PAYMENT, EntryKind.REMISSION):
        change = -change
    balance = selectors.debt_balance(debt)
    if balance + change < 0:
        raise ValidationFailed(
            _("Some values are not valid; nothing was done."),
            errors=[
                FieldError(
                    "amount",
                    Code.BALANCE_WOULD_BE_NEGATIVE,
                    _("This is more than the balance of %(balance)s EUR."),
                    {"balance": format_amount(balance)},
                )
            ],
        )
    new_status = DebtStatus.EXTINGUISHED if balance + change == 0 else debt.status
    versioned_update(debt, expected_version=expected_version, status=new_status)
    entry = DebtEntry.objects.create(
        debt=debt,
        kind=v.present(clean_kind),
        amount=change,
        booked_on=v.present(day),
        note=clean_note,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="debt.entry_add",
        obj=debt,
        summary={
            "entry": str(entry.uuid),
            "kind": entry.kind,
            "amount": change,
            "balance": [balance, balance + change],
            "status": [debt.status if new_status == debt.status else None, new_status],
            "version": debt.version,
        },
        reason=clean_note,
    )
    return entry


EDITABLE = ("status", "creditor_name", "reference", "comment")


@transaction.atomic
def debt_update(
    *,
    actor: Agent,
    debt_id: str | uuid_module.UUID,
    expected_version: int,
    data: Mapping[str, object],
    reason: str = "",
) -> Debt:
    """Change a debt's status, creditor, reference or comment.

    Suspending takes a claim out of the allocations (an assignment under opposition,
    a payment plan agreed with the bailiff); extinguishing needs a zero balance
    (record a remission first); reopening needs a balance left. A change of status
    says why.
    """
    debt = _locked_debt(actor, debt_id, Action.DEBT_EDIT)
    problems = v.Problems()
    v.unknown_fields(problems, data, set(EDITABLE))
    values: dict[str, Any] = {}
    if "status" in data:
        status = choice(problems, "status", data["status"], list(DebtStatus.values))
        balance = selectors.debt_balance(debt)
        if status == DebtStatus.EXTINGUISHED and balance != 0:
            problems.add(
                "status",
                Code.STATUS_NEEDS_ZERO_BALANCE,
                _(
                    "A debt with a balance of %(balance)s EUR cannot be extinguished: "
                    "record a remission first."
                ),
                balance=format_amount(balance),
            )
        if status != DebtStatus.EXTINGUISHED and status is not None and balance == 0:
            problems.add(
                "status",
                Code.STATUS_NEEDS_ZERO_BALANCE,
                _("Nothing is owed on this debt any more: it stays extinguished."),
            )
        if status is not None and status != debt.status and not reason.strip():
            problems.add("reason", Code.REQUIRED, _("Say why the status changes."))
        values["status"] = status
    if "creditor_name" in data:
        values["creditor_name"] = text(
            problems,
            "creditor_name",
            data["creditor_name"],
            required=debt.kind != DebtKind.RECOVERY,
            max_length=200,
        )
    if "reference" in data:
        values["reference"] = text(
            problems, "reference", data["reference"], required=False, max_length=100
        )
    if "comment" in data:
        values["comment"] = text(
            problems, "comment", data["comment"], required=False, max_length=4000
        )
    problems.raise_if_any()
    before = _snapshot(debt)
    versioned_update(debt, expected_version=expected_version, **values)
    audit_record(
        actor=actor,
        action="debt.update",
        obj=debt,
        summary={"changes": changes(before, _snapshot(debt)), "version": debt.version},
        reason=reason,
    )
    return debt


@transaction.atomic
def instalment_plan_add(
    *,
    actor: Agent,
    debt_id: str | uuid_module.UUID,
    expected_version: int,
    amount: object,
    starts_on: object,
    note: object = "",
) -> InstalmentPlan:
    """Agree a monthly amount for the office's own claim, from a date on.

    A later plan replaces an earlier one from its start; the legal cap of the
    recovery still applies (the plan can lower what is kept back, not raise it).
    """
    debt = _locked_debt(actor, debt_id, Action.DEBT_PLAN_SET)
    problems = v.Problems()
    if debt.kind != DebtKind.RECOVERY:
        problems.add(
            "amount",
            Code.NOT_RECOVERY,
            _("Instalment plans are for the office's own claims (recovery) only."),
        )
    value = v.amount(problems, "amount", amount)
    if value is not None and value == 0:
        problems.add("amount", Code.NOT_ZERO, _("The amount cannot be zero."))
    start = v.date(problems, "starts_on", starts_on)
    if start is not None and debt.plans.filter(starts_on=start).exists():
        problems.add(
            "starts_on",
            Code.TABLE_EXISTS,
            _("A plan already starts on this date; choose another date."),
        )
    clean_note = text(problems, "note", note, required=False, max_length=2000)
    problems.raise_if_any()
    versioned_update(debt, expected_version=expected_version)
    plan = InstalmentPlan.objects.create(
        debt=debt,
        amount=v.present(value),
        starts_on=v.present(start),
        note=clean_note,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="debt.plan_add",
        obj=debt,
        summary={
            "plan": str(plan.uuid),
            "amount": plan.amount,
            "starts_on": plan.starts_on,
            "version": debt.version,
        },
        reason=clean_note,
    )
    return plan


@transaction.atomic
def debt_comment_add(
    *, actor: Agent, debt_id: str | uuid_module.UUID, text: object
) -> DebtComment:
    """Write a comment the colleagues who follow the debt read.

    Who may comment is who may work on the debt. A comment is never edited or
    deleted: a correction is a new comment. It changes nothing of the debt, so it
    carries no version and never makes a colleague's form stale.
    """
    debt = _locked_debt(actor, debt_id, Action.DEBT_COMMENT)
    problems = v.Problems()
    clean = text_field(
        problems, "text", text, required=True, max_length=4000, multiline=True
    )
    problems.raise_if_any()
    comment = DebtComment.objects.create(
        debt=debt, author=actor, written_at=clock.now(), text=clean
    )
    audit_record(
        actor=actor,
        action="debt.comment_add",
        obj=debt,
        summary={
            "comment": str(comment.uuid),
            "person": str(debt.person.uuid),
            "text": clean,
        },
    )
    return comment


# Posting a month's allocation


@dataclass(frozen=True)
class PostingResult:
    posting: AllocationPosting
    created: bool  # False: this month was already posted, nothing changed


def _same_inputs(
    posting: AllocationPosting, *, paid_on: dt.date, income: Income, children: int
) -> bool:
    return (
        posting.paid_on == paid_on
        and posting.earned == income.earned
        and posting.replacement == income.replacement
        and posting.children == children
    )


@transaction.atomic
def allocation_post(
    *,
    actor: Agent,
    person_id: str | uuid_module.UUID,
    period: str,
    paid_on: dt.date,
    income: Income,
    children: int,
    team_code: str | None = None,
) -> PostingResult:
    """Keep back this month's amounts from the person's payment and book them.

    The allocation is computed here, from the debts' balances under lock, so what
    is posted always follows the rules of `allocation`. Idempotent: posting the
    same month again with the same figures returns the first posting and changes
    nothing; with other figures it is refused (`AlreadyPosted`). Each retention is
    an entry unique per debt and month; a debt paid off is extinguished.
    """
    policy.require(actor, Action.DEBT_ALLOCATION_POST)
    person = selectors._person_for_debts(actor, person_id)
    team = selectors.team_for(actor, team_code)
    problems = v.Problems()
    clean_period = v.period(problems, "period", period)
    problems.raise_if_any()
    existing = AllocationPosting.objects.filter(
        person=person, team=team, period=clean_period
    ).first()
    if existing is not None:
        return _repeat(existing, paid_on=paid_on, income=income, children=children)
    locked = lock_debts(
        selectors.debts_visible(agent=actor).filter(person=person, team=team)
    )
    debts = list(
        selectors.with_balance(Debt.objects.filter(pk__in=[debt.pk for debt in locked]))
        .prefetch_related("plans")
        .order_by("id")
    )
    for debt in debts:
        if not policy.may(
            actor, Action.DEBT_ALLOCATION_POST, debt
        ):  # pragma: no cover - visible implies it
            raise Forbidden(_("You may not do this."))
    computed = selectors.allocation_compute(
        on=paid_on,
        income=income,
        children=children,
        claims=selectors.claims_for(
            debts, paid_on=paid_on, period=v.present(clean_period)
        ),
    )
    try:
        with transaction.atomic():
            posting = AllocationPosting.objects.create(
                person=person,
                team=team,
                period=v.present(clean_period),
                paid_on=paid_on,
                earned=income.earned,
                replacement=income.replacement,
                children=children,
                table_code=computed.garnishment.table.code,
                to_beneficiary=computed.to_beneficiary,
                result=serialize.allocation_dict(computed, with_text=False),
                created_by=actor,
            )
    except IntegrityError:
        # Another run posted this month a moment ago.
        existing = AllocationPosting.objects.get(
            person=person, team=team, period=clean_period
        )
        return _repeat(existing, paid_on=paid_on, income=income, children=children)
    by_id = {str(debt.uuid): debt for debt in debts}
    booked = []
    for line in computed.lines:
        if line.amount == 0:
            continue
        debt = by_id[str(line.claim.id)]
        DebtEntry.objects.create(
            debt=debt,
            kind=EntryKind.RETENTION,
            amount=-line.amount,
            booked_on=paid_on,
            period=posting.period,
            posting=posting,
            created_by=actor,
        )
        values: dict[str, Any] = {}
        if line.balance_after == 0:
            values["status"] = DebtStatus.EXTINGUISHED
        versioned_update(debt, expected_version=None, refresh=False, **values)
        booked.append(
            {"debt": str(debt.uuid), "amount": line.amount, "rank": line.rank}
        )
    audit_record(
        actor=actor,
        action="debt.allocation_post",
        obj=person,
        summary={
            "posting": str(posting.uuid),
            "team": team.code,
            "period": posting.period,
            "paid_on": paid_on,
            "income": income.total,
            "table": posting.table_code,
            "retentions": booked,
            "to_beneficiary": computed.to_beneficiary,
        },
    )
    return PostingResult(posting=posting, created=True)


def _repeat(
    existing: AllocationPosting, *, paid_on: dt.date, income: Income, children: int
) -> PostingResult:
    if not _same_inputs(existing, paid_on=paid_on, income=income, children=children):
        raise AlreadyPosted(
            _(
                "The allocation for %(period)s was already posted with other figures; "
                "nothing was changed. Correct it with ledger entries."
            ),
            params={"period": existing.period},
        )
    return PostingResult(posting=existing, created=False)


@dataclass(frozen=True)
class BatchPosting:
    """One person's allocation, computed by the caller with this app's engine
    (`selectors.claims_for` on `selectors.with_balance` debts, then
    `allocation.allocate`), to be booked by `allocations_post_batch`."""

    person_id: int
    income: Income
    children: int
    computed: allocation.Allocation
    debts: Mapping[str, int]  # claim id (the debt's public id) -> debt pk


def allocations_post_batch(
    *,
    actor: Agent,
    team: Team,
    period: str,
    paid_on: dt.date,
    postings: Sequence[BatchPosting],
) -> int:
    """Book the retentions of a payment run's batch, for many persons at once.

    The payments app's monthly run (issue #18) calls this inside its batch's
    transaction: the same rows as `allocation_post` (one `AllocationPosting` per
    person and month, one retention entry per debt and month, a debt paid off
    extinguished) written with bulk inserts, and one audit record for the batch
    instead of one per person. Persons already posted for this month and office
    are skipped (their first posting stands), so a batch replayed after a crash
    books nothing twice. Returns the number of postings created.
    """
    policy.require(actor, Action.DEBT_ALLOCATION_POST)
    if not postings:
        return 0
    done = set(
        AllocationPosting.objects.filter(
            team=team,
            period=period,
            person_id__in=[posting.person_id for posting in postings],
        ).values_list("person_id", flat=True)
    )
    todo = [posting for posting in postings if posting.person_id not in done]
    AllocationPosting.objects.bulk_create(
        [
            AllocationPosting(
                person_id=posting.person_id,
                team=team,
                period=period,
                paid_on=paid_on,
                earned=posting.income.earned,
                replacement=posting.income.replacement,
                children=posting.children,
                table_code=posting.computed.garnishment.table.code,
                to_beneficiary=posting.computed.to_beneficiary,
                result=serialize.allocation_dict(posting.computed, with_text=False),
                created_by=actor,
            )
            for posting in todo
        ]
    )
    by_person = {
        row.person_id: row
        for row in AllocationPosting.objects.filter(
            team=team, period=period, person_id__in=[p.person_id for p in todo]
        )
    }
    entries = []
    touched: list[int] = []
    for posting in todo:
        for line in posting.computed.lines:
            if line.amount == 0:
                continue
            debt_pk = posting.debts[str(line.claim.id)]
            entries.append(
                DebtEntry(
                    debt_id=debt_pk,
                    kind=EntryKind.RETENTION,
                    amount=-line.amount,
                    booked_on=paid_on,
                    period=period,
                    posting=by_person[posting.person_id],
                    created_by=actor,
                )
            )
            touched.append(debt_pk)
            if line.balance_after == 0:
                Debt.objects.filter(pk=debt_pk).update(
                    status=DebtStatus.EXTINGUISHED,
                    version=F("version") + 1,
                    updated_at=clock.now(),
                )
    DebtEntry.objects.bulk_create(entries)
    if todo:
        audit_record(
            actor=actor,
            action="debt.allocation_post_batch",
            obj=team,
            summary={
                "team": team.code,
                "period": period,
                "paid_on": paid_on,
                "postings": len(todo),
                "retentions": len(entries),
                "total": format_amount(
                    sum((-entry.amount for entry in entries), Decimal(0))
                ),
            },
        )
    return len(todo)
