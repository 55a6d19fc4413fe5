"""Garnishment and debts over HTTP. Handlers parse, call one service or selector,
and shape the answer; the rules live in `guichet.debts`.

Amounts are decimal strings with two decimals in answers ("1234.56"); in requests
they may be strings or JSON numbers, with at most two decimals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse

from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from guichet.core.money import format_amount
from guichet.debts import selectors, serialize, services, statement
from guichet.debts import validation as v
from guichet.debts.models import Debt

from .common import IsoDate, actor, expected_version, responses, set_etag
from .correspondence.common import _file

router = Router(tags=["debts"])

Amount = str | int | float
AMOUNT = 'A euro amount, at most two decimals: "1234.56" (or a JSON number).'


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


# The calculator


class ComputeIn(StrictIn):
    on: IsoDate = Field(description="Payment date: chooses the bracket table in force.")
    earned: Amount | None = Field(None, description=f"Net earned income. {AMOUNT}")
    replacement: Amount | None = Field(
        None, description=f"Net replacement income (unemployment benefit...). {AMOUNT}"
    )
    children: int = Field(0, description="Dependent children declared (0 to 99).")
    maintenance: bool = Field(
        False,
        description="A maintenance debt (art. 1412): the whole income is seizable.",
    )


class NoteOut(Schema):
    code: str
    text: str


class TableOut(Schema):
    id: str
    from_: dt.date = Field(alias="from")
    to: dt.date
    income_kinds: list[str]
    thresholds: list[str] = Field(description="T0, T1, T2, T3.")
    child_reduction: str
    source: str = Field(
        description="The legal source of the figures, as recorded (not translated)."
    )
    confidence: Literal["high", "medium", "low"] = Field(
        description="Confidence in the figures: high (official or several sources), "
        "medium (one secondary source), low (a weak or old source)."
    )
    warning: NoteOut | None = Field(
        description="For a table of medium or low confidence, what the agent must "
        "check before relying on it (code confidence_medium or confidence_low); "
        "null for high confidence."
    )
    note: str


class BandOut(Schema):
    from_: str = Field(alias="from")
    to: str | None = Field(description="None: no upper limit.")
    rate: str = Field(
        description="The part of this slice that can be seized, 0.20 = 20 %."
    )
    base: str = Field(description="The part of the income inside this band.")
    amount: str
    reason: str
    explanation: str


class IncomeOut(Schema):
    earned: str | None
    replacement: str | None
    total: str


class ChildReductionOut(Schema):
    children: int
    per_child: str
    full: str
    applied: str


class SeizableOut(Schema):
    seizable: str
    kept: str
    income: IncomeOut
    scale: Literal["earned", "replacement"]
    children: int
    maintenance: bool
    table: TableOut
    bands: list[BandOut]
    brackets_total: str
    child_reduction: ChildReductionOut
    ordinary_seizable: str
    ordinary_bands: list[BandOut] | None = None
    notes: list[NoteOut]
    explanation: str


class GarnishmentOut(SeizableOut):
    on: dt.date


class ClaimIn(StrictIn):
    id: str | int
    kind: Literal["maintenance", "seizure", "assignment", "subrogation", "recovery"]
    notified_on: IsoDate
    balance: Amount = Field(description=AMOUNT)
    fraud: bool = False


class CaseIn(StrictIn):
    on: IsoDate
    earned: Amount | None = Field(None, description=AMOUNT)
    replacement: Amount | None = Field(None, description=AMOUNT)
    children: int
    claims: list[ClaimIn]


class LineOut(Schema):
    id: str | int
    amount: str
    kind: str
    rank: int = Field(
        description="Order of service; claims sharing pro rata share a rank."
    )
    group: str
    notified_on: dt.date
    balance: str
    balance_after: str
    fraud: bool
    instalment: str | None
    limited_by: str
    reason: str
    explanation: str


class PoolsOut(Schema):
    maintenance_taken: str
    ordinary_available: str
    ordinary_taken: str
    recovery_base: str


class AllocationOut(Schema):
    on: dt.date
    claims: list[LineOut]
    to_beneficiary: str
    income: str
    seizable: str
    table: TableOut
    pools: PoolsOut
    notes: list[NoteOut]
    garnishment: SeizableOut


@router.post(
    "/garnishment/compute",
    by_alias=True,
    response=responses({200: GarnishmentOut}, 403),
    summary="The seizable part of an income",
    description=(
        "Marginal brackets of art. 1409 C.jud. for the table in force on `on`, then the "
        "child reduction. 422 with code `no_table_in_force` when no table is known for "
        "that date (another year's figures are never used)."
    ),
)
def garnishment_compute(request: HttpRequest, payload: ComputeIn) -> Any:
    selectors.calculator_require(agent=actor(request))
    asked = v.compute_request(payload.model_dump())
    result = selectors.garnishment_compute_for_agent(
        agent=actor(request),
        on=asked.on,
        income=asked.income,
        children=asked.children,
        maintenance=asked.maintenance,
    )
    return {"on": asked.on, **serialize.garnishment_dict(result)}


@router.post(
    "/garnishment/allocate",
    by_alias=True,
    response=responses({200: AllocationOut}, 403),
    summary="Share a month's income among creditors",
    description=(
        "Maintenance first, then assignments and seizures by notice date (competing "
        "seizures pro rata), CPAS subrogations, and the paying body's recovery within "
        "its cap; each claim gets at most its balance, the rest goes to the beneficiary."
    ),
)
def garnishment_allocate(request: HttpRequest, payload: CaseIn) -> Any:
    selectors.calculator_require(agent=actor(request))
    case = v.case_request(payload.model_dump())
    result = selectors.allocation_compute_for_agent(
        agent=actor(request),
        on=case.on,
        income=case.income,
        children=case.children,
        claims=case.claims,
    )
    return {"on": case.on, **serialize.allocation_dict(result)}


@router.get(
    "/garnishment/tables",
    by_alias=True,
    response=responses({200: list[TableOut]}, 403),
    summary="The bracket tables loaded",
)
def garnishment_tables(request: HttpRequest) -> Any:
    tables = selectors.bracket_tables_for_agent(agent=actor(request))
    return [serialize.table_dict(table) for table in tables]


# A person's debts


class DebtIn(StrictIn):
    kind: Literal["maintenance", "seizure", "assignment", "subrogation", "recovery"]
    notified_on: IsoDate = Field(
        description="Date of the notice in the central file of notices, or of the decision."
    )
    principal: Amount = Field(description=f"The original amount owed. {AMOUNT}")
    interest: Amount | None = Field(None, description=AMOUNT)
    costs: Amount | None = Field(None, description=AMOUNT)
    creditor_name: str = Field(
        "", description="Required except for the office's own claims."
    )
    reference: str = ""
    fraud: bool = Field(False, description="Recovery only.")
    period_from: IsoDate | None = Field(
        None, description="Subrogation: period advanced."
    )
    period_to: IsoDate | None = None
    comment: str = Field(
        "",
        description="The claim's description (the judgment or decision it comes "
        "from); messages for colleagues go to /debts/{id}/comments.",
    )
    notice_mail: UUID | None = Field(
        None,
        description=(
            "The notice in the incoming-mail register (its id): mail of your teams' "
            "register that you may see."
        ),
    )
    team: str | None = Field(
        None, description="Payment office (team code); needed if you belong to several."
    )


class DebtPatchIn(StrictIn):
    status: Literal["active", "suspended", "extinguished"] | None = None
    creditor_name: str | None = None
    reference: str | None = None
    comment: str | None = None
    reason: str = ""


class EntryIn(StrictIn):
    kind: Literal["interest", "costs", "direct_payment", "remission", "correction"]
    amount: Amount = Field(
        description=(
            "Positive; a direct payment or remission lowers the balance. A correction may be "
            f"negative. {AMOUNT}"
        )
    )
    booked_on: IsoDate
    note: str = Field("", description="Required for a remission or a correction.")


class PlanIn(StrictIn):
    amount: Amount = Field(
        description=f"Kept back per month, within the legal cap. {AMOUNT}"
    )
    starts_on: IsoDate
    note: str = ""


class EntryOut(Schema):
    id: UUID = Field(validation_alias="uuid")
    kind: str
    amount: str
    booked_on: dt.date
    period: str
    note: str
    created_at: dt.datetime

    @staticmethod
    def resolve_amount(obj: Any) -> str:
        return format_amount(obj.amount)


class PlanOut(Schema):
    id: UUID = Field(validation_alias="uuid")
    amount: str
    starts_on: dt.date
    note: str

    @staticmethod
    def resolve_amount(obj: Any) -> str:
        return format_amount(obj.amount)


class DebtOut(Schema):
    id: UUID = Field(validation_alias="uuid")
    version: int
    person_id: UUID
    team: str
    kind: str
    creditor_name: str
    reference: str
    notified_on: dt.date
    fraud: bool
    period_from: dt.date | None
    period_to: dt.date | None
    status: str
    comment: str
    notice_mail: UUID | None = Field(
        description="The notice in the incoming-mail register, if it came by paper."
    )
    balance: str = Field(description="The sum of the ledger entries.")
    created_at: dt.datetime

    @staticmethod
    def resolve_person_id(obj: Debt) -> UUID:
        return UUID(str(obj.person.uuid))

    @staticmethod
    def resolve_notice_mail(obj: Debt) -> UUID | None:
        return None if obj.notice_mail is None else UUID(str(obj.notice_mail.uuid))

    @staticmethod
    def resolve_team(obj: Debt) -> str:
        return obj.team.code

    @staticmethod
    def resolve_balance(obj: Any) -> str:
        return format_amount(obj.balance)


class DebtDetailOut(DebtOut):
    entries: list[EntryOut]
    plans: list[PlanOut]

    @staticmethod
    def resolve_entries(obj: Debt) -> list[Any]:
        return list(obj.entries.all())

    @staticmethod
    def resolve_plans(obj: Debt) -> list[Any]:
        return list(obj.plans.all())


class PersonDebtsOut(Schema):
    person_id: UUID
    items: list[DebtOut]


def _detail(request: HttpRequest, response: HttpResponse, debt_id: Any) -> Debt:
    debt = selectors.debt_get_for_agent(agent=actor(request), debt_id=debt_id)
    set_etag(response, debt.version)
    return debt


@router.get(
    "/persons/{person_id}/debts",
    by_alias=True,
    response=responses({200: PersonDebtsOut}, 404),
    summary="A person's debts with this payment office",
)
def person_debts(request: HttpRequest, person_id: UUID) -> Any:
    found = selectors.person_debts_for_agent(agent=actor(request), person_id=person_id)
    return {"person_id": found.person.uuid, "items": found.debts}


@router.post(
    "/persons/{person_id}/debts",
    by_alias=True,
    response=responses({201: DebtDetailOut}, 403, 404),
    summary="Register a debt",
)
def debt_register(
    request: HttpRequest, response: HttpResponse, person_id: UUID, payload: DebtIn
) -> Any:
    data = payload.model_dump(exclude={"team"})
    debt = services.debt_register(
        actor=actor(request),
        person_id=person_id,
        data=services.DebtInput(**data),
        team_code=payload.team,
    )
    response["Location"] = f"{request.path.split('/persons/')[0]}/debts/{debt.uuid}"
    return Status(201, _detail(request, response, debt.uuid))


@router.get(
    "/debts/{debt_id}",
    by_alias=True,
    response=responses({200: DebtDetailOut}, 404),
    summary="A debt with its ledger",
)
def debt_read(request: HttpRequest, response: HttpResponse, debt_id: UUID) -> Any:
    return _detail(request, response, debt_id)


@router.patch(
    "/debts/{debt_id}",
    by_alias=True,
    response=responses({200: DebtDetailOut}, 403, 404, 412, 428),
    summary="Change a debt's status, creditor or description (If-Match required)",
)
def debt_update(
    request: HttpRequest, response: HttpResponse, debt_id: UUID, payload: DebtPatchIn
) -> Any:
    version = expected_version(request)
    services.debt_update(
        actor=actor(request),
        debt_id=debt_id,
        expected_version=version,
        data=payload.model_dump(exclude_unset=True, exclude={"reason"}),
        reason=payload.reason,
    )
    return _detail(request, response, debt_id)


@router.post(
    "/debts/{debt_id}/entries",
    by_alias=True,
    response=responses({201: DebtDetailOut}, 403, 404, 412, 428),
    summary="Add a ledger entry (If-Match required)",
)
def debt_entry_add(
    request: HttpRequest, response: HttpResponse, debt_id: UUID, payload: EntryIn
) -> Any:
    services.debt_entry_add(
        actor=actor(request),
        debt_id=debt_id,
        expected_version=expected_version(request),
        **payload.model_dump(),
    )
    return Status(201, _detail(request, response, debt_id))


@router.post(
    "/debts/{debt_id}/plans",
    by_alias=True,
    response=responses({201: DebtDetailOut}, 403, 404, 412, 428),
    summary="Agree an instalment plan for an own claim (If-Match required)",
)
def debt_plan_add(
    request: HttpRequest, response: HttpResponse, debt_id: UUID, payload: PlanIn
) -> Any:
    services.instalment_plan_add(
        actor=actor(request),
        debt_id=debt_id,
        expected_version=expected_version(request),
        **payload.model_dump(),
    )
    return Status(201, _detail(request, response, debt_id))


class DebtCommentIn(StrictIn):
    text: str = Field(
        description="The message for the colleagues who follow the debt "
        "(at most 4000 characters). A comment is never changed: a correction is "
        "a new comment."
    )


class DebtCommentOut(Schema):
    id: UUID = Field(validation_alias="uuid")
    author: str = Field(description="The agent who wrote it, by name.")
    written_at: dt.datetime
    text: str

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return str(obj.author)


class DebtCommentsOut(Schema):
    debt_id: UUID
    items: list[DebtCommentOut] = Field(description="Newest first.")


@router.get(
    "/debts/{debt_id}/comments",
    by_alias=True,
    response=responses({200: DebtCommentsOut}, 404),
    summary="A debt's comments for colleagues, newest first",
)
def debt_comments(request: HttpRequest, debt_id: UUID) -> Any:
    debt, comments = selectors.debt_comments_for_agent(
        agent=actor(request), debt_id=debt_id
    )
    return {"debt_id": debt.uuid, "items": comments}


@router.post(
    "/debts/{debt_id}/comments",
    by_alias=True,
    response=responses({201: DebtCommentOut}, 403, 404),
    summary="Write a comment on a debt",
    description=(
        "Comments are append-only and change nothing of the debt: no If-Match. "
        "Who may work on the debt may comment."
    ),
)
def debt_comment_add(
    request: HttpRequest, debt_id: UUID, payload: DebtCommentIn
) -> Any:
    comment = services.debt_comment_add(
        actor=actor(request), debt_id=debt_id, text=payload.text
    )
    return Status(201, comment)


class DebtStatementQuery(Schema):
    language: Literal["fr", "nl", "de", "en"] | None = Field(
        None, description="The statement's language (default: the person's)."
    )


@router.get(
    "/debts/{debt_id}/statement",
    response=responses({200: None}, 404),
    summary="The creditor's statement of account, PDF/A (an attachment)",
    description=(
        "Every debt of the same person, payment office and creditor, with its "
        "ledger and balance, and the total still due today."
    ),
)
def debt_statement(
    request: HttpRequest, debt_id: UUID, query: Query[DebtStatementQuery]
) -> HttpResponse:
    got = statement.statement_for_agent(
        agent=actor(request), debt_id=debt_id, language=query.language
    )
    return _file(got.data, "application/pdf", got.filename)


# The next payment


class PaymentIn(Schema):
    paid_on: IsoDate = Field(
        description="Payment date: chooses the bracket table in force."
    )
    period: str | None = Field(
        None,
        description="The month the payment is for, YYYY-MM (default: that of paid_on).",
    )
    earned: str | None = Field(None, description=AMOUNT)
    replacement: str | None = Field(None, description=AMOUNT)
    children: int = 0
    team: str | None = Field(
        None, description="Payment office, if you belong to several."
    )


class PaymentBodyIn(StrictIn):
    paid_on: IsoDate
    period: str = Field(description="The month the payment is for, YYYY-MM.")
    earned: Amount | None = Field(None, description=AMOUNT)
    replacement: Amount | None = Field(None, description=AMOUNT)
    children: int
    team: str | None = None


class PreviewLineOut(LineOut):
    creditor_name: str
    reference: str


class PreviewOut(Schema):
    person_id: UUID
    team: str
    period: str
    paid_on: dt.date
    claims: list[PreviewLineOut]
    to_beneficiary: str
    income: str
    seizable: str
    table: TableOut
    pools: PoolsOut
    notes: list[NoteOut]
    garnishment: SeizableOut


class PostingOut(Schema):
    id: UUID
    created: bool = Field(
        description="False: this month was already posted; nothing changed."
    )
    period: str
    paid_on: dt.date
    table: str
    to_beneficiary: str
    retentions: list[dict[str, Any]]


@router.get(
    "/persons/{person_id}/debts/next-payment",
    by_alias=True,
    response=responses({200: PreviewOut}, 404),
    summary="What a payment would keep back for each creditor, and why",
    description="Computes the allocation on the person's active debts; writes nothing.",
)
def person_next_payment(
    request: HttpRequest, person_id: UUID, query: Query[PaymentIn]
) -> Any:
    selectors.person_debts_require(agent=actor(request), person_id=person_id)
    data = query.model_dump()
    payment = v.payment_request(data)
    preview = selectors.person_allocation_preview(
        agent=actor(request),
        person_id=person_id,
        paid_on=payment.paid_on,
        period=payment.period,
        income=payment.income,
        children=payment.children,
        team_code=data.get("team"),
    )
    shown = serialize.allocation_dict(preview.allocation)
    for line in shown["claims"]:
        debt = preview.debts[str(line["id"])]
        line["creditor_name"] = debt.creditor_name
        line["reference"] = debt.reference
    return {
        "person_id": preview.person.uuid,
        "team": preview.team.code,
        "period": preview.period,
        "paid_on": preview.paid_on,
        **shown,
    }


@router.post(
    "/persons/{person_id}/debts/postings",
    by_alias=True,
    response=responses({201: PostingOut, 200: PostingOut}, 403, 404, 409),
    summary="Post a month's allocation (idempotent)",
    description=(
        "Keeps back each creditor's amount from the payment and books it in the ledger. "
        "Posting the same month again with the same figures returns the first posting "
        "(200) and changes nothing; with other figures it is refused (409)."
    ),
)
def person_posting(
    request: HttpRequest, person_id: UUID, payload: PaymentBodyIn
) -> Any:
    selectors.person_debts_require(
        agent=actor(request),
        person_id=person_id,
        posting=True,
    )
    data = payload.model_dump()
    payment = v.payment_request(data, period_required=True)
    result = services.allocation_post(
        actor=actor(request),
        person_id=person_id,
        period=payment.period,
        paid_on=payment.paid_on,
        income=payment.income,
        children=payment.children,
        team_code=data.get("team"),
    )
    posting = result.posting
    body = {
        "id": posting.uuid,
        "created": result.created,
        "period": posting.period,
        "paid_on": posting.paid_on,
        "table": posting.table_code,
        "to_beneficiary": format_amount(posting.to_beneficiary),
        "retentions": [
            {"debt": line["id"], "amount": line["amount"], "rank": line["rank"]}
            for line in posting.result.get("claims", [])
            if line["amount"] != "0.00"
        ],
    }
    return Status(201 if result.created else 200, body)
