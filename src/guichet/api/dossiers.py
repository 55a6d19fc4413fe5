"""Dossiers over HTTP: opening, reading, the team queue, the case type's steps,
tasks, notes, document requests, suspension, extension, the decision and its
four-eyes review, the other body's decision, closing. Handlers parse, call one
service or selector, and shape the answer; the rules live in `guichet.dossiers`.

A dossier is named in paths by its public id or its reference (`DOS-2026-0000042`).
Every change of a dossier needs the version read (`If-Match`), and answers the new
one in `ETag`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from guichet.agents.models import Agent
from guichet.contacts import selectors as contact_selectors
from guichet.core.errors import NotFound
from guichet.core.validation import Problems
from guichet.dossiers import export, selectors, services
from guichet.dossiers.models import (
    Decision,
    DocumentRequest,
    Dossier,
    DossierEvent,
    DossierNote,
    DossierParty,
    DossierTask,
)
from guichet.parties import selectors as party_selectors
from guichet.servicerequests import selectors as request_selectors

from .common import PageOut, actor, expected_version, responses, set_etag
from .correspondence.common import _file

router = Router(tags=["dossiers"])

KEY = "The dossier's id or its reference (DOS-2026-0000042)."
RoleCode = Literal["beneficiary", "representative", "employer", "authority"]
FactValue = str | int | float | bool | None | list[str]


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class PartyIn(StrictIn):
    role: RoleCode
    person: UUID | None = None
    organisation: UUID | None = None


class DossierOpenIn(StrictIn):
    case_type: str = Field(max_length=64, description="The case type's code.")
    person: UUID | None = Field(None, description="The applicant, when a person.")
    organisation: UUID | None = Field(
        None, description="The applicant, when an organisation."
    )
    parties: list[PartyIn] = Field([], max_length=20)
    facts: dict[str, FactValue] = Field(
        {},
        description="What the case type's conditions read (document_language...).",
    )
    request: str = Field("", max_length=64, description="A request's id or reference.")
    contact: UUID | None = None
    received_on: dt.date | None = Field(None, description="Default: today.")


class PartyOut(Schema):
    role: str
    person: UUID | None
    organisation: UUID | None

    @staticmethod
    def resolve_person(obj: DossierParty) -> UUID | None:
        return obj.person.uuid if obj.person else None

    @staticmethod
    def resolve_organisation(obj: DossierParty) -> UUID | None:
        return obj.organisation.uuid if obj.organisation else None


class DossierOut(Schema):
    id: UUID = Field(alias="uuid")
    reference: str
    version: int
    case_type: str
    case_type_version: int
    team: str
    owner: str | None
    status: str
    facts: dict[str, Any]
    received_on: dt.date
    processing_due: dt.date | None = Field(description="The legal deadline.")
    service_norm_due: dt.date | None
    completion_due: dt.date | None = Field(
        description="The citizen's deadline to complete the file."
    )
    suspended_since: dt.date | None
    extended_on: dt.date | None
    transmitted_at: dt.datetime | None
    result: str = Field(alias="result_code")
    closed_at: dt.datetime | None
    retention_until: dt.date | None
    retention_then: str
    archived_at: dt.datetime | None = Field(
        description="Archived at the end of retention: read-only from then on."
    )
    destroyed_at: dt.datetime | None = Field(
        description=(
            "Destroyed at the end of retention: only this tombstone is left "
            "(no parties, facts, timeline or documents)."
        )
    )
    created_at: dt.datetime

    @staticmethod
    def resolve_case_type(obj: Dossier) -> str:
        return str(obj.case_type.code)

    @staticmethod
    def resolve_case_type_version(obj: Dossier) -> int:
        return int(obj.case_type_version.number)

    @staticmethod
    def resolve_team(obj: Dossier) -> str:
        return str(obj.team.code)

    @staticmethod
    def resolve_owner(obj: Dossier) -> str | None:
        return str(obj.owner.username) if obj.owner else None


class DossierQueueIn(Schema):
    team: str = Field("", max_length=50)
    status: str = Field("", max_length=64)
    case_type: str = Field("", max_length=64)
    owner: str = Field("", max_length=150, description='"me", "none" or a user name')
    overdue: bool = False
    page: int = Field(1, ge=1, le=10_000)


class DossierQueuePageOut(PageOut):
    items: list[DossierOut]
    teams: list[str]


class RefusalOut(Schema):
    code: str
    message: str


class OfferedOut(Schema):
    code: str
    target: str
    requires_text: bool
    ready: bool = Field(description="Every guard passes now.")
    refusals: list[RefusalOut]


class TransitionsOut(Schema):
    items: list[OfferedOut]


class DossierTransitionIn(StrictIn):
    transition: str = Field(max_length=64)
    checklist: dict[str, bool] = Field(
        {}, description="Answers to the current status's checklist."
    )
    text: str = Field("", max_length=8000)
    result: str = Field("", max_length=64, description="When the step closes.")
    fee_amount: Decimal | None = Field(
        None, description="When the case type leaves the fee's amount to the service."
    )
    completion_due: dt.date | None = Field(
        None, description="When the step asks documents."
    )


class DossierEventOut(Schema):
    kind: str
    agent: str | None
    transition: str
    from_status: str
    to_status: str
    text: str
    data: dict[str, Any]
    created_at: dt.datetime

    @staticmethod
    def resolve_agent(obj: DossierEvent) -> str | None:
        return str(obj.agent.username) if obj.agent else None


class TaskOut(Schema):
    id: UUID = Field(alias="uuid")
    dossier: str
    title: str
    code: str
    assignee: str | None
    due_on: dt.date | None
    done_at: dt.datetime | None

    @staticmethod
    def resolve_dossier(obj: DossierTask) -> str:
        return str(obj.dossier.reference)

    @staticmethod
    def resolve_assignee(obj: DossierTask) -> str | None:
        return str(obj.assignee.username) if obj.assignee else None


class TaskIn(StrictIn):
    title: str = Field(max_length=200)
    assignee: str = Field("", max_length=150, description="A user name of the team.")
    due_on: dt.date | None = None


class TaskUpdateIn(StrictIn):
    assignee: str | None = Field(None, max_length=150)
    done: bool = False


class DossierNoteIn(StrictIn):
    text: str = Field(max_length=8000)


class DossierNoteOut(Schema):
    id: UUID = Field(alias="uuid")
    text: str
    created_at: dt.datetime


class DocumentRequestIn(StrictIn):
    description: str = Field(max_length=200)
    due_on: dt.date
    document_code: str = Field("", max_length=64)
    body: str = Field("", max_length=200, description="Another body asked.")
    applicant: bool = Field(
        True, description="Ask the applicant (else `body` names who is asked)."
    )


class DocumentRequestOut(Schema):
    id: UUID = Field(alias="uuid")
    description: str
    document_code: str
    body: str
    due_on: dt.date
    answered_at: dt.datetime | None
    reminded_on: dt.date | None


class DecisionOut(Schema):
    id: UUID = Field(alias="uuid")
    decision_type: str
    result: str = Field(alias="result_code")
    motivation: str
    state: str
    proposed_by: str
    reviewed_by: str | None
    body: str
    decided_on: dt.date | None
    appeal_until: dt.date | None

    @staticmethod
    def resolve_proposed_by(obj: Decision) -> str:
        return str(obj.proposed_by.username)

    @staticmethod
    def resolve_reviewed_by(obj: Decision) -> str | None:
        return str(obj.reviewed_by.username) if obj.reviewed_by else None


class DocumentStateOut(Schema):
    code: str = Field(description="The case type's required document it answers.")
    document_type: str
    passed: list[str] = Field(description="Checks whose latest run passed.")
    failed: list[str] = Field(description="Checks whose latest run failed.")


class ChecklistQuestionOut(Schema):
    code: str
    question: str = Field(description="In the language of the request.")


class WorkbenchOut(Schema):
    dossier: DossierOut
    actions: list[str]
    checklist: list[ChecklistQuestionOut] = Field(
        description="The current status's checklist: a step out of it answers "
        "each question by its code (`checklist` of a transition)."
    )
    parties: list[PartyOut]
    documents: list[DocumentStateOut]
    missing_documents: list[str]
    timeline: list[DossierEventOut]
    tasks: list[TaskOut]
    notes: list[DossierNoteOut]
    open_document_requests: list[DocumentRequestOut]
    transitions: list[OfferedOut]
    pending_decision: DecisionOut | None
    decisions: list[DecisionOut]


class DossierReasonIn(StrictIn):
    reason: str = Field(max_length=500)
    until: dt.date | None = None


class ProposeIn(StrictIn):
    decision_type: str = Field(max_length=64)
    result: str = Field(max_length=64)
    motivation: str = Field(max_length=8000)
    checklist: dict[str, bool] = {}


class ReviewIn(StrictIn):
    text: str = Field("", max_length=8000, description="Required to refuse.")
    checklist: dict[str, bool] = {}


class ExternalDecisionIn(StrictIn):
    decision_type: str = Field(max_length=64)
    result: str = Field(max_length=64)
    decided_on: dt.date
    body: str = Field(max_length=200)
    body_reference: str = Field("", max_length=100)
    motivation: str = Field("", max_length=8000)
    checklist: dict[str, bool] = {}


class CloseIn(StrictIn):
    result: str = Field("", max_length=64, description="Default: the decision's.")
    text: str = Field("", max_length=8000)
    checklist: dict[str, bool] = {}


class FactsIn(StrictIn):
    facts: dict[str, FactValue]


# ---------------------------------------------------------------- helpers


def _get(request: HttpRequest, key: str) -> Dossier:
    return selectors.dossier_get_for_agent(agent=actor(request), key=key).obj


def _answer(response: HttpResponse, dossier: Dossier) -> Dossier:
    set_etag(response, dossier.version)
    return dossier


def _offered(offered: list[services.Offered]) -> list[dict[str, Any]]:
    return [
        {
            "code": item.transition.code,
            "target": item.transition.target,
            "requires_text": item.transition.requires_text,
            "ready": item.ready,
            "refusals": [{"code": c, "message": m} for c, m in item.refusals],
        }
        for item in offered
    ]


def _party(agent: Agent, person: UUID | None, organisation: UUID | None) -> Any:
    if (person is None) == (organisation is None):
        problems = Problems()
        problems.add("person", "one_party", _("Name one person or one organisation."))
        problems.raise_if_any()
    if person is not None:
        return party_selectors.person_get_for_agent(agent=agent, person_id=person).obj
    return party_selectors.organisation_get_for_agent(
        agent=agent, organisation_id=str(organisation)
    )


def _member(dossier: Dossier, username: str) -> Agent | None:
    if not username:
        return None
    agent = Agent.objects.filter(
        username=username, memberships__team=dossier.team, is_active=True
    ).first()
    if agent is None:
        raise NotFound(_("No such agent in the dossier's team."))
    return agent


# ---------------------------------------------------------------- operations


@router.post(
    "/dossiers",
    response=responses({201: DossierOut}, 403, 404),
    summary="Open a dossier",
    description=(
        "Under the case type's version in force on the day received, in the team that "
        "owns the case type, with its deadlines started in that team's calendar."
    ),
)
def dossier_open(
    request: HttpRequest, response: HttpResponse, payload: DossierOpenIn
) -> Any:
    agent = actor(request)
    applicant = _party(agent, payload.person, payload.organisation)
    parties = [
        services.PartyInput(item.role, _party(agent, item.person, item.organisation))
        for item in payload.parties
    ]
    linked_request = (
        request_selectors.request_get_for_agent(agent=agent, key=payload.request).obj
        if payload.request
        else None
    )
    contact = (
        contact_selectors.contact_get_for_agent(agent=agent, uuid=payload.contact).obj
        if payload.contact
        else None
    )
    created = services.dossier_open(
        actor=agent,
        case_type=payload.case_type,
        applicant=applicant,
        parties=parties,
        facts=payload.facts,
        request=linked_request,
        contact=contact,
        received_on=payload.received_on,
    )
    response["Location"] = f"{request.path.rstrip('/')}/{created.uuid}"
    return Status(201, _answer(response, created))


@router.get(
    "/dossiers",
    response=responses({200: DossierQueuePageOut}, 403),
    summary="A page of your teams' open dossiers, the earliest deadline first",
)
def dossier_queue(request: HttpRequest, filters: Query[DossierQueueIn]) -> Any:
    found = selectors.queue(
        agent=actor(request), filters=selectors.QueueFilter(**filters.model_dump())
    )
    return {
        "page": found.page,
        "page_size": selectors.QUEUE_PAGE,
        "has_next": found.has_next,
        "items": found.rows,
        "teams": [team.code for team in found.teams],
    }


@router.get(
    "/my-dossier-tasks",
    response=responses({200: list[TaskOut]}, 403),
    summary="The open dossier tasks assigned to you, earliest due first",
)
def my_dossier_tasks(request: HttpRequest) -> Any:
    return selectors.my_dossier_tasks(agent=actor(request))


@router.get(
    "/persons/{person_id}/dossiers",
    response=responses({200: list[DossierOut]}, 403, 404),
    summary="The dossiers in which a person has a role, newest first",
)
def person_dossiers(request: HttpRequest, person_id: UUID) -> Any:
    agent = actor(request)
    person = party_selectors.person_get_for_agent(agent=agent, person_id=person_id).obj
    return selectors.dossiers_of_person(agent=agent, person=person)


@router.get(
    "/dossiers/{key}",
    response=responses({200: WorkbenchOut}, 404),
    summary="A dossier's workbench",
    description=KEY
    + " The timeline, parties, tasks, notes, open document requests, the steps you "
    "may take now (with the reasons a guard refuses), the decisions.",
)
def dossier_read(request: HttpRequest, response: HttpResponse, key: str) -> Any:
    bench = selectors.workbench(agent=actor(request), key=key)
    _answer(response, bench.seen.obj)
    return {
        "dossier": bench.seen.obj,
        "actions": sorted(bench.seen.actions),
        "checklist": [
            {"code": item.code, "question": item.question.get(get_language())}
            for item in bench.definition.status(bench.seen.obj.status).checklist
        ],
        "parties": bench.parties,
        "documents": [
            {
                "code": state.code,
                "document_type": state.document_type,
                "passed": sorted(state.passed),
                "failed": sorted(state.failed),
            }
            for state in bench.documents
        ],
        "missing_documents": bench.missing_documents,
        "timeline": bench.timeline,
        "tasks": bench.tasks,
        "notes": bench.notes,
        "open_document_requests": bench.open_document_requests,
        "transitions": _offered(bench.offered),
        "pending_decision": bench.pending_decision,
        "decisions": bench.decisions,
    }


@router.get(
    "/dossiers/{key}/transitions",
    response=responses({200: TransitionsOut}, 404),
    summary="The steps you may take now, with the reasons a guard refuses",
)
def dossier_transitions(request: HttpRequest, key: str) -> Any:
    dossier = _get(request, key)
    return {
        "items": _offered(
            services.transitions_offered(actor=actor(request), dossier=dossier)
        )
    }


@router.get(
    "/dossiers/{key}/export-package",
    response=responses({200: None}, 404),
    summary="The dossier's latest export package, as sent (a ZIP attachment)",
    description=KEY
    + " The ZIP holds manifest.json (valid against the export manifest's JSON "
    "Schema, docs/export-package.md), summary.pdf (PDF/A) and the documents. 404 "
    "when the dossier was never transmitted. Each download is logged.",
)
def dossier_export_package(request: HttpRequest, key: str) -> HttpResponse:
    got = selectors.export_package_for_agent(agent=actor(request), key=key)
    return _file(got.data, export.MEDIA_TYPE, got.filename)


@router.post(
    "/dossiers/{key}/transitions",
    response=responses({200: DossierOut}, 403, 404, 412, 428),
    summary="Take a step of the case type (If-Match required)",
)
def dossier_transition(
    request: HttpRequest, response: HttpResponse, key: str, payload: DossierTransitionIn
) -> Any:
    version = expected_version(request)
    moved = services.dossier_transition(
        actor=actor(request),
        dossier=_get(request, key),
        expected_version=version,
        transition=payload.transition,
        checklist=payload.checklist,
        text_=payload.text,
        result=payload.result,
        fee_amount=payload.fee_amount,
        completion_due=payload.completion_due,
    )
    return _answer(response, moved)


@router.post(
    "/dossiers/{key}/facts",
    response=responses({200: DossierOut}, 403, 404, 412, 428),
    summary="Set what is known of the case (If-Match required; null removes)",
)
def dossier_facts(
    request: HttpRequest, response: HttpResponse, key: str, payload: FactsIn
) -> Any:
    version = expected_version(request)
    changed = services.dossier_facts_update(
        actor=actor(request),
        dossier=_get(request, key),
        expected_version=version,
        facts=payload.facts,
    )
    return _answer(response, changed)


@router.post(
    "/dossiers/{key}/tasks",
    response=responses({201: TaskOut}, 403, 404),
    summary="Create a task on the dossier",
)
def task_create(request: HttpRequest, key: str, payload: TaskIn) -> Any:
    dossier = _get(request, key)
    task = services.task_create(
        actor=actor(request),
        dossier=dossier,
        title=payload.title,
        assignee=_member(dossier, payload.assignee),
        due_on=payload.due_on,
    )
    return Status(201, task)


@router.post(
    "/dossiers/{key}/tasks/{task_id}",
    response=responses({200: TaskOut}, 403, 404),
    summary="Assign a task (null: unassigned) or mark it done",
)
def task_update(
    request: HttpRequest, key: str, task_id: UUID, payload: TaskUpdateIn
) -> Any:
    dossier = _get(request, key)
    task = DossierTask.objects.filter(dossier=dossier, uuid=task_id).first()
    if task is None:
        raise NotFound(_("No such task."))
    agent = actor(request)
    if payload.assignee is not None:
        task = services.task_assign(
            actor=agent, task=task, assignee=_member(dossier, payload.assignee)
        )
    if payload.done:
        task = services.task_done(actor=agent, task=task)
    return task


@router.post(
    "/dossiers/{key}/notes",
    response=responses({201: DossierNoteOut}, 403, 404),
    summary="Add an internal note (never sent to the citizen)",
)
def note_add(request: HttpRequest, key: str, payload: DossierNoteIn) -> Any:
    note: DossierNote = services.note_add(
        actor=actor(request), dossier=_get(request, key), text_=payload.text
    )
    return Status(201, note)


@router.post(
    "/dossiers/{key}/document-requests",
    response=responses({201: DocumentRequestOut}, 403, 404),
    summary="Ask a supporting document from the applicant or another body",
)
def document_request_create(
    request: HttpRequest, key: str, payload: DocumentRequestIn
) -> Any:
    dossier = _get(request, key)
    party = (
        DossierParty.objects.filter(dossier=dossier, role="applicant").first()
        if payload.applicant
        else None
    )
    asked = services.document_request_create(
        actor=actor(request),
        dossier=dossier,
        description=payload.description,
        due_on=payload.due_on,
        document_code=payload.document_code,
        party=party,
        body=payload.body,
    )
    return Status(201, asked)


@router.post(
    "/dossiers/{key}/document-requests/{request_id}/answer",
    response=responses({200: DocumentRequestOut}, 403, 404),
    summary="The document asked for arrived",
)
def document_request_answer(request: HttpRequest, key: str, request_id: UUID) -> Any:
    dossier = _get(request, key)
    asked = DocumentRequest.objects.filter(dossier=dossier, uuid=request_id).first()
    if asked is None:
        raise NotFound(_("No such document request."))
    return services.document_request_answer(
        actor=actor(request), document_request=asked
    )


@router.post(
    "/dossiers/{key}/suspend",
    response=responses({200: DossierOut}, 403, 404, 412, 428),
    summary="Stop the clock, with a reason (If-Match required)",
)
def dossier_suspend(
    request: HttpRequest, response: HttpResponse, key: str, payload: DossierReasonIn
) -> Any:
    version = expected_version(request)
    return _answer(
        response,
        services.dossier_suspend(
            actor=actor(request),
            dossier=_get(request, key),
            expected_version=version,
            reason=payload.reason,
            until=payload.until,
        ),
    )


@router.post(
    "/dossiers/{key}/resume",
    response=responses({200: DossierOut}, 403, 404, 412, 428),
    summary="Restart the clock (If-Match required)",
)
def dossier_resume(request: HttpRequest, response: HttpResponse, key: str) -> Any:
    version = expected_version(request)
    return _answer(
        response,
        services.dossier_resume(
            actor=actor(request), dossier=_get(request, key), expected_version=version
        ),
    )


@router.post(
    "/dossiers/{key}/extend",
    response=responses({200: DossierOut}, 403, 404, 412, 428),
    summary="Extend the legal deadline once (If-Match required)",
)
def dossier_extend(
    request: HttpRequest, response: HttpResponse, key: str, payload: DossierReasonIn
) -> Any:
    version = expected_version(request)
    return _answer(
        response,
        services.dossier_extend(
            actor=actor(request),
            dossier=_get(request, key),
            expected_version=version,
            reason=payload.reason,
        ),
    )


@router.post(
    "/dossiers/{key}/decision",
    response=responses({200: DossierOut}, 403, 404, 412, 428),
    summary="Propose the decision with its motivation (If-Match required)",
)
def decision_propose(
    request: HttpRequest, response: HttpResponse, key: str, payload: ProposeIn
) -> Any:
    version = expected_version(request)
    return _answer(
        response,
        services.decision_propose(
            actor=actor(request),
            dossier=_get(request, key),
            expected_version=version,
            decision_type=payload.decision_type,
            result=payload.result,
            motivation=payload.motivation,
            checklist=payload.checklist,
        ),
    )


@router.post(
    "/dossiers/{key}/decision/approve",
    response=responses({200: DossierOut}, 403, 404, 412, 428),
    summary="Approve the proposed decision: four eyes (If-Match required)",
)
def decision_approve(
    request: HttpRequest, response: HttpResponse, key: str, payload: ReviewIn
) -> Any:
    version = expected_version(request)
    return _answer(
        response,
        services.decision_approve(
            actor=actor(request),
            dossier=_get(request, key),
            expected_version=version,
            text_=payload.text,
            checklist=payload.checklist,
        ),
    )


@router.post(
    "/dossiers/{key}/decision/refuse",
    response=responses({200: DossierOut}, 403, 404, 412, 428),
    summary="Refuse the proposed decision, with the reason (If-Match required)",
)
def decision_refuse(
    request: HttpRequest, response: HttpResponse, key: str, payload: ReviewIn
) -> Any:
    version = expected_version(request)
    return _answer(
        response,
        services.decision_refuse(
            actor=actor(request),
            dossier=_get(request, key),
            expected_version=version,
            text_=payload.text,
            checklist=payload.checklist,
        ),
    )


@router.post(
    "/dossiers/{key}/external-decision",
    response=responses({200: DossierOut}, 403, 404, 412, 428),
    summary="Record the decision of the body the dossier went to (If-Match required)",
)
def external_decision(
    request: HttpRequest,
    response: HttpResponse,
    key: str,
    payload: ExternalDecisionIn,
) -> Any:
    version = expected_version(request)
    return _answer(
        response,
        services.external_decision_record(
            actor=actor(request),
            dossier=_get(request, key),
            expected_version=version,
            decision_type=payload.decision_type,
            result=payload.result,
            decided_on=payload.decided_on,
            body=payload.body,
            body_reference=payload.body_reference,
            motivation=payload.motivation,
            checklist=payload.checklist,
        ),
    )


@router.post(
    "/dossiers/{key}/close",
    response=responses({200: DossierOut}, 403, 404, 412, 428),
    summary="Close the dossier with its result (If-Match required)",
)
def dossier_close(
    request: HttpRequest, response: HttpResponse, key: str, payload: CloseIn
) -> Any:
    version = expected_version(request)
    return _answer(
        response,
        services.dossier_close(
            actor=actor(request),
            dossier=_get(request, key),
            expected_version=version,
            result=payload.result,
            text_=payload.text,
            checklist=payload.checklist,
        ),
    )
