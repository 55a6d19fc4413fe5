"""Opening and working on dossiers: every write of this app.

Every service checks the policy (a dossier the agent may not see is `NotFound`,
as if it did not exist), validates all of its input, and writes in one
transaction with its audit record. Edits of the dossier name the version they
were based on (`core.versioning`): the second of two agents is told it changed.

A transition (`dossier_transition`) is the case type's: only those the agent's
roles and level allow from the current status (`allowed_transitions`); its guards
run through `casetypes.registry.GUARDS` (each failure a coded reason); its effects
run in the same transaction; a refusal changes nothing. The decision, closing and
external-decision services are the same transitions with what they record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.contacts import Action as ContactAction
from guichet.access.domains.dossiers import Action
from guichet.access.domains.parties import Action as PartyAction
from guichet.access.domains.servicerequests import Action as RequestAction
from guichet.agents.models import LEVEL_RANK, Agent
from guichet.audit.services import audit_record
from guichet.calendars.business_time import Calendar
from guichet.calendars.selectors import calendar_for_team
from guichet.casetypes.deadlines import deadline
from guichet.casetypes.definition import (
    Definition,
    Transition,
    allowed_transitions,
    fee_in_force,
    may_approve,
)
from guichet.casetypes.registry import EFFECTS, GUARDS, NotImplementedYet
from guichet.casetypes.selectors import casetype_current, version_definition
from guichet.contacts.models import Contact
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.core.validation import Problems, text
from guichet.core.versioning import check_version, versioned_update
from guichet.parties.models import Organisation, Person
from guichet.servicerequests.models import Request

from . import clock as dossier_clock
from . import hooks
from .errors import Code
from .guards import Context, DecisionInput
from .hooks import DocumentState
from .models import (
    Decision,
    DecisionState,
    DocumentRequest,
    Dossier,
    DossierContact,
    DossierEvent,
    DossierFee,
    DossierNote,
    DossierParty,
    DossierRequest,
    DossierSuspension,
    DossierTask,
    EventKind,
    PartyRole,
)

TEXT_MAX = 8000
REASON_MAX = 500
FACT_KEY_MAX = 64
Party = Person | Organisation


def _not_found() -> NotFound:
    return NotFound(_("There is no such dossier."))


def _require(actor: Agent, action: str, dossier: Dossier) -> None:
    """The dossier must be seen (else it does not exist), the action allowed, and
    the dossier still writable: every write of this app passes here, so an
    archived or destroyed dossier (`retention.py`) refuses them all."""
    if not policy.may(actor, Action.DOSSIER_VIEW, dossier):
        raise _not_found()
    policy.require(actor, action, dossier)
    retention_check(dossier)


def retention_check(dossier: Dossier) -> None:
    """Refuse any change to a dossier at the end of its retention (also called by
    the apps above, as `documents` when a document names a dossier)."""
    problems = Problems()
    if dossier.destroyed_at is not None:
        problems.add(
            "dossier",
            Code.DESTROYED,
            _("The dossier was destroyed at the end of its retention period."),
        )
    elif dossier.archived_at is not None:
        problems.add(
            "dossier",
            Code.ARCHIVED,
            _("The dossier is archived: it can be read, no longer changed."),
        )
    problems.raise_if_any()


def definition_of(dossier: Dossier) -> Definition:
    return version_definition(dossier.case_type_version)


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)


def _event(
    dossier: Dossier, kind: str, actor: Agent | None, *, text_: str = "", **data: Any
) -> DossierEvent:
    return DossierEvent(dossier=dossier, kind=kind, agent=actor, text=text_, data=data)


def _open_check(problems: Problems, dossier: Dossier) -> None:
    if dossier.closed_at is not None:
        problems.add("dossier", Code.CLOSED, _("The dossier is closed."))


# ---------------------------------------------------------------- deadlines


def _suspension_days(dossier: Dossier, today: dt.date) -> tuple[Any, ...]:
    spans = DossierSuspension.objects.filter(dossier=dossier).values_list(
        "started_on", "ended_on", "planned_end"
    )
    return dossier_clock.stopped_days(
        ((start, end if end is not None else planned) for start, end, planned in spans),
        today=today,
    )


def recompute_dues(
    dossier: Dossier, definition: Definition, calendar: Calendar, today: dt.date
) -> dict[str, Any]:
    """The stored due dates, from the day received, suspensions taken out. An open
    suspension counts to its planned end, or to today when it has none (it is
    counted again when it ends)."""
    dues = dossier_clock.dues(
        received_on=dossier.received_on,
        deadlines=definition.deadlines,
        calendar=calendar,
        suspensions=_suspension_days(dossier, today),
        is_extended=dossier.extended_on is not None,
    )
    values: dict[str, Any] = {
        "processing_due": dues.processing,
        "service_norm_due": dues.service_norm,
    }
    if dossier.completion_due is None:
        values["completion_due"] = dues.completion
    return values


# ---------------------------------------------------------------- opening


@dataclass(frozen=True)
class PartyInput:
    role: str
    party: Party


def _visible_party(actor: Agent, party: Party) -> bool:
    if isinstance(party, Person):
        return policy.may(actor, PartyAction.PERSON_VIEW, party)
    return policy.may(actor, PartyAction.ORGANISATION_VIEW, party)


def _party_row(dossier: Dossier, role: str, party: Party) -> DossierParty:
    if isinstance(party, Person):
        return DossierParty(dossier=dossier, role=role, person=party)
    return DossierParty(dossier=dossier, role=role, organisation=party)


def _clean_facts(problems: Problems, facts: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in facts.items():
        if (
            not isinstance(key, str)
            or not key
            or len(key) > FACT_KEY_MAX
            or not key.replace("_", "").isalnum()
        ):
            problems.add("facts", Code.UNKNOWN_FACT, _("A fact has no valid name."))
            continue
        if not isinstance(value, str | int | float | bool | type(None) | list):
            problems.add(
                "facts",
                Code.UNKNOWN_FACT,
                _("Fact %(name)s is no plain value."),
                name=key,
            )
            continue
        cleaned[key] = value
    return cleaned


def dossier_open(
    *,
    actor: Agent,
    case_type: str,
    applicant: Party,
    parties: Sequence[PartyInput] = (),
    facts: Mapping[str, Any] | None = None,
    request: Request | None = None,
    contact: Contact | None = None,
    received_on: dt.date | None = None,
    owner: Agent | None = None,
) -> Dossier:
    """Open a dossier under the case type's version in force on the day received,
    in its owning team, with its parties, and start its deadlines."""
    policy.require(actor, Action.DOSSIER_OPEN)
    problems = Problems()
    today = clock.today()
    day = received_on or today
    if day > today:
        problems.add(
            "received_on",
            Code.DATE_IN_FUTURE,
            _("A dossier is not received in the future."),
        )
    version = casetype_current(case_type, on=day)
    definition = version_definition(version)
    team = version.case_type.team
    if team.pk not in actor.team_ids:
        problems.add(
            "case_type",
            Code.NOT_A_MEMBER,
            _("Only the team that handles this case type opens its dossiers."),
        )
    if not _visible_party(actor, applicant):
        raise NotFound(_("There is no such person or organisation."))
    seen_parties: set[tuple[str, str, int]] = set()
    for item in parties:
        if not _visible_party(actor, item.party):
            raise NotFound(_("There is no such person or organisation."))
        key = (item.role, type(item.party).__name__, item.party.pk)
        if key in seen_parties:
            problems.add(
                "parties",
                Code.DUPLICATE_PARTY,
                _("A party is named twice in the same role."),
            )
        seen_parties.add(key)
        if item.role not in PartyRole.values or item.role == PartyRole.APPLICANT:
            problems.add(
                "parties",
                Code.UNKNOWN_FACT,
                _("Unknown role %(role)s."),
                role=item.role,
            )
    if request is not None and not policy.may(
        actor, RequestAction.REQUEST_VIEW, request
    ):
        raise NotFound(_("There is no such request."))
    if contact is not None and not policy.may(
        actor, ContactAction.CONTACT_VIEW, contact
    ):
        raise NotFound(_("There is no such contact."))
    if owner is not None and team.pk not in owner.team_ids:
        problems.add(
            "owner", Code.NOT_A_MEMBER, _("The owner must be of the dossier's team.")
        )
    cleaned_facts = _clean_facts(problems, facts or {})
    problems.raise_if_any()
    calendar = calendar_for_team(team=team)
    with transaction.atomic():
        dossier = Dossier.objects.create(
            case_type=version.case_type,
            case_type_version=version,
            team=team,
            owner=owner,
            created_by=actor,
            person=applicant if isinstance(applicant, Person) else None,
            organisation=applicant if isinstance(applicant, Organisation) else None,
            status=definition.initial_status.code,
            facts=cleaned_facts,
            received_on=day,
        )
        Dossier.objects.filter(pk=dossier.pk).update(
            **recompute_dues(dossier, definition, calendar, today)
        )
        DossierParty.objects.bulk_create(
            [_party_row(dossier, PartyRole.APPLICANT, applicant)]
            + [_party_row(dossier, item.role, item.party) for item in parties]
        )
        if request is not None:
            DossierRequest.objects.create(dossier=dossier, request=request)
        if contact is not None:
            DossierContact.objects.create(dossier=dossier, contact=contact)
        DossierEvent.objects.bulk_create(
            [
                _event(
                    dossier,
                    EventKind.OPENED,
                    actor,
                    case_type=case_type,
                    version=version.number,
                    status=dossier.status,
                )
            ]
        )
        audit_record(
            actor=actor,
            action="dossier.open",
            obj=dossier,
            summary={"case_type": case_type, "version": version.number},
        )
    dossier.refresh_from_db()
    return dossier


# ---------------------------------------------------------------- transitions


@dataclass(frozen=True)
class Offered:
    """A transition the agent may take now, or why its guards refuse it."""

    transition: Transition
    refusals: tuple[tuple[str, str], ...]  # (code, message) of failed guards

    @property
    def ready(self) -> bool:
        return not self.refusals


def _guard_refusals(ctx: Context) -> list[tuple[str, str]]:
    refusals = []
    for name in ctx.transition.guards:
        try:
            outcome = GUARDS.function(name)(ctx)
        except NotImplementedYet:
            refusals.append(
                (
                    str(Code.GUARD_MISSING),
                    str(_("A condition of this step has no code yet.")),
                )
            )
            continue
        if not outcome.passed:
            refusals.append((outcome.code, str(outcome.message)))
    return refusals


def _context(
    actor: Agent,
    dossier: Dossier,
    definition: Definition,
    transition: Transition,
    calendar: Calendar | None = None,
    **extra: Any,
) -> Context:
    return Context(
        dossier=dossier,
        definition=definition,
        transition=transition,
        actor=actor,
        calendar=calendar or calendar_for_team(team=dossier.team),
        today=clock.today(),
        **extra,
    )


def transitions_offered(
    *,
    actor: Agent,
    dossier: Dossier,
    checklist: Mapping[str, bool] | None = None,
    documents: list[DocumentState] | None = None,
) -> list[Offered]:
    """The transitions this agent may take from the dossier's status, each with the
    refusals of its guards (given the checklist answered so far). The dossier's
    documents (`documents`, when the caller read them) are read at most once for
    all the guards."""
    if not policy.may(actor, Action.DOSSIER_WORK, dossier):
        return []
    if dossier.archived_at is not None or dossier.destroyed_at is not None:
        return []
    definition = definition_of(dossier)
    calendar = calendar_for_team(team=dossier.team)
    offered = []
    for transition in allowed_transitions(
        definition, dossier.status, actor.role_codes, actor.level
    ):
        ctx = _context(
            actor,
            dossier,
            definition,
            transition,
            calendar,
            checklist=checklist or {},
            documents=documents,
        )
        offered.append(Offered(transition, tuple(_guard_refusals(ctx))))
        documents = ctx.documents
    return offered


def _find_transition(
    problems: Problems,
    actor: Agent,
    dossier: Dossier,
    definition: Definition,
    code: str,
) -> Transition | None:
    try:
        transition = definition.transition(code)
    except KeyError:
        problems.add(
            "transition", Code.NO_SUCH_TRANSITION, _("This case type has no such step.")
        )
        return None
    if dossier.status not in transition.sources:
        problems.add(
            "transition",
            Code.TRANSITION_NOT_ALLOWED,
            _("This step cannot be taken from status %(status)s."),
            status=dossier.status,
        )
        return None
    if not set(actor.role_codes) & set(transition.roles) or (
        LEVEL_RANK[actor.level] < LEVEL_RANK[transition.min_level]
    ):
        problems.add(
            "transition",
            Code.ROLE_OR_LEVEL,
            _("This step is for %(roles)s of level %(level)s or higher."),
            roles=", ".join(transition.roles),
            level=transition.min_level,
        )
        return None
    return transition


def _clean_checklist(
    problems: Problems, definition: Definition, status: str, answers: Mapping[str, Any]
) -> dict[str, bool]:
    known = {item.code for item in definition.status(status).checklist}
    cleaned: dict[str, bool] = {}
    for code, answer in answers.items():
        if code not in known:
            problems.add(
                "checklist",
                Code.CHECKLIST_UNKNOWN,
                _("No question %(question)s here."),
                question=code,
            )
        elif not isinstance(answer, bool):
            problems.add(
                "checklist",
                Code.CHECKLIST_UNKNOWN,
                _("Answer %(question)s with yes or no."),
                question=code,
            )
        else:
            cleaned[code] = answer
    return cleaned


def dossier_transition(
    *,
    actor: Agent,
    dossier: Dossier,
    expected_version: int,
    transition: str,
    checklist: Mapping[str, Any] | None = None,
    text_: str = "",
    result: str = "",
    decision: DecisionInput | None = None,
    fee_amount: Decimal | str | None = None,
    completion_due: dt.date | None = None,
) -> Dossier:
    """Take one step of the case type (see the module's docstring)."""
    _require(actor, Action.DOSSIER_WORK, dossier)
    with transaction.atomic():
        locked = _locked(dossier)
        check_version(locked, expected_version)
        _transition_locked(
            actor=actor,
            dossier=locked,
            expected_version=expected_version,
            code=transition,
            checklist=checklist or {},
            text_=text_,
            result=result,
            decision=decision,
            fee_amount=fee_amount,
            completion_due=completion_due,
        )
    dossier.refresh_from_db()
    return dossier


def _transition_locked(
    *,
    actor: Agent,
    dossier: Dossier,
    expected_version: int,
    code: str,
    checklist: Mapping[str, Any],
    text_: str,
    result: str = "",
    decision: DecisionInput | None = None,
    fee_amount: Decimal | str | None = None,
    completion_due: dt.date | None = None,
) -> None:
    definition = definition_of(dossier)
    problems = Problems()
    if dossier.status in {s.code for s in definition.final_statuses}:
        problems.add("dossier", Code.CLOSED, _("The dossier has reached its end."))
    problems.raise_if_any()
    move = _find_transition(problems, actor, dossier, definition, code)
    problems.raise_if_any()
    assert move is not None  # noqa: S101
    answers = _clean_checklist(problems, definition, dossier.status, checklist)
    written = text(
        problems,
        "text",
        text_,
        required=move.requires_text,
        max_length=TEXT_MAX,
        multiline=True,
    )
    amount = _amount(problems, fee_amount)
    problems.raise_if_any()
    ctx = _context(
        actor,
        dossier,
        definition,
        move,
        checklist=answers,
        text=written,
        result=result,
        decision=decision,
        fee_amount=amount,
        completion_due=completion_due,
    )
    refusals = _guard_refusals(ctx)
    for refusal_code, message in refusals:
        problems.add("guards", refusal_code, message)
    for name in move.effects:
        if name not in EFFECTS.names() or name in EFFECTS.unimplemented():
            problems.add(
                "effects", Code.EFFECT_MISSING, _("A step's effect has no code yet.")
            )
    problems.raise_if_any()
    for name in move.effects:
        EFFECTS.function(name)(ctx)
    ctx.values["status"] = move.target
    versioned_update(
        dossier, expected_version=expected_version, refresh=False, **ctx.values
    )
    DossierEvent.objects.bulk_create(
        [
            DossierEvent(
                dossier=dossier,
                kind=EventKind.STATUS,
                agent=actor,
                transition=move.code,
                from_status=dossier.status,
                to_status=move.target,
                text=written,
                data={"checklist": answers},
            ),
            *ctx.events,
        ]
    )
    audit_record(
        actor=actor,
        action="dossier.transition",
        obj=dossier,
        summary={"transition": move.code, "from": dossier.status, "to": move.target},
    )
    for listener in hooks.transition_listeners:
        listener(
            hooks.TransitionDone(dossier=dossier, actor=actor, transition=move.code)
        )


FEE_MAX = Decimal("99999999.99")  # DossierFee.amount: ten digits, two decimals


def _amount(problems: Problems, value: Decimal | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
        valid = (
            amount.is_finite()
            and Decimal(0) <= amount <= FEE_MAX
            and amount == amount.quantize(Decimal("0.01"))
        )
    except InvalidOperation:
        valid = False
    if not valid:
        problems.add(
            "fee_amount", Code.FEE_AMOUNT_REQUIRED, _("Give an amount in euros.")
        )
        return None
    return amount


def _transition_with(
    problems: Problems,
    actor: Agent,
    dossier: Dossier,
    definition: Definition,
    *,
    effect: str = "",
    guard: str = "",
    without_guard: str = "",
    target: str = "",
) -> str:
    """The code of the step from the current status that does this (the first in
    the file's order); a problem when there is none."""
    for transition in definition.transitions:
        if dossier.status not in transition.sources:
            continue
        if effect and effect not in transition.effects:
            continue
        if guard and guard not in transition.guards:
            continue
        if without_guard and without_guard in transition.guards:
            continue
        if target and transition.target != target:
            continue
        return transition.code
    problems.add(
        "transition",
        Code.TRANSITION_NOT_ALLOWED,
        _("This cannot be done while the dossier is %(status)s."),
        status=dossier.status,
    )
    return ""


# ---------------------------------------------------------------- facts


def dossier_facts_update(
    *, actor: Agent, dossier: Dossier, expected_version: int, facts: Mapping[str, Any]
) -> Dossier:
    """Set what is known of the case (the document's language, the applicant's age).
    A value None removes the fact."""
    _require(actor, Action.DOSSIER_WORK, dossier)
    problems = Problems()
    _open_check(problems, dossier)
    cleaned = _clean_facts(problems, facts)
    problems.raise_if_any()
    with transaction.atomic():
        locked = _locked(dossier)
        check_version(locked, expected_version)
        merged = {**locked.facts, **cleaned}
        merged = {key: value for key, value in merged.items() if value is not None}
        versioned_update(
            locked, expected_version=expected_version, refresh=False, facts=merged
        )
        DossierEvent.objects.bulk_create(
            [_event(locked, EventKind.FACTS, actor, facts=cleaned)]
        )
        audit_record(
            actor=actor,
            action="dossier.facts",
            obj=locked,
            summary={"facts": sorted(cleaned)},
        )
    dossier.refresh_from_db()
    return dossier


# ---------------------------------------------------------------- tasks, notes


def _team_member(problems: Problems, dossier: Dossier, agent: Agent | None) -> None:
    if agent is not None and (
        not agent.is_active or dossier.team_id not in agent.team_ids
    ):
        problems.add(
            "assignee",
            Code.NOT_A_MEMBER,
            _("Assign to a member of the dossier's team."),
        )


def task_create(
    *,
    actor: Agent,
    dossier: Dossier,
    title: str,
    assignee: Agent | None = None,
    due_on: dt.date | None = None,
) -> DossierTask:
    _require(actor, Action.DOSSIER_WORK, dossier)
    problems = Problems()
    _open_check(problems, dossier)
    cleaned = text(problems, "title", title, required=True, max_length=200)
    _team_member(problems, dossier, assignee)
    problems.raise_if_any()
    with transaction.atomic():
        task = DossierTask.objects.create(
            dossier=dossier,
            title=cleaned,
            team=dossier.team,
            assignee=assignee,
            due_on=due_on,
            created_by=actor,
        )
        DossierEvent.objects.bulk_create(
            [_event(dossier, EventKind.TASK, actor, text_=cleaned, task=str(task.uuid))]
        )
        audit_record(actor=actor, action="dossier.task_create", obj=task)
    return task


def task_assign(
    *, actor: Agent, task: DossierTask, assignee: Agent | None
) -> DossierTask:
    _require(actor, Action.DOSSIER_WORK, task.dossier)
    problems = Problems()
    _team_member(problems, task.dossier, assignee)
    if task.done_at is not None:
        problems.add("task", Code.ALREADY_DONE, _("The task is done."))
    problems.raise_if_any()
    with transaction.atomic():
        DossierTask.objects.filter(pk=task.pk).update(
            assignee=assignee, updated_at=clock.now()
        )
        DossierEvent.objects.bulk_create(
            [
                _event(
                    task.dossier,
                    EventKind.TASK,
                    actor,
                    task=str(task.uuid),
                    assignee=assignee.username if assignee else "",
                )
            ]
        )
        audit_record(actor=actor, action="dossier.task_assign", obj=task)
    task.refresh_from_db()
    return task


def task_done(*, actor: Agent, task: DossierTask) -> DossierTask:
    _require(actor, Action.DOSSIER_WORK, task.dossier)
    with transaction.atomic():
        updated = DossierTask.objects.filter(pk=task.pk, done_at__isnull=True).update(
            done_at=clock.now(), done_by=actor, updated_at=clock.now()
        )
        if not updated:
            problems = Problems()
            problems.add("task", Code.ALREADY_DONE, _("The task is done."))
            problems.raise_if_any()
        DossierEvent.objects.bulk_create(
            [
                _event(
                    task.dossier, EventKind.TASK, actor, task=str(task.uuid), done=True
                )
            ]
        )
        audit_record(actor=actor, action="dossier.task_done", obj=task)
    task.refresh_from_db()
    return task


def note_add(*, actor: Agent, dossier: Dossier, text_: str) -> DossierNote:
    """An internal note (agents only; never sent to the citizen)."""
    _require(actor, Action.DOSSIER_WORK, dossier)
    problems = Problems()
    written = text(
        problems, "text", text_, required=True, max_length=TEXT_MAX, multiline=True
    )
    problems.raise_if_any()
    with transaction.atomic():
        note = DossierNote.objects.create(dossier=dossier, author=actor, text=written)
        DossierEvent.objects.bulk_create(
            [_event(dossier, EventKind.NOTE, actor, note=str(note.uuid))]
        )
        audit_record(actor=actor, action="dossier.note", obj=dossier)
    return note


# ---------------------------------------------------------------- document requests


def document_request_create(
    *,
    actor: Agent,
    dossier: Dossier,
    description: str,
    due_on: dt.date,
    document_code: str = "",
    party: DossierParty | None = None,
    body: str = "",
) -> DocumentRequest:
    """Ask a supporting document from a party of the dossier or from another body."""
    _require(actor, Action.DOSSIER_WORK, dossier)
    problems = Problems()
    _open_check(problems, dossier)
    what = text(problems, "description", description, required=True, max_length=200)
    who = text(problems, "body", body, required=party is None, max_length=200)
    if party is not None and party.dossier_id != dossier.pk:
        raise NotFound(_("There is no such party."))
    if document_code and document_code not in {
        d.code for d in definition_of(dossier).documents
    }:
        problems.add(
            "document_code",
            Code.UNKNOWN_FACT,
            _("The case type asks no such document."),
        )
    if due_on <= clock.today():
        problems.add(
            "due_on", Code.DATE_IN_PAST, _("The deadline must be in the future.")
        )
    problems.raise_if_any()
    with transaction.atomic():
        asked = DocumentRequest.objects.create(
            dossier=dossier,
            document_code=document_code,
            description=what,
            party=party,
            body=who,
            due_on=due_on,
            asked_by=actor,
        )
        DossierEvent.objects.bulk_create(
            [
                _event(
                    dossier,
                    EventKind.DOCUMENT_REQUEST,
                    actor,
                    documents=[document_code or what],
                    due_on=due_on.isoformat(),
                )
            ]
        )
        audit_record(actor=actor, action="dossier.document_request", obj=asked)
    return asked


def document_request_answer(
    *, actor: Agent, document_request: DocumentRequest
) -> DocumentRequest:
    """The document asked for arrived (or the body answered)."""
    _require(actor, Action.DOSSIER_WORK, document_request.dossier)
    with transaction.atomic():
        updated = DocumentRequest.objects.filter(
            pk=document_request.pk, answered_at__isnull=True
        ).update(answered_at=clock.now(), answered_by=actor, updated_at=clock.now())
        if not updated:
            problems = Problems()
            problems.add(
                "document_request", Code.ALREADY_ANSWERED, _("Already answered.")
            )
            problems.raise_if_any()
        DossierEvent.objects.bulk_create(
            [
                _event(
                    document_request.dossier,
                    EventKind.DOCUMENT_ANSWER,
                    actor,
                    request=str(document_request.uuid),
                )
            ]
        )
        audit_record(
            actor=actor, action="dossier.document_answer", obj=document_request
        )
    document_request.refresh_from_db()
    return document_request


def document_requests_remind(*, today: dt.date | None = None) -> int:
    """Record a reminder, once, on every unanswered request whose deadline has come
    (periodic; idempotent: a request is reminded once per due day). The reminder
    letter is queued through `hooks.letter_queuers` with the code
    `documents_missing`."""
    day = today or clock.today()
    reminded = 0
    due = DocumentRequest.objects.filter(
        answered_at__isnull=True,
        due_on__lte=day,
        reminded_on__isnull=True,
        dossier__archived_at__isnull=True,  # read-only (retention.py)
    ).select_related("dossier", "asked_by")
    for asked in due:
        with transaction.atomic():
            if not DocumentRequest.objects.filter(
                pk=asked.pk, reminded_on__isnull=True
            ).update(reminded_on=day, updated_at=clock.now()):
                continue
            DossierEvent.objects.bulk_create(
                [
                    _event(
                        asked.dossier, EventKind.REMINDER, None, request=str(asked.uuid)
                    )
                ]
            )
            order = hooks.LetterOrder(
                dossier=asked.dossier,
                actor=asked.asked_by,
                transition="reminder",
                letters=("documents_missing",),
            )
            for queuer in hooks.letter_queuers:
                queuer(order)
            audit_record(actor=None, action="dossier.document_reminder", obj=asked)
            reminded += 1
    return reminded


# ---------------------------------------------------------------- suspension, extension


def dossier_suspend(
    *,
    actor: Agent,
    dossier: Dossier,
    expected_version: int,
    reason: str,
    until: dt.date | None = None,
) -> Dossier:
    """Stop the clock, with a reason and (when known) its planned end."""
    _require(actor, Action.DOSSIER_WORK, dossier)
    definition = definition_of(dossier)
    problems = Problems()
    _open_check(problems, dossier)
    why = text(problems, "reason", reason, required=True, max_length=REASON_MAX)
    today = clock.today()
    if not definition.deadlines.suspension_allowed:
        problems.add(
            "dossier", Code.NOT_SUSPENDABLE, _("This case type allows no suspension.")
        )
    if until is not None and until <= today:
        problems.add("until", Code.DATE_IN_PAST, _("The end must be in the future."))
    problems.raise_if_any()
    with transaction.atomic():
        locked = _locked(dossier)
        check_version(locked, expected_version)
        if locked.suspended_since is not None:
            problems.add(
                "dossier",
                Code.ALREADY_SUSPENDED,
                _("The dossier is already suspended."),
            )
            problems.raise_if_any()
        DossierSuspension.objects.create(
            dossier=locked,
            reason=why,
            started_on=today,
            planned_end=until,
            created_by=actor,
        )
        values = recompute_dues(
            locked, definition, calendar_for_team(team=locked.team), today
        )
        values["suspended_since"] = today
        versioned_update(
            locked, expected_version=expected_version, refresh=False, **values
        )
        DossierEvent.objects.bulk_create(
            [
                _event(
                    locked,
                    EventKind.SUSPENDED,
                    actor,
                    text_=why,
                    until=until.isoformat() if until else "",
                )
            ]
        )
        audit_record(actor=actor, action="dossier.suspend", obj=locked, reason=why)
    dossier.refresh_from_db()
    return dossier


def dossier_resume(*, actor: Agent, dossier: Dossier, expected_version: int) -> Dossier:
    """Restart the clock; the due dates move by the days it stood still."""
    _require(actor, Action.DOSSIER_WORK, dossier)
    today = clock.today()
    with transaction.atomic():
        locked = _locked(dossier)
        check_version(locked, expected_version)
        span = DossierSuspension.objects.filter(
            dossier=locked, ended_on__isnull=True
        ).first()
        if span is None:
            problems = Problems()
            problems.add(
                "dossier", Code.NOT_SUSPENDED, _("The dossier is not suspended.")
            )
            problems.raise_if_any()
        assert span is not None  # noqa: S101
        span.ended_on = today
        span.save(update_fields=["ended_on", "updated_at"])
        values = recompute_dues(
            locked, definition_of(locked), calendar_for_team(team=locked.team), today
        )
        values["suspended_since"] = None
        versioned_update(
            locked, expected_version=expected_version, refresh=False, **values
        )
        DossierEvent.objects.bulk_create([_event(locked, EventKind.RESUMED, actor)])
        audit_record(actor=actor, action="dossier.resume", obj=locked)
    dossier.refresh_from_db()
    return dossier


def dossier_extend(
    *, actor: Agent, dossier: Dossier, expected_version: int, reason: str
) -> Dossier:
    """Extend the legal deadline once, by the case type's `extension`."""
    _require(actor, Action.DOSSIER_WORK, dossier)
    definition = definition_of(dossier)
    problems = Problems()
    _open_check(problems, dossier)
    why = text(problems, "reason", reason, required=True, max_length=REASON_MAX)
    extension = definition.deadlines.extension
    if extension is None or extension.amount is None:
        problems.add(
            "dossier", Code.NOT_EXTENDABLE, _("This case type allows no extension.")
        )
    if dossier.extended_on is not None:
        problems.add(
            "dossier", Code.ALREADY_EXTENDED, _("The dossier was already extended.")
        )
    if dossier.processing_due is None:
        problems.add(
            "dossier", Code.NO_DEADLINE, _("The dossier has no legal deadline.")
        )
    problems.raise_if_any()
    today = clock.today()
    with transaction.atomic():
        locked = _locked(dossier)
        check_version(locked, expected_version)
        if locked.extended_on is not None:
            problems.add(
                "dossier", Code.ALREADY_EXTENDED, _("The dossier was already extended.")
            )
            problems.raise_if_any()
        locked.extended_on = today
        values = recompute_dues(
            locked, definition, calendar_for_team(team=locked.team), today
        )
        values["extended_on"] = today
        versioned_update(
            locked, expected_version=expected_version, refresh=False, **values
        )
        DossierEvent.objects.bulk_create(
            [
                _event(
                    locked,
                    EventKind.EXTENDED,
                    actor,
                    text_=why,
                    processing_due=str(values["processing_due"]),
                )
            ]
        )
        audit_record(actor=actor, action="dossier.extend", obj=locked, reason=why)
    dossier.refresh_from_db()
    return dossier


# ---------------------------------------------------------------- decisions


def _appeal_until(
    definition: Definition, decision_type: str, day: dt.date, calendar: Calendar
) -> dt.date | None:
    for kind in definition.decisions:
        if (
            kind.code == decision_type
            and kind.appeal_period
            and kind.appeal_period.amount is not None
        ):
            return deadline(day, kind.appeal_period, calendar)
    return None


def _decision_checks(
    problems: Problems, definition: Definition, decision_type: str, result: str
) -> None:
    if decision_type not in {d.code for d in definition.decisions}:
        problems.add(
            "decision_type", Code.UNKNOWN_DECISION_TYPE, _("No such decision type.")
        )
    if result not in {r.code for r in definition.results}:
        problems.add("result", Code.UNKNOWN_RESULT, _("No such result."))


def decision_row(ctx: Context, decision: DecisionInput) -> Decision:
    """The proposal recorded by a transition's `record_decision` effect: waiting for
    a second agent when its type asks four eyes, final otherwise."""
    problems = Problems()
    _decision_checks(problems, ctx.definition, decision.decision_type, decision.result)
    motivation = text(
        problems,
        "motivation",
        decision.motivation,
        required=True,
        max_length=TEXT_MAX,
        multiline=True,
    )
    kind = next(
        (d for d in ctx.definition.decisions if d.code == decision.decision_type), None
    )
    if kind is not None and kind.taken_by_other_body:
        problems.add(
            "decision_type",
            Code.TAKEN_BY_OTHER_BODY,
            _("Another body takes this decision; record it when it comes back."),
        )
    if Decision.objects.filter(
        dossier=ctx.dossier, state=DecisionState.PROPOSED
    ).exists():
        problems.add(
            "decision",
            Code.DECISION_PENDING,
            _("A decision is already waiting for approval."),
        )
    problems.raise_if_any()
    assert kind is not None  # noqa: S101
    final = kind.approval is None
    row = Decision.objects.create(
        dossier=ctx.dossier,
        decision_type=decision.decision_type,
        result_code=decision.result,
        motivation=motivation,
        state=DecisionState.FINAL if final else DecisionState.PROPOSED,
        proposed_by=ctx.actor,
        decided_on=ctx.today if final else None,
        appeal_until=(
            _appeal_until(ctx.definition, kind.code, ctx.today, ctx.calendar)
            if final
            else None
        ),
    )
    if final:
        ctx.values["result_code"] = decision.result
    ctx.event(
        EventKind.DECISION, decision=kind.code, result=decision.result, state=row.state
    )
    return row


def decision_propose(
    *,
    actor: Agent,
    dossier: Dossier,
    expected_version: int,
    decision_type: str,
    result: str,
    motivation: str,
    checklist: Mapping[str, Any] | None = None,
) -> Dossier:
    """Propose the decision with its motivation: the case type's step that records a
    decision from the current status (its guards apply: the fee paid...)."""
    problems = Problems()
    _require(actor, Action.DOSSIER_WORK, dossier)
    code = _transition_with(
        problems,
        actor,
        dossier,
        definition_of(dossier),
        effect="record_decision",
        without_guard="external_decision_recorded",
    )
    problems.raise_if_any()
    return dossier_transition(
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        transition=code,
        checklist=checklist,
        text_=motivation,
        decision=DecisionInput(decision_type, result, motivation),
    )


def _review(
    *,
    actor: Agent,
    dossier: Dossier,
    expected_version: int,
    approve: bool,
    text_: str,
    checklist: Mapping[str, Any] | None,
) -> Dossier:
    _require(actor, Action.DOSSIER_APPROVE, dossier)
    definition = definition_of(dossier)
    problems = Problems()
    written = text(
        problems,
        "text",
        text_,
        required=not approve,
        max_length=TEXT_MAX,
        multiline=True,
    )
    problems.raise_if_any()
    with transaction.atomic():
        locked = _locked(dossier)
        check_version(locked, expected_version)
        pending = (
            Decision.objects.select_for_update()
            .filter(dossier=locked, state=DecisionState.PROPOSED)
            .first()
        )
        if pending is None:
            problems.add(
                "decision",
                Code.NO_PENDING_DECISION,
                _("No decision is waiting for approval."),
            )
            problems.raise_if_any()
        assert pending is not None  # noqa: S101
        kind = next(d for d in definition.decisions if d.code == pending.decision_type)
        if not may_approve(
            kind,
            proposer_id=pending.proposed_by_id,
            approver_id=actor.pk,
            level=actor.level,
        ):
            if pending.proposed_by_id == actor.pk:
                problems.add(
                    "decision",
                    Code.FOUR_EYES,
                    _("The proposer may not approve or refuse their own decision."),
                )
            else:
                problems.add(
                    "decision",
                    Code.FOUR_EYES,
                    _("Approving this decision needs level %(level)s or higher."),
                    level=kind.approval.min_level if kind.approval else "",
                )
            problems.raise_if_any()
        today = clock.today()
        calendar = calendar_for_team(team=locked.team)
        pending.state = DecisionState.APPROVED if approve else DecisionState.REFUSED
        pending.reviewed_by = actor
        pending.reviewed_at = clock.now()
        pending.review_text = written
        if approve:
            pending.decided_on = today
            pending.appeal_until = _appeal_until(definition, kind.code, today, calendar)
        pending.save()
        if approve:
            code = _transition_with(
                problems, actor, locked, definition, guard="decision_approved"
            )
        else:
            code = _transition_with(
                problems,
                actor,
                locked,
                definition,
                without_guard="decision_approved",
            )
        problems.raise_if_any()
        _transition_locked(
            actor=actor,
            dossier=locked,
            expected_version=expected_version,
            code=code,
            checklist=checklist or {},
            text_=written,
        )
        if approve:
            Dossier.objects.filter(pk=locked.pk).update(result_code=pending.result_code)
        DossierEvent.objects.bulk_create(
            [
                _event(
                    locked,
                    EventKind.APPROVAL if approve else EventKind.REFUSAL,
                    actor,
                    text_=written,
                    decision=kind.code,
                    result=pending.result_code,
                )
            ]
        )
        audit_record(
            actor=actor,
            action="dossier.decision_approve" if approve else "dossier.decision_refuse",
            obj=pending,
            reason=written,
        )
    dossier.refresh_from_db()
    return dossier


def decision_approve(
    *,
    actor: Agent,
    dossier: Dossier,
    expected_version: int,
    text_: str = "",
    checklist: Mapping[str, Any] | None = None,
) -> Dossier:
    """Approve the pending decision (four eyes: never the proposer, at the decision
    type's level) and take the step that needs it."""
    return _review(
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        approve=True,
        text_=text_,
        checklist=checklist,
    )


def decision_refuse(
    *,
    actor: Agent,
    dossier: Dossier,
    expected_version: int,
    text_: str,
    checklist: Mapping[str, Any] | None = None,
) -> Dossier:
    """Refuse the pending decision, with the reason; the dossier goes back (the
    case type's step from the proposal that does not need the approval)."""
    return _review(
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        approve=False,
        text_=text_,
        checklist=checklist,
    )


def external_decision_record(
    *,
    actor: Agent,
    dossier: Dossier,
    expected_version: int,
    decision_type: str,
    result: str,
    decided_on: dt.date,
    body: str,
    body_reference: str = "",
    motivation: str = "",
    checklist: Mapping[str, Any] | None = None,
) -> Dossier:
    """Record the decision of the body the dossier was transmitted to, and take the
    case type's step that waits for it."""
    _require(actor, Action.DOSSIER_WORK, dossier)
    definition = definition_of(dossier)
    problems = Problems()
    _decision_checks(problems, definition, decision_type, result)
    who = text(problems, "body", body, required=True, max_length=200)
    reference = text(
        problems, "body_reference", body_reference, required=False, max_length=100
    )
    why = text(
        problems,
        "motivation",
        motivation,
        required=False,
        max_length=TEXT_MAX,
        multiline=True,
    )
    if decided_on > clock.today():
        problems.add(
            "decided_on",
            Code.DATE_IN_FUTURE,
            _("A decision is not taken in the future."),
        )
    if dossier.transmitted_at is None:
        problems.add(
            "dossier", "not_transmitted", _("The dossier has not been transmitted.")
        )
    problems.raise_if_any()
    with transaction.atomic():
        locked = _locked(dossier)
        check_version(locked, expected_version)
        code = _transition_with(
            problems, actor, locked, definition, guard="external_decision_recorded"
        )
        problems.raise_if_any()
        row = Decision.objects.create(
            dossier=locked,
            decision_type=decision_type,
            result_code=result,
            motivation=why,
            state=DecisionState.RECORDED,
            proposed_by=actor,
            body=who,
            body_reference=reference,
            decided_on=decided_on,
            appeal_until=_appeal_until(
                definition,
                decision_type,
                decided_on,
                calendar_for_team(team=locked.team),
            ),
        )
        _transition_locked(
            actor=actor,
            dossier=locked,
            expected_version=expected_version,
            code=code,
            checklist=checklist or {},
            text_=why,
        )
        Dossier.objects.filter(pk=locked.pk).update(result_code=result)
        DossierEvent.objects.bulk_create(
            [
                _event(
                    locked,
                    EventKind.EXTERNAL,
                    actor,
                    text_=why,
                    body=who,
                    result=result,
                    decision=decision_type,
                )
            ]
        )
        audit_record(actor=actor, action="dossier.external_decision", obj=row)
    dossier.refresh_from_db()
    return dossier


# ---------------------------------------------------------------- fees


def fee_put(ctx: Context) -> None:
    """The `request_payment` effect: the fee in force on the day received, unless
    one is on the dossier already. Several fees in force: the fact `fee_code`
    chooses; an amount the case type leaves to the service: the agent gives it.
    The fact `fee_exemption` (an exemption's code) exempts it."""
    if DossierFee.objects.filter(dossier=ctx.dossier).exists():
        return
    fees = [f for f in ctx.definition.fees if fee_in_force(f, ctx.dossier.received_on)]
    if not fees:
        return
    if len(fees) > 1:
        chosen = [f for f in fees if f.code == ctx.dossier.facts.get("fee_code")]
        if not chosen:
            ctx.refuse(
                "fee_code",
                Code.FEE_CHOICE_REQUIRED,
                _("Say which fee applies (fact fee_code): %(codes)s."),
                codes=", ".join(f.code for f in fees),
            )
        fees = chosen
    fee = fees[0]
    amount = fee.amount if fee.amount is not None else ctx.fee_amount
    if amount is None:
        ctx.refuse(
            "fee_amount", Code.FEE_AMOUNT_REQUIRED, _("Give the amount of the fee.")
        )
    exemption = str(ctx.dossier.facts.get("fee_exemption") or "")
    if exemption and exemption not in {e.code for e in fee.exemptions}:
        ctx.refuse("fee_exemption", Code.UNKNOWN_FACT, _("No such exemption."))
    DossierFee.objects.create(
        dossier=ctx.dossier,
        fee_code=fee.code,
        amount=amount,
        currency=fee.currency,
        exemption=exemption,
    )
    ctx.event(EventKind.FEE, fee=fee.code, amount=str(amount), exemption=exemption)


# ---------------------------------------------------------------- closing


def retention_close(ctx: Context) -> None:
    """The `schedule_retention` effect: the dossier is closed with its result, and
    the day it is archived or destroyed is computed from the result type's
    retention (from closure or from the decision). A period the case type leaves
    to the service gives no date yet (the archive task waits for it)."""
    result_code = ctx.result or ctx.dossier.result_code
    result = next((r for r in ctx.definition.results if r.code == result_code), None)
    if result is None:
        ctx.refuse(
            "result",
            Code.RESULT_REQUIRED,
            _("Say with which result the dossier closes."),
        )
    start = ctx.today
    if result.retention.counts_from == "decision":
        decided = (
            Decision.objects.filter(dossier=ctx.dossier, decided_on__isnull=False)
            .order_by("-decided_on")
            .values_list("decided_on", flat=True)
            .first()
        )
        start = decided or ctx.today
    period = result.retention.period
    ctx.values.update(
        result_code=result.code,
        closed_at=clock.now(),
        suspended_since=None,
        retention_until=(
            deadline(start, period, ctx.calendar) if period.amount is not None else None
        ),
        retention_then=result.retention.then or "",
    )
    DossierSuspension.objects.filter(dossier=ctx.dossier, ended_on__isnull=True).update(
        ended_on=ctx.today, updated_at=clock.now()
    )
    ctx.event(EventKind.CLOSED, result=result.code)


def dossier_close(
    *,
    actor: Agent,
    dossier: Dossier,
    expected_version: int,
    result: str = "",
    text_: str = "",
    checklist: Mapping[str, Any] | None = None,
) -> Dossier:
    """Close the dossier with its result (the case type's closing step from the
    current status: closing after the parties are informed, or a withdrawal)."""
    _require(actor, Action.DOSSIER_WORK, dossier)
    problems = Problems()
    code = _transition_with(
        problems, actor, dossier, definition_of(dossier), effect="schedule_retention"
    )
    problems.raise_if_any()
    return dossier_transition(
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        transition=code,
        checklist=checklist,
        text_=text_,
        result=result,
    )
