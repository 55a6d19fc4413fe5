"""Reads of the debts app.

Bracket tables and the two calculations (seizable part, allocation of a case) are
reference computations without personal data. A person's debts are read only for
an agent, through the policy, and every read is written to the access log;
missing and forbidden look the same (`NotFound`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid as uuid_module
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.debts import Action
from guichet.agents.models import Agent, Team
from guichet.audit.services import access_record
from guichet.core import clock
from guichet.core.errors import FieldError, Forbidden, NotFound, ValidationFailed
from guichet.core.validation import parse_uuid
from guichet.correspondence.models import IncomingMail
from guichet.correspondence.selectors import incoming_mail_visible
from guichet.parties.models import Person
from guichet.parties.selectors import persons_visible

from . import allocation, garnishment
from .errors import Code, NoTableInForce
from .garnishment import Income, IncomeKind
from .models import (
    AllocationPosting,
    BracketTable,
    Debt,
    DebtComment,
    DebtEntry,
    DebtKind,
    DebtStatus,
    InstalmentPlan,
)

# Bracket tables and the calculations


def as_pure_table(row: BracketTable) -> garnishment.BracketTable:
    kinds = {
        kind
        for kind, applies in (
            (IncomeKind.EARNED, row.for_earned),
            (IncomeKind.REPLACEMENT, row.for_replacement),
        )
        if applies
    }
    return garnishment.BracketTable(
        code=row.code,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        income_kinds=frozenset(kinds),
        thresholds=(row.t0, row.t1, row.t2, row.t3),
        child_reduction=row.child_reduction,
        source=row.source,
        confidence=row.confidence,
        note=row.note,
    )


def bracket_tables() -> list[garnishment.BracketTable]:
    return [
        as_pure_table(row)
        for row in BracketTable.objects.order_by("valid_from", "code")
    ]


def bracket_table_for(*, on: dt.date, kind: IncomeKind) -> garnishment.BracketTable:
    """The table in force on `on` for `kind` of income, or `NoTableInForce`."""
    rows = BracketTable.objects.filter(
        valid_from__lte=on, valid_to__gte=on, **{f"for_{kind.value}": True}
    )
    try:
        return garnishment.table_in_force(
            (as_pure_table(row) for row in rows), on=on, kind=kind
        )
    except garnishment.NoTableInForce:
        message = (
            _(
                "No garnishment table is in force on %(date)s for earned income: the "
                "amounts for that date are not known yet, and another year's amounts "
                "are never used."
            )
            if kind is IncomeKind.EARNED
            else _(
                "No garnishment table is in force on %(date)s for replacement income: "
                "the amounts for that date are not known yet, and another year's "
                "amounts are never used."
            )
        )
        params = {"date": on.isoformat()}
        raise NoTableInForce(
            message,
            params=params,
            errors=[FieldError("on", Code.NO_TABLE_IN_FORCE, message, params)],
        ) from None


def recovery_rates() -> allocation.RecoveryRates:
    """The recovery percentages of art. 1410 §4, from the settings (see settings.py)."""
    return allocation.RecoveryRates(
        ordinary=settings.DEBTS_RECOVERY_RATE, fraud=settings.DEBTS_RECOVERY_FRAUD_RATE
    )


def garnishment_compute(
    *, on: dt.date, income: Income, children: int, maintenance: bool = False
) -> garnishment.Garnishment:
    """The seizable part of `income` paid on `on` (reference data only)."""
    table = bracket_table_for(on=on, kind=income.scale)
    return garnishment.seizable_part(
        income=income, table=table, children=children, maintenance=maintenance
    )


def allocation_compute(
    *,
    on: dt.date,
    income: Income,
    children: int,
    claims: Sequence[allocation.Claim],
) -> allocation.Allocation:
    """Share `income` paid on `on` among `claims` (reference data only)."""
    ordinary = garnishment_compute(on=on, income=income, children=children)
    return allocation.allocate(
        garnishment=ordinary, claims=claims, rates=recovery_rates()
    )


def _require_calculator(agent: Agent) -> None:
    if not policy.may(agent, Action.GARNISHMENT_COMPUTE):
        raise Forbidden(_("You may not use the garnishment calculator."))


def calculator_require(*, agent: Agent) -> None:
    """Raise `Forbidden` unless the agent may use the calculator: asked before the
    input is read, so that who may not learns only that."""
    _require_calculator(agent)


def bracket_tables_for_agent(*, agent: Agent) -> list[garnishment.BracketTable]:
    _require_calculator(agent)
    return bracket_tables()


def garnishment_compute_for_agent(
    *, agent: Agent, on: dt.date, income: Income, children: int, maintenance: bool
) -> garnishment.Garnishment:
    _require_calculator(agent)
    return garnishment_compute(
        on=on, income=income, children=children, maintenance=maintenance
    )


def allocation_compute_for_agent(
    *,
    agent: Agent,
    on: dt.date,
    income: Income,
    children: int,
    claims: Sequence[allocation.Claim],
) -> allocation.Allocation:
    _require_calculator(agent)
    return allocation_compute(on=on, income=income, children=children, claims=claims)


# A person's debts


def with_balance(debts: QuerySet[Debt]) -> QuerySet[Debt]:
    """Annotate each debt with `balance`: the sum of its entries, never a stored figure."""
    total = (
        DebtEntry.objects.filter(debt=OuterRef("pk"))
        .order_by()
        .values("debt")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return debts.annotate(
        balance=Coalesce(
            Subquery(total),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        )
    )


def debt_balance(debt: Debt) -> Decimal:
    total = DebtEntry.objects.filter(debt=debt).aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def debts_visible(*, agent: Agent) -> QuerySet[Debt]:
    return policy.visible(agent, Debt.objects.all())


def _person_for_debts(agent: Agent, person_id: str | uuid_module.UUID) -> Person:
    """The person, if the agent may see them and their debts; else `NotFound`."""
    key = parse_uuid(person_id)
    person = None
    if key is not None and policy.may(agent, Action.DEBT_VIEW):
        person = persons_visible(agent=agent).filter(uuid=key).first()
    if person is None:
        raise NotFound(_("No such person."))
    return person


def person_for_debts(*, agent: Agent, person_id: str | uuid_module.UUID) -> Person:
    """The person, if the agent may see them and their debts; else `NotFound`."""
    return _person_for_debts(agent, person_id)


def person_debts_require(
    *, agent: Agent, person_id: str | uuid_module.UUID, posting: bool = False
) -> None:
    """Raise before the input is read: when `posting`, `Forbidden` unless the agent
    may post an allocation (as `services.allocation_post` asks first); `NotFound`
    unless they see the person and their debts."""
    if posting:
        policy.require(agent, Action.DEBT_ALLOCATION_POST)
    _person_for_debts(agent, person_id)


def team_for(agent: Agent, team_code: str | None) -> Team:
    """The payment office the agent acts for: the one named, or their only team."""
    teams = Team.objects.filter(id__in=agent.team_ids).order_by("code")
    if team_code:
        team = teams.filter(code=team_code).first()
        if team is None:
            raise ValidationFailed(
                _("Some values are not valid; nothing was done."),
                errors=[
                    FieldError(
                        "team",
                        Code.NOT_YOUR_TEAM,
                        _("You are not a member of this team."),
                    )
                ],
            )
        return team
    found = list(teams[:2])
    if len(found) != 1:
        raise ValidationFailed(
            _("Some values are not valid; nothing was done."),
            errors=[
                FieldError(
                    "team",
                    Code.TEAM_AMBIGUOUS,
                    _("Say for which payment office (team code) you act."),
                )
            ],
        )
    return found[0]


@dataclass(frozen=True)
class PersonDebts:
    person: Person
    debts: list[Debt]  # each annotated with `balance`
    last_posting: AllocationPosting | None = None  # loaded `with_ledger` only


def _with_details(debts: QuerySet[Debt]) -> QuerySet[Debt]:
    return with_balance(debts).select_related(
        "person", "team", "creditor", "notice_mail"
    )


def _with_ledger(debts: QuerySet[Debt]) -> QuerySet[Debt]:
    return debts.prefetch_related(
        Prefetch("entries", queryset=DebtEntry.objects.order_by("booked_on", "id")),
        Prefetch("plans", queryset=InstalmentPlan.objects.order_by("starts_on", "id")),
    )


# How many of a debt's latest comments the person's Debts tab shows.
LATEST_COMMENTS = 2


def _attach_latest_comments(debts: list[Debt]) -> None:
    """Set `latest_comments` (newest first, at most LATEST_COMMENTS) and
    `comment_count` on each debt, in one query (a window per debt)."""
    order = [F("written_at").desc(), F("id").desc()]
    rows = (
        DebtComment.objects.filter(debt__in=debts)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("debt_id")], order_by=order),
            total=Window(Count("id"), partition_by=[F("debt_id")]),
        )
        .filter(rank__lte=LATEST_COMMENTS)
        .select_related("author")
        .order_by("debt_id", *order)
    )
    by_debt: dict[int, list[DebtComment]] = {}
    counts: dict[int, int] = {}
    for row in rows:
        by_debt.setdefault(row.debt_id, []).append(row)
        counts[row.debt_id] = row.total
    for debt in debts:
        debt.latest_comments = by_debt.get(debt.pk, [])  # type: ignore[attr-defined]  # shown on the tab
        debt.comment_count = counts.get(debt.pk, 0)  # type: ignore[attr-defined]  # shown on the tab


def person_debts_for_agent(
    *,
    agent: Agent,
    person_id: str | uuid_module.UUID,
    with_ledger: bool = False,
    with_comments: bool = False,
) -> PersonDebts:
    """A person's debts the agent may see, with balances; the read is logged.

    `with_ledger` also loads each debt's entries and instalment plans (two queries);
    `with_comments` each debt's latest comments and their count (one query).
    """
    person = _person_for_debts(agent, person_id)
    debts_query = _with_details(debts_visible(agent=agent).filter(person=person))
    if with_ledger:
        debts_query = _with_ledger(debts_query)
    debts = list(debts_query.order_by("notified_on", "id"))
    if with_comments:
        _attach_latest_comments(debts)
    last_posting = (
        AllocationPosting.objects.filter(person=person, team_id__in=agent.team_ids)
        .select_related("team")
        .order_by("-period", "-id")
        .first()
        if with_ledger
        else None
    )
    context: dict[str, Any] = {"debts": [str(debt.uuid) for debt in debts]}
    if last_posting is not None:
        context["posting"] = str(last_posting.uuid)
    access_record(actor=agent, action="debt.list", obj=person, context=context)
    return PersonDebts(person=person, debts=debts, last_posting=last_posting)


def _comments() -> QuerySet[DebtComment]:
    return DebtComment.objects.select_related("author").order_by("-written_at", "-id")


def debt_get_for_agent(
    *,
    agent: Agent,
    debt_id: str | uuid_module.UUID,
    with_comments: bool = False,
) -> Debt:
    """One debt with its ledger entries and instalment plans; the read is logged.

    `with_comments` also loads its comments, newest first (`debt.comments.all()`).
    """
    key = parse_uuid(debt_id)
    found = _with_ledger(_with_details(debts_visible(agent=agent)))
    if with_comments:
        found = found.prefetch_related(Prefetch("comments", queryset=_comments()))
    debt = found.filter(uuid=key).first() if key else None
    if debt is None:
        raise NotFound(_("No such debt."))
    access_record(
        actor=agent,
        action="debt.view",
        obj=debt.person,
        context={"debt": str(debt.uuid)},
    )
    return debt


def debt_comments_for_agent(
    *, agent: Agent, debt_id: str | uuid_module.UUID
) -> tuple[Debt, list[DebtComment]]:
    """A visible debt and its comments, newest first; the read is logged."""
    key = parse_uuid(debt_id)
    debt = (
        debts_visible(agent=agent).select_related("person").filter(uuid=key).first()
        if key
        else None
    )
    if debt is None:
        raise NotFound(_("No such debt."))
    comments = list(_comments().filter(debt=debt))
    access_record(
        actor=agent,
        action="debt.comments",
        obj=debt.person,
        context={"debt": str(debt.uuid)},
    )
    return debt, comments


def debts_in_history(*, agent: Agent, person: Person) -> dict[str, Debt]:
    """The person's debts whose writes the agent may read in the person's history:
    those the agent sees, by public id (`parties.history` source)."""
    if not policy.may(agent, Action.DEBT_VIEW):
        return {}
    return {
        str(debt.uuid): debt
        for debt in debts_visible(agent=agent)
        .filter(person=person)
        .select_related("team")
    }


def month_of(period: str) -> tuple[dt.date, dt.date]:
    year, month = (int(part) for part in period.split("-"))
    return dt.date(year, month, 1), dt.date(
        year, month, calendar.monthrange(year, month)[1]
    )


def plan_in_force(
    plans: Iterable[InstalmentPlan], on: dt.date
) -> InstalmentPlan | None:
    """The latest plan started on or before `on`: a new plan replaces the previous one."""
    started = [plan for plan in plans if plan.starts_on <= on]
    return max(started, key=lambda plan: (plan.starts_on, plan.pk), default=None)


def claims_for(
    debts: Iterable[Debt], *, paid_on: dt.date, period: str
) -> list[allocation.Claim]:
    """The claims a payment for `period`, paid on `paid_on`, must serve.

    Active debts notified by the payment date, with a balance; a CPAS subrogation
    only when the payment's month falls in the period it advanced (docs/sources.md
    §1.8: recovery only on arrears for the same period); a recovery's instalment plan in force.
    Each debt must carry `balance` (see `with_balance`) and its plans prefetched.
    """
    first, last = month_of(period)
    claims = []
    for debt in debts:
        balance: Decimal = debt.balance  # type: ignore[attr-defined]  # annotated by with_balance
        if debt.status != DebtStatus.ACTIVE or debt.notified_on > paid_on:
            continue
        if balance <= 0:
            continue
        if debt.kind == DebtKind.SUBROGATION and not (
            debt.period_from is not None
            and debt.period_to is not None
            and debt.period_from <= last
            and debt.period_to >= first
        ):
            continue
        plan = (
            plan_in_force(debt.plans.all(), paid_on)
            if debt.kind == DebtKind.RECOVERY
            else None
        )
        claims.append(
            allocation.Claim(
                id=str(debt.uuid),
                kind=allocation.ClaimKind(debt.kind),
                notified_on=debt.notified_on,
                balance=balance,
                fraud=debt.fraud,
                limit=plan.amount if plan is not None else None,
            )
        )
    return claims


@dataclass(frozen=True)
class PersonAllocation:
    person: Person
    team: Team
    period: str
    paid_on: dt.date
    allocation: allocation.Allocation
    debts: dict[str, Debt]  # by claim id (the debt's public id)


def person_debts_in_allocation(
    debts: QuerySet[Debt], *, person: Person, team: Team
) -> QuerySet[Debt]:
    return with_balance(debts.filter(person=person, team=team)).prefetch_related(
        "plans"
    )


def person_allocation_preview(
    *,
    agent: Agent,
    person_id: str | uuid_module.UUID,
    paid_on: dt.date,
    period: str,
    income: Income,
    children: int,
    team_code: str | None = None,
) -> PersonAllocation:
    """What a payment would keep back for each of the person's creditors, and why.

    Nothing is written; the read of the person's debts is logged.
    """
    person = _person_for_debts(agent, person_id)
    team = team_for(agent, team_code)
    debts = list(
        person_debts_in_allocation(debts_visible(agent=agent), person=person, team=team)
    )
    computed = allocation_compute(
        on=paid_on,
        income=income,
        children=children,
        claims=claims_for(debts, paid_on=paid_on, period=period),
    )
    access_record(
        actor=agent,
        action="debt.allocation_preview",
        obj=person,
        context={"period": period, "debts": [str(debt.uuid) for debt in debts]},
    )
    return PersonAllocation(
        person=person,
        team=team,
        period=period,
        paid_on=paid_on,
        allocation=computed,
        debts={str(debt.uuid): debt for debt in debts},
    )


# The notice in the mail register, and the creditor's statement


def notice_mail_offered(*, agent: Agent) -> QuerySet[IncomingMail]:
    """The incoming mail an agent may give as a debt's notice: the register's
    entries of their own teams (registered by one of them, or dispatched to one)
    that they may see, newest first."""
    return (
        incoming_mail_visible(agent=agent)
        .filter(
            Q(team_id__in=agent.team_ids) | Q(dispatched_team_id__in=agent.team_ids)
        )
        .order_by("-received_on", "-id")
    )


def notice_mail_choices(*, agent: Agent, limit: int = 200) -> list[IncomingMail]:
    """The latest `limit` notices a registration form offers; the read is logged."""
    rows = list(notice_mail_offered(agent=agent)[:limit])
    access_record(
        actor=agent, action="mail.list", objects=rows, context={"purpose": "debt"}
    )
    return rows


@dataclass(frozen=True)
class CreditorStatement:
    """What a person owes one creditor in one payment office, on a day."""

    person: Person
    team: Team
    creditor_name: str
    debts: list[Debt]  # each annotated with `balance`, its entries and plans loaded
    total: Decimal
    on: dt.date


def creditor_statement_for_agent(
    *, agent: Agent, debt_id: str | uuid_module.UUID
) -> CreditorStatement:
    """The statement of the creditor of `debt_id`: every debt of the same person,
    payment office and creditor that the agent sees, with its ledger. Logged."""
    key = parse_uuid(debt_id)
    debt = debts_visible(agent=agent).filter(uuid=key).first() if key else None
    if debt is None:
        raise NotFound(_("No such debt."))
    same = debts_visible(agent=agent).filter(
        person_id=debt.person_id,
        team_id=debt.team_id,
        creditor_name=debt.creditor_name,
        creditor_id=debt.creditor_id,
    )
    debts = list(_with_ledger(_with_details(same)).order_by("notified_on", "id"))
    person = debts[0].person
    access_record(
        actor=agent,
        action="debt.statement",
        obj=person,
        context={"debts": [str(item.uuid) for item in debts]},
    )
    return CreditorStatement(
        person=person,
        team=debts[0].team,
        creditor_name=debt.creditor_name,
        debts=debts,
        total=sum((item.balance for item in debts), Decimal("0.00")),  # type: ignore[attr-defined]  # annotated by with_balance
        on=clock.today(),
    )
