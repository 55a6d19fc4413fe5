"""Garnishment: the calculator and the person's debts tab.

Registers the "Garnishment" navigation section (payment agents and supervisors, as
`access/domains/debts.py` grants) and the "Debts" tab of the 360° view. Nothing
here decides anything: figures, their explanations and the legal order come from
`guichet.debts` (selectors and their pure modules), input is read by
`guichet.debts.validation`, so the screen, the API and the command line refuse the
same input with the same messages.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.debts import Action
from guichet.agents.models import Agent, Team
from guichet.core.errors import FieldError, Forbidden, ValidationFailed
from guichet.debts import selectors, services, statement
from guichet.debts import validation as v
from guichet.debts.allocation import Allocation, Line
from guichet.debts.errors import NoTableInForce
from guichet.debts.garnishment import Band, Garnishment
from guichet.debts.models import AllocationPosting, Debt, DebtKind, DebtStatus
from guichet.debts.statement import LANGUAGES as STATEMENT_LANGUAGES
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import ServiceForm, apply_errors, submit
from guichet.ui.forms.debts import (
    ClaimRowForm,
    DebtCommentForm,
    DebtDetailsForm,
    DebtEntryForm,
    DebtPlanForm,
    DebtRegisterForm,
    DebtStatusForm,
    GarnishmentForm,
    NextPaymentForm,
    claim_rows,
)
from guichet.ui.views.correspondence.common import _file

SEPARATOR = " \u2013 "  # an en dash between the parts of a mail's description

workspace.register_section(
    workspace.Section(
        key="garnishment",
        label=_("Garnishment"),
        description=_(
            "Garnishment calculator: the part of an income that can be seized, "
            "and how it is shared among creditors."
        ),
        url_name="ui:garnishment_calculator",
        action=Action.GARNISHMENT_COMPUTE,
        order=40,
    )
)
workspace.register_person_tab(
    workspace.PersonTab(
        key="debts",
        label=_("Debts"),
        url_name="ui:person_debts",
        action=Action.DEBT_VIEW,
        order=500,
    )
)


def _language(chosen: str, default: str | None = None) -> str:
    """The language the explanation is written in: as chosen, else `default`, else
    the agent's."""
    return chosen or default or translation.get_language() or "en"


@dataclass(frozen=True)
class ShownBand:
    band: Band
    text: str


@dataclass(frozen=True)
class ShownLine:
    line: Line
    text: str
    debt: Debt | None = None


@dataclass(frozen=True)
class Explained:
    """A result and its sentences, rendered in the language chosen for the citizen."""

    language: str
    bands: list[ShownBand]
    notes: list[str]
    lines: list[ShownLine]
    allocation_notes: list[str]


def _explained(
    language: str,
    garnishment: Garnishment,
    allocation: Allocation | None = None,
    debts: dict[str, Debt] | None = None,
) -> Explained:
    with translation.override(language):
        lines = [
            ShownLine(
                line=line,
                text=" ".join(item.text() for item in line.explanations),
                debt=(debts or {}).get(str(line.claim.id)),
            )
            for line in (allocation.lines if allocation else ())
        ]
        return Explained(
            language=language,
            bands=[
                ShownBand(band=band, text=band.explanation.text())
                for band in garnishment.bands
            ],
            notes=[note.text() for note in garnishment.notes],
            lines=lines,
            allocation_notes=[note.text() for note in allocation.notes]
            if allocation
            else [],
        )


def _apply_claim_errors(
    rows: list[ClaimRowForm], filled: list[int], error: ValidationFailed
) -> list[FieldError]:
    """Put `claims[i].field` errors on their row; return the other errors."""
    others = []
    for field_error in error.errors:
        name = field_error.field
        if not name.startswith("claims["):
            others.append(field_error)
            continue
        index_text, _sep, field = name.removeprefix("claims[").partition("].")
        row = rows[filled[int(index_text)]]
        field = "reference" if field == "id" else field
        row.add_error(field if field in row.fields else None, field_error.text)
    return others


@agent_required
def garnishment_calculator(request: HttpRequest) -> HttpResponse:
    """The seizable part of an income, band by band, and optionally its sharing."""
    agent = agent_of(request)
    policy.require(agent, Action.GARNISHMENT_COMPUTE)
    submitted = "on" in request.GET
    form = GarnishmentForm(
        _with_language(request.GET, translation.get_language()) if submitted else None,
        initial={"on": timezone.localdate().isoformat(), "children": "0"},
    )
    rows = claim_rows(request.GET if submitted else None)
    context: dict[str, Any] = {"form": form, "rows": rows}
    if not submitted:
        return _calculator_page(request, context)
    rows_valid = all(row.is_valid() for row in rows)
    if not form.is_valid() or not rows_valid:
        if not form.errors:
            form.add_error(None, _("Some claims are not valid; see each row."))
        return _calculator_page(request, context, status=422)
    computed = _calculate(agent, form, rows)
    if computed is None:
        return _calculator_page(request, context, status=422)
    garnishment, allocation = computed
    context["result"] = garnishment
    context["allocation"] = allocation
    context["explained"] = _explained(
        _language(form.cleaned_data["language"]), garnishment, allocation
    )
    return _calculator_page(request, context)


def _calculate(
    agent: Agent, form: GarnishmentForm, rows: list[ClaimRowForm]
) -> tuple[Garnishment, Allocation | None] | None:
    """Read the input, then compute; None when refused (the errors are on the forms)."""
    filled = [index for index, row in enumerate(rows) if row.is_filled()]
    problems: list[FieldError] = []
    try:
        question = v.compute_request(form.compute_data())
    except ValidationFailed as error:
        problems.extend(error.errors)
        question = None
    case = None
    if filled:
        try:
            case = v.case_request(
                {
                    **{
                        key: value
                        for key, value in form.compute_data().items()
                        if key != "maintenance"
                    },
                    "claims": [rows[i].claim_data(i + 1) for i in filled],
                }
            )
        except ValidationFailed as error:
            others = _apply_claim_errors(rows, filled, error)
            if question is not None:  # otherwise already reported by compute_request
                problems.extend(others)
    if problems or question is None or (filled and case is None):
        if problems:
            apply_errors(
                form,
                ValidationFailed(
                    _("Some values are not valid; nothing was done."), errors=problems
                ),
            )
        elif not form.errors:
            form.add_error(None, _("Some claims are not valid; see each row."))
        return None
    try:
        garnishment = selectors.garnishment_compute_for_agent(
            agent=agent,
            on=question.on,
            income=question.income,
            children=question.children,
            maintenance=question.maintenance,
        )
        allocation = (
            selectors.allocation_compute_for_agent(
                agent=agent,
                on=case.on,
                income=case.income,
                children=case.children,
                claims=case.claims,
            )
            if case is not None
            else None
        )
    except ValidationFailed as error:  # no table in force on that date
        apply_errors(form, error)
        return None
    return garnishment, allocation


def _calculator_page(
    request: HttpRequest, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    return render(
        request, "ui/debts/garnishment_calculator.html", context, status=status
    )


# The person's debts tab.


def _team_choices(agent: Agent) -> list[tuple[str, str]]:
    return [
        (team.code, team.name)
        for team in Team.objects.filter(id__in=agent.team_ids).order_by("name")
    ]


@agent_required
def person_debts(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The claims against a person, their ledger, and what a payment would keep back."""
    agent = agent_of(request)
    # A role the tab is not for is refused as the calculator refuses it (403).
    policy.require(agent, Action.DEBT_VIEW)
    found = selectors.person_debts_for_agent(
        agent=agent, person_id=person_id, with_ledger=True, with_comments=True
    )
    person = found.person
    submitted = "paid_on" in request.GET
    last = found.last_posting
    # Without a payment typed in, the next payment is the last one posted, a month on.
    data = (
        _with_language(request.GET, person.language)
        if submitted
        else _next_after(last, person.language)
        if last
        else None
    )
    form = NextPaymentForm(
        data,
        teams=_team_choices(agent),
        initial={
            "paid_on": timezone.localdate().isoformat(),
            "children": "0",
            "language": person.language,
        },
    )
    context: dict[str, Any] = {
        "debts": found.debts,
        "total": sum((debt.balance for debt in found.debts), Decimal("0.00")),  # type: ignore[attr-defined]  # annotated by with_balance
        "form": form,
        "last_posting": None if submitted else last,
        "may_register": policy.may(agent, Action.DEBT_REGISTER),
    }
    status = 200
    if data is not None:
        preview = _preview(agent, person.uuid, form) if form.is_valid() else None
        if preview is None:
            status = 422 if submitted else 200
        else:
            context["preview"] = preview
            context["explained"] = _explained(
                _language(form.cleaned_data["language"], person.language),
                preview.allocation.garnishment,
                preview.allocation,
                preview.debts,
            )
    tabs = [
        {"tab": tab, "url": tab.url(person.uuid), "current": tab.key == "debts"}
        for tab in workspace.person_tabs_for(agent)
    ]
    return render(
        request,
        "ui/debts/person_debts.html",
        {"person": person, "tabs": tabs, **context},
        status=status,
    )


def _with_language(query: QueryDict, language: str | None) -> QueryDict:
    """The query, with the explanation's language the page shows when none was sent."""
    data = query.copy()
    if not data.get("language") and language:
        data["language"] = language
    return data


def _next_after(posting: AllocationPosting, language: str) -> dict[str, str]:
    """The payment a month after `posting`: same income, children and office."""
    year, month = (int(part) for part in posting.period.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    paid_year, paid_month = posting.paid_on.year, posting.paid_on.month
    paid_year, paid_month = (
        (paid_year + 1, 1) if paid_month == 12 else (paid_year, paid_month + 1)
    )
    day = min(posting.paid_on.day, calendar.monthrange(paid_year, paid_month)[1])
    return {
        "paid_on": dt.date(paid_year, paid_month, day).isoformat(),
        "period": f"{year:04d}-{month:02d}",
        "earned": "" if posting.earned is None else str(posting.earned),
        "replacement": "" if posting.replacement is None else str(posting.replacement),
        "children": str(posting.children),
        "team": posting.team.code,
        "language": language,
    }


def _preview(
    agent: Agent, person_id: uuid.UUID, form: NextPaymentForm
) -> selectors.PersonAllocation | None:
    try:
        payment = v.payment_request(form.payment_data())
        return selectors.person_allocation_preview(
            agent=agent,
            person_id=person_id,
            paid_on=payment.paid_on,
            period=payment.period,
            income=payment.income,
            children=payment.children,
            team_code=form.cleaned_data.get("team") or None,
        )
    except NoTableInForce as error:  # the service's field is "on"
        form.add_error("paid_on", error.text)
        return None
    except ValidationFailed as error:
        apply_errors(form, error)
        return None


# The debt workbench: a debt registered from its notice, then its ledger, plan,
# status and comment, and the creditor's statement. Each form feeds one service of
# `guichet.debts.services` (the API's); a change carries the version shown, and a
# stale one is refused with nothing overwritten.


def _mail_choices(agent: Agent) -> list[tuple[str, str]]:
    return [
        (
            str(mail.uuid),
            SEPARATOR.join(
                (
                    mail.number,
                    f"{mail.received_on:%d/%m/%Y}",
                    mail.sender_name,
                    mail.subject,
                )
            ),
        )
        for mail in selectors.notice_mail_choices(agent=agent)
    ]


def _person_tabs(agent: Agent, person_id: uuid.UUID) -> list[dict[str, Any]]:
    return [
        {"tab": tab, "url": tab.url(person_id), "current": tab.key == "debts"}
        for tab in workspace.person_tabs_for(agent)
    ]


@agent_required
def debt_register(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Register a seizure, an assignment, a maintenance claim, a CPAS subrogation
    or the office's own claim from its notice."""
    agent = agent_of(request)
    policy.require(agent, Action.DEBT_REGISTER)
    person = selectors.person_for_debts(agent=agent, person_id=person_id)
    posted = request.method == "POST"
    form = DebtRegisterForm(
        request.POST if posted else None,
        mails=_mail_choices(agent),
        teams=_team_choices(agent),
        initial={"kind": DebtKind.SEIZURE},
    )
    if posted and form.is_valid():
        debt = submit(
            form,
            lambda: services.debt_register(
                actor=agent,
                person_id=person.uuid,
                data=services.DebtInput(**form.debt_data()),
                team_code=form.cleaned_data.get("team") or None,
            ),
        )
        if debt is not None:
            messages.success(request, gettext("The debt is registered."))
            return HttpResponseRedirect(reverse("ui:debt_detail", args=[debt.uuid]))
    return render(
        request,
        "ui/debts/debt_register.html",
        {"person": person, "tabs": _person_tabs(agent, person.uuid), "form": form},
        status=422 if posted else 200,
    )


@dataclass
class DebtForms:
    entry: DebtEntryForm | None
    plan: DebtPlanForm | None
    status: DebtStatusForm | None
    details: DebtDetailsForm | None
    comment: DebtCommentForm | None

    def named(self, name: str) -> ServiceForm | None:
        return getattr(self, name, None) if name in FORM_NAMES else None

    @property
    def stale(self) -> bool:
        return any(
            form is not None and form.stale
            for form in (self.entry, self.plan, self.status, self.details)
        )


FORM_NAMES = ("entry", "plan", "status", "details", "comment")


def _debt_forms(
    agent: Agent, debt: Debt, data: QueryDict | None, which: str
) -> DebtForms:
    """The forms the agent may use on this debt; only `which` is bound to `data`."""

    def bound(name: str) -> QueryDict | None:
        return data if name == which else None

    version = {"version": debt.version}
    may = {
        name: policy.may(agent, action, debt)
        for name, action in (
            ("entry", Action.DEBT_ENTRY_ADD),
            ("plan", Action.DEBT_PLAN_SET),
            ("status", Action.DEBT_EDIT),
            ("comment", Action.DEBT_COMMENT),
        )
    }
    statuses = [
        (value, str(label))
        for value, label in DebtStatus.choices
        if value != debt.status
    ]
    return DebtForms(
        entry=DebtEntryForm(
            bound("entry"),
            kinds=[(str(kind), str(kind.label)) for kind in services.MANUAL_ENTRIES],
            initial={**version, "booked_on": timezone.localdate().isoformat()},
        )
        if may["entry"] and debt.status != DebtStatus.EXTINGUISHED
        else None,
        plan=DebtPlanForm(bound("plan"), initial=version)
        if may["plan"] and debt.kind == DebtKind.RECOVERY
        else None,
        status=DebtStatusForm(bound("status"), statuses=statuses, initial=version)
        if may["status"]
        else None,
        details=DebtDetailsForm(
            bound("details"),
            initial={
                **version,
                "creditor_name": debt.creditor_name,
                "reference": debt.reference,
                "comment": debt.comment,
            },
        )
        if may["status"]
        else None,
        comment=DebtCommentForm(bound("comment")) if may["comment"] else None,
    )


def _current_version(data: QueryDict, which: str, debt: Debt) -> QueryDict:
    """The agent's input for the form `which`, based on the debt's version now."""
    fresh = data.copy()
    fresh[f"{which}-version"] = str(debt.version)
    return fresh


def _debt_change(
    agent: Agent, debt: Debt, which: str, form: ServiceForm
) -> tuple[object, str] | None:
    """Call the service of the form `which`; its result and the message to show."""
    data = form.cleaned_data
    done: object
    if which == "comment":
        done = submit(
            form,
            lambda: services.debt_comment_add(
                actor=agent, debt_id=debt.uuid, text=data["text"]
            ),
        )
        return None if done is None else (done, gettext("The comment is written."))
    common = {"actor": agent, "debt_id": debt.uuid, "expected_version": data["version"]}
    if which == "entry":
        done = submit(
            form,
            lambda: services.debt_entry_add(
                **common,
                kind=data["kind"],
                amount=data["amount"] or None,
                booked_on=data["booked_on"] or None,
                note=data["note"],
            ),
        )
        return None if done is None else (done, gettext("The entry is booked."))
    if which == "plan":
        done = submit(
            form,
            lambda: services.instalment_plan_add(
                **common,
                amount=data["amount"] or None,
                starts_on=data["starts_on"] or None,
                note=data["note"],
            ),
        )
        return None if done is None else (done, gettext("The instalment plan is set."))
    if which == "status":
        done = submit(
            form,
            lambda: services.debt_update(
                **common, data={"status": data["status"]}, reason=data["reason"]
            ),
        )
        return None if done is None else (done, gettext("The status is changed."))
    done = submit(
        form,
        lambda: services.debt_update(
            **common,
            data={
                name: data[name] for name in ("creditor_name", "reference", "comment")
            },
        ),
    )
    return None if done is None else (done, gettext("The debt is updated."))


@agent_required
def debt_detail(request: HttpRequest, debt_id: uuid.UUID) -> HttpResponse:
    """One debt: its notice, ledger and plans, and the forms that change it."""
    agent = agent_of(request)
    policy.require(agent, Action.DEBT_VIEW)
    debt = selectors.debt_get_for_agent(
        agent=agent, debt_id=debt_id, with_comments=True
    )
    posted = request.method == "POST"
    which = request.POST.get("form", "") if posted else ""
    forms = _debt_forms(agent, debt, request.POST if posted else None, which)
    status = 200
    stale = False
    if posted:
        form = forms.named(which)
        if form is None:
            raise Forbidden(_("You may not do this."))
        if form.is_valid():
            done = _debt_change(agent, debt, which, form)
            if done is not None:
                messages.success(request, done[1])
                return HttpResponseRedirect(reverse("ui:debt_detail", args=[debt.uuid]))
        stale = forms.stale
        status = 409 if stale else 422
    if stale:
        # A colleague changed the debt: show it as it is now, with the agent's
        # input kept and based on the current version, so that submitting again
        # (having seen the change) applies it on purpose.
        debt = selectors.debt_get_for_agent(
            agent=agent, debt_id=debt.uuid, with_comments=True
        )
        forms = _debt_forms(
            agent, debt, _current_version(request.POST, which, debt), which
        )
    return render(
        request,
        "ui/debts/debt_detail.html",
        {
            "person": debt.person,
            "tabs": _person_tabs(agent, debt.person.uuid),
            "debt": debt,
            "forms": forms,
            "stale": stale,
            "stale_form": which if stale else "",
            "languages": STATEMENT_LANGUAGES,
        },
        status=status,
    )


@agent_required
def debt_statement(
    request: HttpRequest, debt_id: uuid.UUID, language: str
) -> HttpResponse:
    """The creditor's statement of account, PDF/A, as an attachment."""
    got = statement.statement_for_agent(
        agent=agent_of(request), debt_id=debt_id, language=language
    )
    return _file(got.data, "application/pdf", got.filename)
