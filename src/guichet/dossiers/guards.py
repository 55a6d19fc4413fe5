"""The guards and effects the case types name, implemented for dossiers.

`casetypes.registry` declares the names (a case-type file names them; it never
carries code); this module attaches their code at start-up (`apps.ready`). A
guard answers `GuardOutcome` (passed, or a stable code and a reason for the
agent); an effect changes the dossier inside the transition's transaction, through
the `Context` it is given, and may refuse with `ValidationFailed`, which undoes the
whole transition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NoReturn

from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Agent
from guichet.calendars.business_time import Calendar
from guichet.casetypes.deadlines import deadline
from guichet.casetypes.definition import (
    Definition,
    RequiredDocument,
    Transition,
    fee_in_force,
    required_documents,
)
from guichet.casetypes.registry import EFFECTS, GUARDS, GuardOutcome
from guichet.core import clock
from guichet.core.errors import ValidationFailed
from guichet.core.validation import Problems

from . import hooks
from .errors import Code
from .export import package_build
from .models import (
    Decision,
    DecisionState,
    DocumentRequest,
    Dossier,
    DossierEvent,
    DossierFee,
    DossierParty,
    DossierSuspension,
    DossierTask,
    EventKind,
    PartyRole,
)


@dataclass(frozen=True)
class DecisionInput:
    """A decision proposed on a transition that records one."""

    decision_type: str
    result: str
    motivation: str


@dataclass
class Context:
    """What a guard reads and an effect writes during one transition. `values` are
    the dossier's columns to write with the new version when the transition ends."""

    dossier: Dossier
    definition: Definition
    transition: Transition
    actor: Agent
    calendar: Calendar
    today: dt.date
    checklist: Mapping[str, bool] = field(default_factory=dict)
    text: str = ""
    result: str = ""
    decision: DecisionInput | None = None
    fee_amount: Decimal | None = None
    completion_due: dt.date | None = None
    values: dict[str, Any] = field(default_factory=dict)
    events: list[DossierEvent] = field(default_factory=list)
    # The dossier's documents with their checks, read once for every guard that
    # needs them (given by the caller that already read them, else on first use).
    documents: list[hooks.DocumentState] | None = None

    def document_states(self) -> list[hooks.DocumentState]:
        if self.documents is None:
            self.documents = hooks.dossier_documents(self.dossier)
        return self.documents

    def event(self, kind: str, *, text_: str = "", **data: Any) -> None:
        self.events.append(
            DossierEvent(
                dossier=self.dossier,
                kind=kind,
                agent=self.actor,
                transition=self.transition.code,
                text=text_,
                data=data,
            )
        )

    def refuse(
        self, field_name: str, code: str, message: Any, **params: Any
    ) -> NoReturn:
        problems = Problems()
        problems.add(field_name, code, message, **params)
        raise ValidationFailed(problems.message, errors=problems.errors)


PASSED = GuardOutcome(passed=True)


def _failed(code: str, message: Any) -> GuardOutcome:
    return GuardOutcome(passed=False, code=code, message=message)


# ---------------------------------------------------------------- documents


def missing_documents(
    dossier: Dossier,
    definition: Definition,
    states: list[hooks.DocumentState] | None = None,
) -> list[RequiredDocument]:
    """The required documents (given the dossier's facts) none of its documents
    answers without a failed check (`states`: its documents, when already read)."""
    if states is None:
        states = hooks.dossier_documents(dossier)
    present = {state.code for state in states if not state.failed}
    return [
        document
        for document in required_documents(definition, dossier.facts)
        if document.code not in present
    ]


def failed_checks(
    dossier: Dossier,
    definition: Definition,
    states: list[hooks.DocumentState] | None = None,
) -> list[str]:
    """`document:check` for each check a required document needs and has not passed."""
    if states is None:
        states = hooks.dossier_documents(dossier)
    failing: list[str] = []
    for document in required_documents(definition, dossier.facts):
        passed: set[str] = set()
        for state in states:
            if state.code == document.code:
                passed |= set(state.passed) - set(state.failed)
        failing.extend(
            f"{document.code}:{check}"
            for check in document.checks
            if check not in passed
        )
    return failing


def documents_complete(ctx: Context) -> GuardOutcome:
    missing = missing_documents(ctx.dossier, ctx.definition, ctx.document_states())
    if missing:
        return _failed(
            "documents_missing",
            _("Documents still missing: %(names)s.")
            % {
                "names": ", ".join(
                    d.names.get(ctx.actor.language or "en") for d in missing
                )
            },
        )
    return PASSED


def checks_passed(ctx: Context) -> GuardOutcome:
    failing = failed_checks(ctx.dossier, ctx.definition, ctx.document_states())
    if failing:
        return _failed(
            "checks_not_passed",
            _("Checks not passed yet: %(checks)s.") % {"checks": ", ".join(failing)},
        )
    return PASSED


def checklist_answered(ctx: Context) -> GuardOutcome:
    status = ctx.definition.status(ctx.dossier.status)
    open_items = [
        item.code
        for item in status.checklist
        if item.required and ctx.checklist.get(item.code) is not True
    ]
    if open_items:
        return _failed(
            Code.CHECKLIST_MISSING,
            _("Answer yes to every question of the checklist first: %(items)s.")
            % {"items": ", ".join(open_items)},
        )
    return PASSED


def _pending(dossier: Dossier) -> Decision | None:
    return Decision.objects.filter(
        dossier=dossier, state=DecisionState.PROPOSED
    ).first()


def decision_proposed(ctx: Context) -> GuardOutcome:
    if _pending(ctx.dossier) is None:
        return _failed("no_decision_proposed", _("No decision is proposed."))
    return PASSED


def decision_approved(ctx: Context) -> GuardOutcome:
    latest = Decision.objects.filter(dossier=ctx.dossier).order_by("-id").first()
    if latest is None or latest.state not in (
        DecisionState.APPROVED,
        DecisionState.FINAL,
    ):
        return _failed(
            "decision_not_approved",
            _("The proposed decision is not approved by a second agent."),
        )
    return PASSED


def fee_paid(ctx: Context) -> GuardOutcome:
    due = [
        fee for fee in ctx.definition.fees if fee_in_force(fee, ctx.dossier.received_on)
    ]
    if not due:
        return PASSED
    fees = list(DossierFee.objects.filter(dossier=ctx.dossier))
    if not fees:
        return _failed(
            "fee_not_requested", _("The fee has not been put on the dossier.")
        )
    if not all(fee.settled for fee in fees):
        return _failed("fee_not_paid", _("The fee due on the dossier is not paid."))
    return PASSED


# The facts of the dossier a guard reads, which the agent records on the workbench.
GUARD_FACTS: dict[str, tuple[str, ...]] = {"appointment_held": ("appointment_held",)}


def appointment_held(ctx: Context) -> GuardOutcome:
    if ctx.dossier.facts.get("appointment_held") is not True:
        return _failed(
            "appointment_not_held",
            _("The appointment (biometrics) is not recorded as held."),
        )
    return PASSED


def transmission_sent(ctx: Context) -> GuardOutcome:
    if ctx.dossier.transmitted_at is None:
        return _failed("not_transmitted", _("The dossier has not been transmitted."))
    return PASSED


def external_decision_recorded(ctx: Context) -> GuardOutcome:
    if not Decision.objects.filter(
        dossier=ctx.dossier, state=DecisionState.RECORDED
    ).exists():
        return _failed(
            "no_external_decision", _("The other body's decision is not recorded.")
        )
    return PASSED


# ---------------------------------------------------------------- effects


def _recompute(ctx: Context, *, ending: bool = False) -> None:
    from .services import recompute_dues  # the one place dues are written

    ctx.values.update(
        recompute_dues(ctx.dossier, ctx.definition, ctx.calendar, ctx.today)
    )


def start_deadline(ctx: Context) -> None:
    ctx.values["clock_stopped_on"] = None
    _recompute(ctx)


def stop_deadline(ctx: Context) -> None:
    """Where the case type allows suspension, the clock stops (a suspension until
    the citizen answers); elsewhere the legal deadline keeps running and the
    dossier is only marked as waiting (docs/sources.md gives no suspension for these
    procedures)."""
    if ctx.dossier.suspended_since or ctx.dossier.clock_stopped_on:
        return
    if ctx.definition.deadlines.suspension_allowed:
        DossierSuspension.objects.create(
            dossier=ctx.dossier,
            reason=ctx.text or ctx.transition.code,
            started_on=ctx.today,
            created_by=ctx.actor,
        )
        ctx.values["suspended_since"] = ctx.today
        ctx.event(EventKind.SUSPENDED, text_=ctx.text)
    else:
        ctx.values["clock_stopped_on"] = ctx.today


def resume_deadline(ctx: Context) -> None:
    open_span = DossierSuspension.objects.filter(
        dossier=ctx.dossier, ended_on__isnull=True
    ).first()
    if open_span is not None:
        open_span.ended_on = ctx.today
        open_span.save(update_fields=["ended_on", "updated_at"])
        ctx.values["suspended_since"] = None
        ctx.event(EventKind.RESUMED)
    ctx.values["clock_stopped_on"] = None
    _recompute(ctx)


def create_task(ctx: Context) -> None:
    language = ctx.actor.language or "en"
    DossierTask.objects.create(
        dossier=ctx.dossier,
        title=str(ctx.definition.status(ctx.transition.target).names.get(language))[
            :200
        ],
        code=ctx.transition.code,
        team=ctx.dossier.team,
        assignee=ctx.dossier.owner,
        due_on=ctx.dossier.service_norm_due or ctx.dossier.processing_due,
        created_by=ctx.actor,
    )
    ctx.event(EventKind.TASK, code=ctx.transition.code)


def queue_letter(ctx: Context) -> None:
    if not ctx.transition.letters:
        return
    order = hooks.LetterOrder(
        dossier=ctx.dossier,
        actor=ctx.actor,
        transition=ctx.transition.code,
        letters=ctx.transition.letters,
    )
    for queuer in hooks.letter_queuers:
        queuer(order)
    ctx.event(
        EventKind.LETTER,
        letters=list(ctx.transition.letters),
        queued=bool(hooks.letter_queuers),
    )


def request_documents(ctx: Context) -> None:
    """One request per missing required document (or, when none is missing, one
    for what the agent wrote), due at the citizen's completion deadline."""
    due = ctx.completion_due
    completion = ctx.definition.deadlines.citizen_completion
    if due is None and completion is not None and completion.amount is not None:
        due = deadline(ctx.today, completion, ctx.calendar)
    if due is None:
        ctx.refuse(
            "completion_due",
            Code.DUE_DATE_REQUIRED,
            _("Give the day by which the citizen must send the documents."),
        )
    if due <= ctx.today:
        ctx.refuse(
            "completion_due",
            Code.DATE_IN_PAST,
            _("The deadline must be in the future."),
        )
    party = (
        DossierParty.objects.filter(dossier=ctx.dossier, role=PartyRole.APPLICANT)
        .order_by("id")
        .first()
    )
    language = ctx.actor.language or "en"
    missing = missing_documents(ctx.dossier, ctx.definition, ctx.document_states())
    rows = [
        DocumentRequest(
            dossier=ctx.dossier,
            document_code=document.code,
            description=document.names.get(language)[:200],
            party=party,
            due_on=due,
            asked_by=ctx.actor,
        )
        for document in missing
    ] or [
        DocumentRequest(
            dossier=ctx.dossier,
            description=(ctx.text or ctx.transition.code)[:200],
            party=party,
            due_on=due,
            asked_by=ctx.actor,
        )
    ]
    DocumentRequest.objects.bulk_create(rows)
    ctx.values["completion_due"] = due
    ctx.event(
        EventKind.DOCUMENT_REQUEST,
        documents=[row.document_code or row.description for row in rows],
        due_on=due.isoformat(),
    )


def record_decision(ctx: Context) -> None:
    """A proposal (the decision given to the transition), or the other body's
    recorded decision becoming the dossier's result."""
    if ctx.decision is not None:
        from .services import decision_row  # validation and four-eyes state

        decision_row(ctx, ctx.decision)
        return
    recorded = (
        Decision.objects.filter(dossier=ctx.dossier, state=DecisionState.RECORDED)
        .order_by("-id")
        .first()
    )
    if recorded is None:
        ctx.refuse(
            "decision",
            "no_external_decision",
            _("The other body's decision is not recorded."),
        )
    ctx.values["result_code"] = recorded.result_code


def export_package(ctx: Context) -> None:
    """Record the transmission to the deciding body and build its export package
    (a ZIP with its JSON manifest, the documents and a PDF/A summary: `export`)."""
    ctx.values["transmitted_at"] = clock.now()
    built = package_build(
        dossier=ctx.dossier,
        actor=ctx.actor,
        status=ctx.transition.target,
        transmitted_at=ctx.values["transmitted_at"],
        transition=ctx.transition.code,
    )
    ctx.event(
        EventKind.TRANSMITTED,
        text_=ctx.text,
        package=str(built.package.uuid),
        sha256=built.package.sha256,
    )


def request_payment(ctx: Context) -> None:
    from .services import fee_put  # the fee rules live with the services

    fee_put(ctx)


def schedule_retention(ctx: Context) -> None:
    from .services import retention_close

    retention_close(ctx)


GUARD_FUNCTIONS = {
    "documents_complete": documents_complete,
    "checks_passed": checks_passed,
    "decision_proposed": decision_proposed,
    "decision_approved": decision_approved,
    "fee_paid": fee_paid,
    "appointment_held": appointment_held,
    "transmission_sent": transmission_sent,
    "external_decision_recorded": external_decision_recorded,
    "checklist_answered": checklist_answered,
}

EFFECT_FUNCTIONS = {
    "start_deadline": start_deadline,
    "stop_deadline": stop_deadline,
    "resume_deadline": resume_deadline,
    "create_task": create_task,
    "queue_letter": queue_letter,
    "request_documents": request_documents,
    "record_decision": record_decision,
    "export_package": export_package,
    "request_payment": request_payment,
    "schedule_retention": schedule_retention,
}

for _name, _function in GUARD_FUNCTIONS.items():
    GUARDS.implement(_name, _function)
for _name, _effect in EFFECT_FUNCTIONS.items():
    EFFECTS.implement(_name, _effect)

__all__ = ["Context", "DecisionInput", "ValidationFailed"]
