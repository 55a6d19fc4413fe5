"""Dossiers: the team queue, opening a dossier, a dossier's workbench with its
actions, the approval queue and the person's "Dossiers" tab.

Every read goes through `dossiers.selectors` (the policy and the access log),
every change through one service of `dossiers.services`; a refusal is shown next to
its field in the agent's language and changes nothing, a stale version shows the
dossier as it is now (409). The workbench offers only the steps the selector
returns for this agent (`Workbench.offered`); the view only turns codes into the
names the case type gives them in the agent's language.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from guichet.access import policy
from guichet.access.domains.cashbook import Action as CashbookAction
from guichet.access.domains.dossiers import Action
from guichet.agents.models import Agent, Team
from guichet.casetypes.definition import Definition, Transition
from guichet.casetypes.selectors import casetype_list, version_definition
from guichet.contacts import selectors as contact_selectors
from guichet.core import clock
from guichet.core.errors import NotFound, ValidationFailed
from guichet.dossiers import export, selectors, services
from guichet.dossiers.errors import Code
from guichet.dossiers.guards import GUARD_FACTS, DecisionInput
from guichet.dossiers.models import (
    DecisionState,
    Dossier,
    DossierEvent,
    EventKind,
)
from guichet.dossiers.selectors import QueueFilter, Workbench
from guichet.parties import selectors as party_selectors
from guichet.servicerequests import selectors as request_selectors
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import ServiceForm, submit
from guichet.ui.forms.dossiers import (
    DocumentRequestForm,
    ExtendForm,
    ExternalDecisionForm,
    FactForm,
    NoteForm,
    OpenForm,
    QueueFilterForm,
    ReviewForm,
    StepForm,
    SuspendForm,
    TaskAssignForm,
    TaskForm,
    VersionForm,
)
from guichet.ui.views.contacts import person_tabs
from guichet.ui.views.correspondence.common import _file

APPROVAL_STATUS = "decision_proposed"  # every shipped case type's status

workspace.register_section(
    workspace.Section(
        key="dossiers",
        label=_("Dossiers"),
        description=_("Your teams' dossiers, the earliest deadline first."),
        url_name="ui:dossier_queue",
        action=Action.DOSSIER_WORK,
        order=28,
    )
)
workspace.register_section(
    workspace.Section(
        key="approvals",
        label=_("Approvals"),
        description=_("Proposed decisions waiting for a second agent."),
        url_name="ui:dossier_approvals",
        action=Action.DOSSIER_APPROVE,
        order=29,
    )
)
workspace.register_person_tab(
    workspace.PersonTab(
        key="dossiers",
        label=_("Dossiers"),
        url_name="ui:person_dossiers",
        action=Action.DOSSIER_VIEW,
        order=115,
    )
)


def _language() -> str:
    return (get_language() or "en")[:2]


# ---------------------------------------------------------------- words


def days_left(due: dt.date | None, today: dt.date) -> str:
    """A deadline in words: "3 days left", "due today", "2 days overdue"."""
    if due is None:
        return ""
    days = (due - today).days
    if days == 0:
        return gettext("due today")
    if days > 0:
        return ngettext("%(days)d day left", "%(days)d days left", days) % {
            "days": days
        }
    return ngettext("%(days)d day overdue", "%(days)d days overdue", -days) % {
        "days": -days
    }


@dataclass(frozen=True)
class Names:
    """The case type's names of its codes, in the agent's language."""

    definition: Definition
    language: str

    def status(self, code: str) -> str:
        try:
            return self.definition.status(code).names.get(self.language)
        except KeyError:
            return code

    def document(self, code: str) -> str:
        for document in self.definition.documents:
            if document.code == code:
                return document.names.get(self.language)
        return code

    def decision(self, code: str) -> str:
        for decision in self.definition.decisions:
            if decision.code == code:
                return decision.names.get(self.language)
        return code

    def result(self, code: str) -> str:
        for result in self.definition.results:
            if result.code == code:
                return result.names.get(self.language)
        return code

    def transition(self, code: str) -> str:
        try:
            return self.definition.transition(code).names.get(self.language)
        except KeyError:
            return code


def event_words(event: DossierEvent, names: Names) -> str:
    """One timeline event in words, in the active language."""
    data: dict[str, Any] = event.data or {}
    kind = event.kind
    if kind == EventKind.OPENED:
        return gettext("Dossier opened (version %(version)s of the case type).") % {
            "version": data.get("version", "")
        }
    if kind == EventKind.STATUS:
        return gettext("%(step)s: from “%(old)s” to “%(new)s”.") % {
            "step": names.transition(event.transition),
            "old": names.status(event.from_status),
            "new": names.status(event.to_status),
        }
    if kind == EventKind.DOCUMENT_REQUEST:
        return gettext("Documents asked, due %(due)s: %(what)s.") % {
            "due": data.get("due_on", ""),
            "what": ", ".join(names.document(d) for d in data.get("documents", [])),
        }
    if kind in (EventKind.DECISION, EventKind.APPROVAL, EventKind.REFUSAL):
        return "%s: %s, %s." % (  # noqa: UP031 - a list of translated words
            str(event.get_kind_display()).capitalize(),
            names.decision(data.get("decision", "")),
            names.result(data.get("result", "")),
        )
    if kind == EventKind.CLOSED:
        return gettext("Closed with the result “%(result)s”.") % {
            "result": names.result(data.get("result", ""))
        }
    if kind == EventKind.ARCHIVED:
        return gettext("Archived at the end of its retention period: read-only.")
    if kind == EventKind.FEE and data.get("paid"):
        return gettext("Fee of %(amount)s EUR paid.") % {"amount": data["paid"]}
    if kind == EventKind.FEE and data.get("amount"):
        return gettext("Fee of %(amount)s EUR asked.") % {"amount": data["amount"]}
    return str(event.get_kind_display()).capitalize()


# ---------------------------------------------------------------- queue


def _case_types_of(
    agent: Agent, teams: list[tuple[str, str]] | None = None
) -> list[tuple[str, str, Definition]]:
    """The case types in force that the agent's teams handle (`teams`, as
    (code, name), when the caller has read them already)."""
    language = _language()
    codes = (
        {code for code, _name in teams}
        if teams is not None
        else set(
            Team.objects.filter(pk__in=agent.team_ids).values_list("code", flat=True)
        )
    )
    return [
        (
            listing.code,
            listing.names.get(language, listing.code),
            version_definition(listing.current),
        )
        for listing in casetype_list()
        if listing.team in codes and listing.current is not None
    ]


def _status_names(
    case_types: list[tuple[str, str, Definition]],
) -> dict[str, dict[str, str]]:
    language = _language()
    return {
        code: {s.code: s.names.get(language) for s in definition.statuses}
        for code, _name, definition in case_types
    }


@dataclass(frozen=True)
class Row:
    """A dossier of a list as the table prints it: plain values, so the template
    does no lookups through the dossier's related models (bench/RESULTS.md,
    "Dossiers": rendering 50 rows was half the queue page's CPU)."""

    reference: str
    url: str
    case_type: str
    applicant: str | None
    status: str
    suspended: bool
    owner: str | None
    due_date: dt.date | None
    due_iso: str
    due_short: str
    due: str
    overdue: bool


def _rows(
    dossiers: list[Dossier], case_types: list[tuple[str, str, Definition]]
) -> list[Row]:
    statuses = _status_names(case_types)
    names = {code: name for code, name, _definition in case_types}
    today = clock.today()
    # One reverse for the page, not one a row: references are URL-safe.
    url = reverse("ui:dossier_detail", args=["REFERENCE"])
    rows = []
    for dossier in dossiers:
        code = dossier.case_type.code
        due = dossier.processing_due or dossier.service_norm_due
        applicant = dossier.person or dossier.organisation
        owner = dossier.owner
        rows.append(
            Row(
                reference=dossier.reference,
                url=url.replace("REFERENCE", dossier.reference),
                case_type=names.get(code, dossier.case_type.name(_language())),
                applicant=str(applicant) if applicant is not None else None,
                status=statuses.get(code, {}).get(dossier.status, dossier.status),
                suspended=dossier.suspended_since is not None,
                owner=(owner.get_full_name() or owner.username) if owner else None,
                due_date=due,
                due_iso=due.isoformat() if due else "",
                due_short=date_format(due, "SHORT_DATE_FORMAT") if due else "",
                due=days_left(due, today) if dossier.closed_at is None else "",
                overdue=due is not None
                and due < today
                and dossier.closed_at is None
                and dossier.suspended_since is None,
            )
        )
    return rows


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


def _queue_page(
    request: HttpRequest, *, template: str, approvals: bool
) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.DOSSIER_APPROVE if approvals else Action.DOSSIER_WORK)
    teams = [
        (team.code, team.name)
        for team in Team.objects.filter(pk__in=agent.team_ids).order_by("code")
    ]
    case_types = _case_types_of(agent, teams)
    statuses = sorted(
        {
            (code, name)
            for names in _status_names(case_types).values()
            for code, name in names.items()
        },
        key=lambda item: item[1],
    )
    form = QueueFilterForm(
        request.GET or None,
        teams=teams,
        case_types=[(code, name) for code, name, _d in case_types],
        statuses=statuses,
    )
    values: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
    filters = QueueFilter(
        team=values.get("team", ""),
        status=APPROVAL_STATUS if approvals else values.get("status", ""),
        case_type=values.get("case_type", ""),
        owner=values.get("owner", ""),
        overdue=bool(values.get("overdue")),
        page=_page_number(request),
        to_review=approvals,
    )
    page = selectors.queue(agent=agent, filters=filters)
    query = request.GET.copy()
    query.pop("page", None)
    if approvals:
        del form.fields["status"]
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "rows": _rows(page.rows, case_types),
            "query": query.urlencode(),
            "may_open": policy.may(agent, Action.DOSSIER_OPEN),
        },
        status=200 if not form.is_bound or form.is_valid() else 422,
    )


@agent_required
def dossier_queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(
        request, template="ui/dossiers/dossier_queue.html", approvals=False
    )


@agent_required
def dossier_approvals(request: HttpRequest) -> HttpResponse:
    return _queue_page(
        request, template="ui/dossiers/dossier_approvals.html", approvals=True
    )


@agent_required
def person_dossiers(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.DOSSIER_VIEW)
    person = party_selectors.person_get_for_agent(agent=agent, person_id=person_id).obj
    dossiers = selectors.dossiers_of_person(agent=agent, person=person)
    return render(
        request,
        "ui/dossiers/person_dossiers.html",
        {
            "person": person,
            "tabs": person_tabs(agent, person, "dossiers"),
            "rows": _rows(dossiers, _case_types_of(agent)),
            "may_open": policy.may(agent, Action.DOSSIER_OPEN),
        },
    )


# ---------------------------------------------------------------- opening


@agent_required
def dossier_open(request: HttpRequest) -> HttpResponse:
    """Open a dossier for a person (from their Dossiers tab, a request or a
    contact): the case types in force of the agent's teams."""
    agent = agent_of(request)
    policy.require(agent, Action.DOSSIER_OPEN)
    case_types = [(code, name) for code, name, _d in _case_types_of(agent)]
    data = request.POST if request.method == "POST" else None
    initial = {
        "applicant": request.GET.get("person", ""),
        "request": request.GET.get("request", ""),
        "contact": request.GET.get("contact", ""),
    }
    form = OpenForm(data, initial=initial, case_types=case_types)
    source = data or initial
    person = party_selectors.person_get_for_agent(
        agent=agent, person_id=str(source.get("applicant", ""))
    ).obj
    origin = (
        request_selectors.request_get_for_agent(agent=agent, key=source["request"]).obj
        if source.get("request")
        else None
    )
    contact = (
        contact_selectors.contact_get_for_agent(agent=agent, uuid=source["contact"]).obj
        if source.get("contact")
        else None
    )
    if data is not None and form.is_valid():
        opened = submit(
            form,
            lambda: services.dossier_open(
                actor=agent,
                case_type=form.cleaned_data["case_type"],
                applicant=person,
                request=origin,
                contact=contact,
                received_on=form.cleaned_data["received_on"],
            ),
        )
        if opened is not None:
            messages.success(
                request,
                gettext("Dossier %(reference)s was opened.")
                % {"reference": opened.reference},
            )
            return redirect("ui:dossier_detail", opened.reference)
    return render(
        request,
        "ui/dossiers/dossier_open.html",
        {"form": form, "person": person, "origin": origin, "contact": contact},
        status=422 if data is not None else 200,
    )


# ---------------------------------------------------------------- workbench


@dataclass(frozen=True)
class Step:
    form: StepForm
    refusals: tuple[tuple[str, str], ...]
    title: str


def _members(dossier: Dossier) -> list[tuple[str, str]]:
    return [
        (agent.username, agent.get_full_name() or agent.username)
        for agent in Agent.objects.people()
        .filter(memberships__team_id=dossier.team_id)
        .order_by("last_name", "first_name", "username")
    ]


# The facts the shipped case types read, as the agent reads them; a fact of
# another case type shows its code with spaces.
FACT_NAMES = {
    "applicant_age": _("Age of the applicant"),
    "appointment_held": _("Biometrics appointment held"),
    "bridge_pension": _("Unemployment with company supplement (bridge pension)"),
    "c4_available": _("C4 certificate available"),
    "delivery_by_post": _("Delivery by post"),
    "document_language": _("Language of the document (code)"),
    "fee_code": _("Fee that applies (code)"),
    "fee_exemption": _("Fee exemption (code)"),
    "ground": _("Ground of the application (code)"),
    "legalises_own_signature": _("Legalisation of the applicant's own signature"),
    "previous_passport_available": _("Previous passport available"),
}


def fact_name(code: str) -> str:
    return str(FACT_NAMES.get(code) or code.replace("_", " "))


def _fact_names(definition: Definition) -> list[tuple[str, str]]:
    """The facts the case type reads: its documents' conditions, its fees' choice
    and exemption, and what its guards ask (the biometrics appointment held)."""
    codes = {c.fact for document in definition.documents for c in document.conditions}
    if definition.fees:
        codes |= {"fee_code", "fee_exemption"}
    for move in definition.transitions:
        for guard in move.guards:
            codes.update(GUARD_FACTS.get(guard, ()))
    return sorted(((code, fact_name(code)) for code in codes), key=lambda c: c[1])


def _is_review(move: Transition, wb: Workbench) -> bool:
    """A step taken by approving or refusing the pending decision. A decision that
    needs no approval is final when proposed: the step it allows is then an
    ordinary one, and there is no approval to refuse."""
    if wb.pending_decision is not None:
        return True
    approving = any("decision_approved" in o.transition.guards for o in wb.offered)
    return approving and "decision_approved" not in move.guards


def _is_external(move: Transition) -> bool:
    return "external_decision_recorded" in move.guards


def _forms(wb: Workbench, agent: Agent, given: dict[str, Any]) -> dict[str, Any]:
    """The forms of the workbench this agent may use now, blank unless `given`."""
    dossier = wb.seen.obj
    version = {"version": dossier.version}
    language = _language()
    found: dict[str, Any] = {"steps": []}
    if not wb.seen.may(Action.DOSSIER_WORK):
        return found
    if dossier.archived_at is not None or dossier.destroyed_at is not None:
        return found  # read-only at the end of retention (dossiers.retention)
    for offered in wb.offered:
        move = offered.transition
        if _is_review(move, wb):
            continue
        if _is_external(move):
            found["external"] = given.get("external") or ExternalDecisionForm(
                initial=version, definition=wb.definition, language=language
            )
            continue
        key = f"step-{move.code}"
        form = given.get(key) or StepForm(
            initial=version,
            definition=wb.definition,
            status=dossier.status,
            move=move,
            language=language,
        )
        # The checklist is in the form itself: its refusal would only repeat it.
        refusals = tuple(
            (code, message)
            for code, message in offered.refusals
            if code != Code.CHECKLIST_MISSING
        )
        found["steps"].append(Step(form, refusals, move.names.get(language)))
    pending = wb.pending_decision
    if "review" in given:  # a refused review shows why, whoever sent it
        found["review"] = given["review"]
    elif (
        pending is not None
        and wb.seen.may(Action.DOSSIER_APPROVE)
        and pending.proposed_by_id != agent.pk
        and any(_is_review(o.transition, wb) for o in wb.offered)
    ):
        found["review"] = ReviewForm(initial=version)
    if dossier.closed_at is not None:
        return found
    members = _members(dossier)
    found["task"] = given.get("task") or TaskForm(members=members)
    found["assign"] = {
        task.uuid: given.get(f"task-{task.uuid}")
        or TaskAssignForm(
            task=str(task.uuid),
            members=members,
            initial={"assignee": task.assignee.username if task.assignee else ""},
        )
        for task in wb.tasks
        if task.done_at is None
    }
    found["note"] = given.get("note") or NoteForm()
    found["docrequest"] = given.get("docrequest") or DocumentRequestForm(
        documents=[(d.code, d.names.get(language)) for d in wb.definition.documents]
    )
    facts = _fact_names(wb.definition)
    if facts:
        found["fact"] = given.get("fact") or FactForm(initial=version, names=facts)
    deadlines = wb.definition.deadlines
    if deadlines.suspension_allowed and dossier.suspended_since is None:
        found["suspend"] = given.get("suspend") or SuspendForm(initial=version)
    if dossier.suspended_since is not None:
        found["resume"] = VersionForm(initial=version)
    if (
        deadlines.extension is not None
        and deadlines.extension.amount is not None
        and dossier.extended_on is None
        and dossier.processing_due is not None
    ):
        found["extend"] = given.get("extend") or ExtendForm(initial=version)
    return found


def _pay_at_counter(wb: Workbench, agent: Agent) -> bool:
    """A fee is due and the agent takes payments: the counter screen takes it,
    with its numbered receipt and its place in the day's cash book (never a
    "paid" mark without the money recorded)."""
    dossier = wb.seen.obj
    return (
        dossier.archived_at is None
        and dossier.destroyed_at is None
        and any(fee.paid_at is None and not fee.exemption for fee in wb.fees)
        and policy.may(agent, CashbookAction.PAYMENT_RECORD)
    )


def _detail(
    request: HttpRequest,
    wb: Workbench,
    *,
    given: dict[str, Any] | None = None,
    status: int = 200,
    stale: bool = False,
) -> HttpResponse:
    agent = agent_of(request)
    dossier = wb.seen.obj
    language = _language()
    names = Names(wb.definition, language)
    today = clock.today()
    current = wb.definition.status(dossier.status)
    pending = wb.pending_decision
    return render(
        request,
        "ui/dossiers/dossier_detail.html",
        {
            "item": dossier,
            "wb": wb,
            "names": names,
            "case_type": wb.definition.names.get(language),
            "status_name": current.names.get(language),
            "citizen_text": current.citizen_text.get(language),
            "deadlines": [
                (label, due, days_left(due, today) if dossier.closed_at is None else "")
                for label, due in (
                    (gettext("Legal deadline"), dossier.processing_due),
                    (gettext("Service norm"), dossier.service_norm_due),
                    (gettext("File to be completed by"), dossier.completion_due),
                )
                if due is not None
            ],
            "events": [(event, event_words(event, names)) for event in wb.timeline],
            "documents": [
                (state, names.document(state.code) if state.code else "")
                for state in wb.documents
            ],
            "missing": [names.document(code) for code in wb.missing_documents],
            "decisions": [
                (d, names.decision(d.decision_type), names.result(d.result_code))
                for d in wb.decisions
            ],
            "pending": pending,
            "is_proposer": pending is not None and pending.proposed_by_id == agent.pk,
            "proposed": DecisionState.PROPOSED,
            "forms": _forms(wb, agent, given or {}),
            "pay_at_counter": _pay_at_counter(wb, agent),
            "stale": stale,
            "facts": [
                (fact_name(name), fact_words(value))
                for name, value in sorted(dossier.facts.items())
            ],
            "result_name": names.result(dossier.result_code)
            if dossier.result_code
            else "",
        },
        status=status,
    )


def _workbench(request: HttpRequest, reference: str) -> Workbench:
    return selectors.workbench(agent=agent_of(request), key=reference)


@agent_required
def dossier_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _detail(request, _workbench(request, reference))


@agent_required
def dossier_export_package(request: HttpRequest, reference: str) -> HttpResponse:
    """The latest export package of the dossier, as sent (a ZIP attachment)."""
    got = selectors.export_package_for_agent(agent=agent_of(request), key=reference)
    return _file(got.data, export.MEDIA_TYPE, got.filename)


def _act(
    request: HttpRequest,
    wb: Workbench,
    key: str,
    form: ServiceForm,
    call: Callable[[], object],
    done: str,
) -> HttpResponse:
    """Run one action's service for a bound form; on refusal show the workbench
    again with the form as typed (422), or the dossier as it is now (409)."""
    if form.is_valid():
        result = submit(form, call)
        if result is not None:
            messages.success(request, done)
            return redirect("ui:dossier_detail", wb.seen.obj.reference)
    if form.stale is not None:
        return _detail(
            request,
            _workbench(request, wb.seen.obj.reference),
            status=409,
            stale=True,
        )
    return _detail(request, wb, given={key: form}, status=422)


@agent_required
@require_POST
def dossier_step(request: HttpRequest, reference: str) -> HttpResponse:
    wb = _workbench(request, reference)
    agent = agent_of(request)
    code = request.POST.get("transition", "")
    offered = next((o for o in wb.offered if o.transition.code == code), None)
    if offered is None:
        # Not a step this agent may take now: the service says why, nothing changes.
        try:
            services.dossier_transition(
                actor=agent,
                dossier=wb.seen.obj,
                expected_version=wb.seen.obj.version,
                transition=code,
            )
        except ValidationFailed as error:
            messages.error(
                request, str(error.errors[0].text if error.errors else error.text)
            )
            return _detail(request, wb, status=422)
        return redirect("ui:dossier_detail", wb.seen.obj.reference)
    form = StepForm(
        request.POST,
        definition=wb.definition,
        status=wb.seen.obj.status,
        move=offered.transition,
        language=_language(),
    )

    def call() -> Dossier:
        data = form.cleaned_data
        decision = (
            DecisionInput(data["decision_type"], data["result"], data["text"])
            if "decision_type" in data
            else None
        )
        return services.dossier_transition(
            actor=agent,
            dossier=wb.seen.obj,
            expected_version=data["version"],
            transition=code,
            checklist=form.checklist(),
            text_=data["text"],
            result=data.get("result", "") if decision is None else "",
            decision=decision,
            fee_amount=data.get("fee_amount"),
            completion_due=data.get("completion_due"),
        )

    return _act(
        request,
        wb,
        f"step-{code}",
        form,
        call,
        gettext("Done: %(step)s.")
        % {"step": offered.transition.names.get(_language())},
    )


@agent_required
@require_POST
def dossier_review(request: HttpRequest, reference: str) -> HttpResponse:
    wb = _workbench(request, reference)
    agent = agent_of(request)
    form = ReviewForm(request.POST)
    approve = request.POST.get("verdict") == "approve"

    def call() -> Dossier:
        data = form.cleaned_data
        if approve:
            return services.decision_approve(
                actor=agent,
                dossier=wb.seen.obj,
                expected_version=data["version"],
                text_=data["text"],
            )
        return services.decision_refuse(
            actor=agent,
            dossier=wb.seen.obj,
            expected_version=data["version"],
            text_=data["text"],
        )

    done = (
        gettext("The decision was approved.")
        if approve
        else gettext("The approval was refused; the dossier went back.")
    )
    return _act(request, wb, "review", form, call, done)


@agent_required
@require_POST
def dossier_external(request: HttpRequest, reference: str) -> HttpResponse:
    wb = _workbench(request, reference)
    form = ExternalDecisionForm(
        request.POST, definition=wb.definition, language=_language()
    )

    def call() -> Dossier:
        data = form.cleaned_data
        return services.external_decision_record(
            actor=agent_of(request),
            dossier=wb.seen.obj,
            expected_version=data["version"],
            decision_type=data["decision_type"],
            result=data["result"],
            decided_on=data["decided_on"],
            body=data["body"],
            body_reference=data["body_reference"],
            motivation=data["motivation"],
        )

    return _act(
        request, wb, "external", form, call, gettext("The decision was recorded.")
    )


def _agent_named(username: str) -> Agent | None:
    return Agent.objects.filter(username=username).first() if username else None


@agent_required
@require_POST
def dossier_task(request: HttpRequest, reference: str) -> HttpResponse:
    wb = _workbench(request, reference)
    form = TaskForm(request.POST, members=_members(wb.seen.obj))
    return _act(
        request,
        wb,
        "task",
        form,
        lambda: services.task_create(
            actor=agent_of(request),
            dossier=wb.seen.obj,
            title=form.cleaned_data["title"],
            assignee=_agent_named(form.cleaned_data["assignee"]),
            due_on=form.cleaned_data["due_on"],
        ),
        gettext("The task was added."),
    )


def _task(wb: Workbench, task_id: uuid.UUID) -> Any:
    task = next((t for t in wb.tasks if t.uuid == task_id), None)
    if task is None:
        raise NotFound(gettext("There is no such task."))
    return task


@agent_required
@require_POST
def dossier_task_assign(
    request: HttpRequest, reference: str, task_id: uuid.UUID
) -> HttpResponse:
    wb = _workbench(request, reference)
    task = _task(wb, task_id)
    form = TaskAssignForm(
        request.POST, task=str(task.uuid), members=_members(wb.seen.obj)
    )
    return _act(
        request,
        wb,
        f"task-{task.uuid}",
        form,
        lambda: services.task_assign(
            actor=agent_of(request),
            task=task,
            assignee=_agent_named(form.cleaned_data["assignee"]),
        ),
        gettext("The task was assigned."),
    )


@agent_required
@require_POST
def dossier_task_done(
    request: HttpRequest, reference: str, task_id: uuid.UUID
) -> HttpResponse:
    wb = _workbench(request, reference)
    task = _task(wb, task_id)
    form = VersionForm({"version": wb.seen.obj.version})
    return _act(
        request,
        wb,
        "plain",
        form,
        lambda: services.task_done(actor=agent_of(request), task=task),
        gettext("The task is done."),
    )


@agent_required
@require_POST
def dossier_note(request: HttpRequest, reference: str) -> HttpResponse:
    wb = _workbench(request, reference)
    form = NoteForm(request.POST)
    return _act(
        request,
        wb,
        "note",
        form,
        lambda: services.note_add(
            actor=agent_of(request),
            dossier=wb.seen.obj,
            text_=form.cleaned_data["text"],
        ),
        gettext("The note was added."),
    )


@agent_required
@require_POST
def dossier_document_request(request: HttpRequest, reference: str) -> HttpResponse:
    wb = _workbench(request, reference)
    language = _language()
    form = DocumentRequestForm(
        request.POST,
        documents=[(d.code, d.names.get(language)) for d in wb.definition.documents],
    )

    def call() -> Any:
        data = form.cleaned_data
        code = data["document_code"]
        description = data["description"] or (
            Names(wb.definition, language).document(code) if code else ""
        )
        applicant = next((p for p in wb.parties if p.role == "applicant"), None)
        return services.document_request_create(
            actor=agent_of(request),
            dossier=wb.seen.obj,
            description=description,
            due_on=data["due_on"],
            document_code=code,
            party=None if data["body"] else applicant,
            body=data["body"],
        )

    return _act(
        request, wb, "docrequest", form, call, gettext("The document was asked for.")
    )


@agent_required
@require_POST
def dossier_document_answer(
    request: HttpRequest, reference: str, request_id: uuid.UUID
) -> HttpResponse:
    wb = _workbench(request, reference)
    asked = next((r for r in wb.open_document_requests if r.uuid == request_id), None)
    if asked is None:
        raise NotFound(gettext("There is no such document request."))
    form = VersionForm({"version": wb.seen.obj.version})
    return _act(
        request,
        wb,
        "plain",
        form,
        lambda: services.document_request_answer(
            actor=agent_of(request), document_request=asked
        ),
        gettext("The answer was recorded."),
    )


def fact_words(value: Any) -> str:
    if value is True:
        return gettext("yes")
    if value is False:
        return gettext("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def fact_value(typed: str) -> Any:
    """What the agent typed as a fact's value: yes/no, a whole number, a text;
    nothing removes the fact."""
    value = typed.strip()
    if not value:
        return None
    if value.lower() in {"yes", "true", gettext("yes").lower()}:
        return True
    if value.lower() in {"no", "false", gettext("no").lower()}:
        return False
    if value.isdigit():
        return int(value)
    return value


@agent_required
@require_POST
def dossier_fact(request: HttpRequest, reference: str) -> HttpResponse:
    wb = _workbench(request, reference)
    form = FactForm(request.POST, names=_fact_names(wb.definition))
    return _act(
        request,
        wb,
        "fact",
        form,
        lambda: services.dossier_facts_update(
            actor=agent_of(request),
            dossier=wb.seen.obj,
            expected_version=form.cleaned_data["version"],
            facts={form.cleaned_data["name"]: fact_value(form.cleaned_data["value"])},
        ),
        gettext("The fact was saved."),
    )


@agent_required
@require_POST
def dossier_suspend(request: HttpRequest, reference: str) -> HttpResponse:
    wb = _workbench(request, reference)
    form = SuspendForm(request.POST)
    return _act(
        request,
        wb,
        "suspend",
        form,
        lambda: services.dossier_suspend(
            actor=agent_of(request),
            dossier=wb.seen.obj,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
            until=form.cleaned_data["until"],
        ),
        gettext("The dossier is suspended: its clock stands still."),
    )


@agent_required
@require_POST
def dossier_resume(request: HttpRequest, reference: str) -> HttpResponse:
    wb = _workbench(request, reference)
    form = VersionForm(request.POST)
    return _act(
        request,
        wb,
        "plain",
        form,
        lambda: services.dossier_resume(
            actor=agent_of(request),
            dossier=wb.seen.obj,
            expected_version=form.cleaned_data["version"],
        ),
        gettext("The dossier's clock runs again."),
    )


@agent_required
@require_POST
def dossier_extend(request: HttpRequest, reference: str) -> HttpResponse:
    wb = _workbench(request, reference)
    form = ExtendForm(request.POST)
    return _act(
        request,
        wb,
        "extend",
        form,
        lambda: services.dossier_extend(
            actor=agent_of(request),
            dossier=wb.seen.obj,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        ),
        gettext("The legal deadline was extended."),
    )
