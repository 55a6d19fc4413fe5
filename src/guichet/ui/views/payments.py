"""Benefit payments: the month's runs, a beneficiary's page, attestations, lists.

Registers the "Payments" section (the runs of the agent's payment offices, for the
roles `access/domains/payments.py` grants: payment agents and supervisors) and the
person's "Payments" tab. Each form feeds one payments service and shows its
refusal next to the field (`ui.errors.submit`); a stale version shows the other
agent's change; nothing is decided here. A run is prepared and executed in the
background (`payments.tasks`), and its page polls the progress (htmx) meanwhile.
See docs/payments-screens.md.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.payments import Action
from guichet.agents.models import Agent, Team
from guichet.core.errors import GuichetError, NotFound
from guichet.debts.models import DebtKind
from guichet.parties.selectors import person_get_for_agent
from guichet.payments import (
    attestations,
    calculation,
    lists,
    selectors,
    services,
    workflow,
)
from guichet.payments.documents import MESSAGES
from guichet.payments.errors import ExceptionCode
from guichet.payments.models import (
    Account,
    AccountChange,
    AccountChangeStatus,
    DocumentsRequest,
    EntitlementCategory,
    Payment,
    RunState,
)
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import ServiceForm, error_response, submit
from guichet.ui.views.correspondence.common import _file
from guichet.ui.views.payments_rejects import rejects_context

workspace.register_section(
    workspace.Section(
        key="payments",
        label=_("Payments"),
        description=_(
            "Monthly payment runs: prepare, review, approve and execute; the "
            "office's lists."
        ),
        url_name="ui:payments",
        action=Action.RUN_VIEW,
        order=42,
    )
)
workspace.register_person_tab(
    workspace.PersonTab(
        key="payments",
        label=_("Payments"),
        url_name="ui:person_payments",
        action=Action.PAYMENT_VIEW,
        order=510,
    )
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _this_month() -> str:
    today = timezone.localdate()
    return f"{today.year:04d}-{today.month:02d}"


# Forms


class PrepareForm(ServiceForm):
    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"aria-required": "true", "inputmode": "numeric"}),
        help_text=_("YYYY-MM, for example 2026-11."),
    )
    team = forms.ChoiceField(label=_("Payment office"))
    paid_on = forms.DateField(label=_("Execution date"), widget=DATE)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["team"]
        field.choices = [(team.code, team.name) for team in teams]


class VersionForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AccountChangeForm(ServiceForm):
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=50,
        widget=forms.TextInput(attrs={"aria-required": "true", "autocomplete": "off"}),
    )
    bic = forms.CharField(label=_("BIC"), max_length=11, required=False)
    holder = forms.CharField(
        label=_("Account holder"),
        max_length=140,
        widget=forms.TextInput(attrs={"aria-required": "true"}),
    )
    effective_on = forms.DateField(label=_("Paid to this account from"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RefuseForm(ServiceForm):
    change = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why the change is refused"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StopForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why payments stop"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "aria-required": "true"}),
    )


class EntitlementForm(ServiceForm):
    category = forms.ChoiceField(
        label=_("Category"), choices=EntitlementCategory.choices
    )
    daily_amount = forms.CharField(
        label=_("Daily amount (EUR)"),
        max_length=20,
        widget=forms.TextInput(attrs={"aria-required": "true", "inputmode": "decimal"}),
    )
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(
        label=_("Until"), widget=DATE, required=False, help_text=_("Empty: open.")
    )
    withholding_rate = forms.CharField(
        label=_("Withholding tax rate"),
        max_length=10,
        initial="0",
        help_text=_("As the decision gives it, for example 0.1009 for 10.09 %."),
    )
    decided_on = forms.DateField(label=_("Decision date"), widget=DATE)
    decision_reference = forms.CharField(
        label=_("Decision reference"), max_length=100, required=False
    )


class EndForm(ServiceForm):
    entitlement = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    ends_on = forms.DateField(label=_("Last day paid"), widget=DATE)


class DeclarationForm(ServiceForm):
    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"aria-required": "true"}),
        help_text=_("YYYY-MM."),
    )
    days_payable = forms.IntegerField(label=_("Days of unemployment declared"))
    days_worked = forms.IntegerField(label=_("Days worked"), initial=0)
    days_sick = forms.IntegerField(label=_("Days sick"), initial=0)
    days_holiday = forms.IntegerField(label=_("Days on holiday"), initial=0)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    signed = forms.BooleanField(label=_("Signed"), required=False)
    dated_on = forms.DateField(
        label=_("Date written on the card"), widget=DATE, required=False
    )


class CorrectForm(DeclarationForm):
    declaration = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("month", "received_on"):
            self.fields[name].required = False
            self.fields[name].widget = forms.HiddenInput()


class AttestationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Attestation"),
        choices=[(key, title) for key, title in attestations.TITLES.items()],
    )
    first = forms.CharField(
        label=_("From month"), max_length=7, required=False, help_text=_("YYYY-MM.")
    )
    last = forms.CharField(
        label=_("To month"), max_length=7, required=False, help_text=_("YYYY-MM.")
    )
    year = forms.IntegerField(
        label=_("Calendar year"),
        required=False,
        help_text=_("For the yearly statement."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[
            ("fr", "Français"),
            ("nl", "Nederlands"),
            ("de", "Deutsch"),
            ("en", "English"),
        ],
    )


class ListForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("List"),
        choices=[(key, title) for key, title in lists.TITLES.items()],
    )
    month = forms.CharField(label=_("Month"), max_length=7, help_text=_("YYYY-MM."))
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("every category")), *EntitlementCategory.choices],
        help_text=_("For the list at the maximum."),
    )


# The runs


def _teams(agent: Agent) -> list[Team]:
    return list(Team.objects.filter(id__in=agent.team_ids).order_by("code"))


@agent_required
def payments(request: HttpRequest) -> HttpResponse:
    """The runs of the agent's offices, by month and state; prepare a month."""
    agent = agent_of(request)
    policy.require(agent, Action.RUN_VIEW)
    teams = _teams(agent)
    default_team = next(
        (team.code for team in teams if team.code == "payment-office"),
        teams[0].code if teams else "",
    )
    form = PrepareForm(
        request.POST if request.method == "POST" else None,
        teams=teams,
        initial={
            "month": _this_month(),
            "team": default_team,
            "paid_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = submit(
                form,
                lambda: workflow.run_start(
                    actor=agent,
                    month=data["month"],
                    team_code=data["team"],
                    paid_on=data["paid_on"],
                ),
            )
        except GuichetError as error:  # a month already run: said on the form
            if isinstance(error, NotFound):
                raise
            form.add_error(None, error.text)
            run = None
        if run is not None:
            messages.success(
                request,
                gettext("The run of %(month)s is being prepared.")
                % {"month": run.month},
            )
            return HttpResponseRedirect(reverse("ui:payment_run", args=[run.uuid]))
    runs = selectors.runs_for_agent(agent=agent)
    state = request.GET.get("state", "")
    month = request.GET.get("month", "").strip()
    if state in RunState.values:
        runs = [run for run in runs if run.state == state]
    if month:
        runs = [run for run in runs if run.month == month]
    return render(
        request,
        "ui/payments/runs.html",
        {
            "runs": runs,
            "form": form,
            "states": RunState.choices,
            "state": state,
            "month": month,
            "may_prepare": policy.may(agent, Action.RUN_PREPARE) and bool(teams),
        },
        status=422 if form.errors else 200,
    )


@agent_required
def payment_run(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    """A run: its totals and progress, the review, approval, execution, files."""
    agent = agent_of(request)
    review = selectors.run_review_data(agent=agent, run_id=run_id)
    run = review.run
    form = VersionForm(
        request.POST if request.method == "POST" else None,
        initial={"version": run.version},
    )
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        step = request.POST.get("step", "")
        calls = {
            "review": lambda: services.run_review(
                actor=agent, run_id=run.uuid, expected_version=version
            ),
            "approve": lambda: services.run_approve(
                actor=agent, run_id=run.uuid, expected_version=version
            ),
            "execute": lambda: workflow.run_execute_request(
                actor=agent, run_id=run.uuid, expected_version=version
            ),
            "resume": lambda: workflow.run_prepare_resume(actor=agent, run_id=run.uuid),
        }
        if step in calls:
            try:
                done = submit(form, calls[step])
            except GuichetError as error:
                if isinstance(error, NotFound):
                    raise
                form.add_error(None, error.text)
                done = None
            if done is not None:
                texts = {
                    "review": gettext(
                        "The run is reviewed; a second agent approves it."
                    ),
                    "approve": gettext("The run is approved; it can be executed."),
                    "execute": gettext("The run is being executed."),
                    "resume": gettext("The preparation goes on."),
                }
                messages.success(request, texts[step])
                here = reverse("ui:payment_run", args=[run.uuid])
                if step in ("execute", "resume"):
                    here += "?queued=1"  # polled until a worker takes it
                return HttpResponseRedirect(here)
    run.refresh_from_db()
    progress = workflow.run_progress(agent=agent, run_id=run.uuid)
    figures = workflow.run_figures(agent=agent, run_id=run.uuid)
    kinds = dict(DebtKind.choices)
    return render(
        request,
        "ui/payments/run.html",
        {
            "run": run,
            "review": review,
            "progress": progress,
            "form": form,
            "exceptions": [
                (item, workflow.exception_text(item.exception))
                for item in review.exceptions
            ],
            "exceptions_by_code": [
                (workflow.exception_text(code), count)
                for code, count in sorted(review.exceptions_by_code.items())
            ],
            "deductions": [
                (kinds.get(kind, kind), amount)
                for kind, amount in figures.deductions_by_kind.items()
            ],
            "figures": figures,
            "may_review": run.state == RunState.PREPARED
            and policy.may(agent, Action.RUN_REVIEW, run),
            "may_approve": run.state == RunState.REVIEWED
            and policy.may(agent, Action.RUN_APPROVE, run),
            "preparer": run.prepared_by_id == agent.pk,
            "may_execute": run.state == RunState.APPROVED
            and policy.may(agent, Action.RUN_EXECUTE, run),
            "may_download": policy.may(agent, Action.RUN_EXECUTE, run),
            "may_resume": run.state == RunState.PREPARING
            and policy.may(agent, Action.RUN_PREPARE, run),
            "queued": _queued(request, run),
            **rejects_context(agent, run),
        },
        status=422 if form.errors else 200,
    )


def _queued(request: HttpRequest, run: Any) -> bool:
    """An execution was asked for and no worker has started it yet."""
    return request.GET.get("queued") == "1" and run.state == RunState.APPROVED


@agent_required
def payment_run_progress(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    """The progress box, polled by htmx while the run prepares or executes."""
    agent = agent_of(request)
    run = selectors.run_get_for_agent(agent=agent, run_id=run_id)
    progress = workflow.run_progress(agent=agent, run_id=run_id)
    queued = _queued(request, run)
    response = render(
        request,
        "ui/payments/_progress.html",
        {"run": run, "progress": progress, "queued": queued},
    )
    if not progress.working and not queued:
        # Done: reload the page for its totals, review and actions.
        response["HX-Refresh"] = "true"
    return response


@agent_required
def payment_run_file(
    request: HttpRequest, run_id: uuid.UUID, sequence: int
) -> HttpResponse:
    got = workflow.sepa_file_for_agent(
        agent=agent_of(request), run_id=run_id, sequence=sequence
    )
    return _file(got.data, "application/xml", got.filename)


# The lists


@agent_required
def payment_lists(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.PAYMENT_VIEW)
    data = request.GET.copy()
    data.setdefault("kind", "prepension")
    data.setdefault("month", _this_month())
    form = ListForm(data)
    found = None
    if form.is_valid():
        month = form.cleaned_data["month"].strip()
        if not selectors.MONTH.fullmatch(month):
            form.add_error("month", gettext("Give a month as YYYY-MM."))
        else:
            filters = lists.ListFilters(
                kind=form.cleaned_data["kind"],
                month=month,
                category=form.cleaned_data["category"]
                if form.cleaned_data["kind"] == "maximum"
                else "",
            )
            found = lists.payment_list(agent=agent, filters=filters)
            export = request.GET.get("format", "")
            language = translation.get_language() or "fr"
            if export == "csv":
                return _file(
                    lists.export_csv(found, language=language),
                    "text/csv; charset=utf-8",
                    f"{filters.kind}-{filters.month}.csv",
                )
            if export == "xlsx":
                return _file(
                    lists.export_xlsx(found, language=language),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    f"{filters.kind}-{filters.month}.xlsx",
                )
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "ui/payments/lists.html",
        {
            "form": form,
            "found": found,
            "query": query.urlencode(),
            "title": lists.TITLES.get(data.get("kind", ""), ""),
        },
        status=200 if found is not None else 422,
    )


# The beneficiary's page (the person's "Payments" tab)


def _tab_context(agent: Agent, person: Any) -> list[dict[str, Any]]:
    return [
        {"tab": tab, "url": tab.url(person.uuid), "current": tab.key == "payments"}
        for tab in workspace.person_tabs_for(agent)
    ]


def _forms(request: HttpRequest, step: str) -> dict[str, Any]:
    posted = request.POST if request.method == "POST" else None
    today = timezone.localdate()
    return {
        "account_form": AccountChangeForm(
            posted if step == "account" else None,
            initial={"effective_on": today},
        ),
        "refuse_form": RefuseForm(posted if step == "refuse" else None),
        "entitlement_form": EntitlementForm(
            posted if step == "entitlement" else None,
            initial={"decided_on": today, "starts_on": today},
        ),
        "end_form": EndForm(posted if step == "end" else None),
        "declaration_form": DeclarationForm(
            posted if step == "declaration" else None,
            initial={"month": _this_month(), "received_on": today, "dated_on": today},
        ),
        "correct_form": CorrectForm(posted if step == "correct" else None),
        "stop_form": StopForm(posted if step in ("stop", "resume") else None),
    }


def _post(
    request: HttpRequest, agent: Agent, beneficiary: Any, step: str, f: dict[str, Any]
) -> Any:
    """Run the service of the posted form; its result, or None when refused."""
    key = beneficiary.uuid
    if step == "account" and f["account_form"].is_valid():
        d = f["account_form"].cleaned_data
        return submit(
            f["account_form"],
            lambda: services.account_change_request(
                actor=agent,
                beneficiary_id=key,
                iban=d["iban"],
                bic=d["bic"],
                holder=d["holder"],
                effective_on=d["effective_on"],
                reason=d["reason"],
            ),
        )
    if step == "confirm":
        change = request.POST.get("change", "")
        return submit(
            f["refuse_form"],
            lambda: services.account_change_confirm(actor=agent, change_id=change),
        )
    if step == "refuse" and f["refuse_form"].is_valid():
        d = f["refuse_form"].cleaned_data
        return submit(
            f["refuse_form"],
            lambda: services.account_change_refuse(
                actor=agent, change_id=d["change"], reason=d["reason"]
            ),
        )
    if step == "stop" and f["stop_form"].is_valid():
        d = f["stop_form"].cleaned_data
        return submit(
            f["stop_form"],
            lambda: services.beneficiary_stop(
                actor=agent,
                beneficiary_id=key,
                expected_version=d["version"],
                reason=d["reason"],
            ),
        )
    if step == "resume" and f["stop_form"].is_valid():
        d = f["stop_form"].cleaned_data
        return submit(
            f["stop_form"],
            lambda: services.beneficiary_resume(
                actor=agent, beneficiary_id=key, expected_version=d["version"]
            ),
        )
    if step == "entitlement" and f["entitlement_form"].is_valid():
        d = f["entitlement_form"].cleaned_data
        return submit(
            f["entitlement_form"],
            lambda: services.entitlement_add(
                actor=agent,
                beneficiary_id=key,
                category=d["category"],
                daily_amount=d["daily_amount"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                withholding_rate=d["withholding_rate"],
                decided_on=d["decided_on"],
                decision_reference=d["decision_reference"],
            ),
        )
    if step == "end" and f["end_form"].is_valid():
        d = f["end_form"].cleaned_data
        return submit(
            f["end_form"],
            lambda: services.entitlement_end(
                actor=agent,
                entitlement_id=d["entitlement"],
                expected_version=d["version"],
                ends_on=d["ends_on"],
            ),
        )
    if step == "declaration" and f["declaration_form"].is_valid():
        d = f["declaration_form"].cleaned_data
        return submit(
            f["declaration_form"],
            lambda: services.declaration_record(
                actor=agent,
                beneficiary_id=key,
                month=d["month"],
                days_payable=d["days_payable"],
                days_worked=d["days_worked"],
                days_sick=d["days_sick"],
                days_holiday=d["days_holiday"],
                received_on=d["received_on"],
                signed=d["signed"],
                dated_on=d["dated_on"],
            ),
        )
    if step == "correct" and f["correct_form"].is_valid():
        d = f["correct_form"].cleaned_data
        return submit(
            f["correct_form"],
            lambda: services.declaration_correct(
                actor=agent,
                declaration_id=d["declaration"],
                expected_version=d["version"],
                days_payable=d["days_payable"],
                days_worked=d["days_worked"],
                days_sick=d["days_sick"],
                days_holiday=d["days_holiday"],
                signed=d["signed"],
                dated_on=d["dated_on"],
            ),
        )
    return None


DONE = {
    "account": _("The change of account is recorded; a second agent confirms it."),
    "confirm": _("The change of account is confirmed: the new account is paid."),
    "refuse": _("The change of account is refused."),
    "stop": _("Payments are stopped."),
    "resume": _("Payments resume."),
    "entitlement": _("The entitlement is added."),
    "end": _("The entitlement is ended."),
    "declaration": _("The declaration is recorded."),
    "correct": _("The declaration is corrected."),
}


@agent_required
def person_payments(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The person's payments: account, entitlements, declarations, documents,
    payments made and their ledger balance, attestations."""
    agent = agent_of(request)
    policy.require(agent, Action.PAYMENT_VIEW)
    person = person_get_for_agent(agent=agent, person_id=person_id).obj
    found = selectors.beneficiaries_of_person(agent=agent, person_id=person.pk)
    chosen = request.GET.get("beneficiary") or request.POST.get("beneficiary")
    beneficiary = None
    if found:
        beneficiary = next((b for b in found if str(b.uuid) == chosen), found[0])
        beneficiary = selectors.beneficiary_get_for_agent(
            agent=agent, beneficiary_id=beneficiary.uuid
        )
    step = request.POST.get("step", "") if request.method == "POST" else ""
    f = _forms(request, step)
    failed = False
    if beneficiary is not None and step in DONE:
        try:
            done = _post(request, agent, beneficiary, step, f)
        except GuichetError as error:
            if isinstance(error, NotFound):
                raise
            return error_response(request, error)
        if done is not None:
            messages.success(request, str(DONE[step]))
            return HttpResponseRedirect(
                reverse("ui:person_payments", args=[person.uuid])
                + f"?beneficiary={beneficiary.uuid}"
            )
        failed = True
    context: dict[str, Any] = {
        "person": person,
        "tabs": _tab_context(agent, person),
        "beneficiaries": found,
        "beneficiary": beneficiary,
        "step": step,
        **f,
    }
    if beneficiary is not None:
        context.update(_beneficiary_context(agent, beneficiary, person, f))
    return render(
        request,
        "ui/payments/person_payments.html",
        context,
        status=422 if failed else 200,
    )


def _rows(
    objects: list[Any], posted: ServiceForm, key: str, make: Any
) -> list[tuple[Any, ServiceForm]]:
    """Each object with its own small form (ids unique on the page); the posted
    form, refused, stays with its object to show why."""
    rows = []
    for obj in objects:
        if posted.is_bound and str(posted.data.get(key)) == str(obj.uuid):
            posted.auto_id = f"id_{obj.uuid.hex[:10]}_%s"
            rows.append((obj, posted))
        else:
            rows.append((obj, make(obj)))
    return rows


def _beneficiary_context(
    agent: Agent, beneficiary: Any, person: Any, f: dict[str, Any]
) -> dict[str, Any]:
    month = _this_month()
    today = timezone.localdate()

    months = [month]
    for _i in range(2):
        months.append(calculation.previous_month(months[-1]))
    checks = [
        (
            selectors.documents_check(beneficiary=beneficiary, month=m),
            DocumentsRequest.objects.filter(beneficiary=beneficiary, month=m)
            .select_related("letter")
            .first(),
        )
        for m in months
    ]
    described = [
        (
            check,
            asked,
            [
                str(MESSAGES[ExceptionCode(item.code)]) % {"month": item.month}
                for item in check.missing
            ],
        )
        for check, asked in checks
    ]
    pending = AccountChange.objects.filter(
        beneficiary=beneficiary, status=AccountChangeStatus.PENDING
    ).first()
    paid = list(
        Payment.objects.filter(beneficiary=beneficiary)
        .select_related("run", "file", "reject")
        .order_by("-month", "id")[:60]
    )
    balances = selectors.beneficiary_balances(
        agent=agent, beneficiary_id=beneficiary.uuid
    )
    return {
        "pending": pending,
        "pending_mine": pending is not None and pending.requested_by_id == agent.pk,
        "changes": list(
            AccountChange.objects.filter(beneficiary=beneficiary)
            .exclude(status=AccountChangeStatus.PENDING)
            .order_by("-created_at")[:5]
        ),
        "entitlements": _rows(
            selectors.entitlements_of(beneficiary),
            f["end_form"],
            "entitlement",
            lambda ent: EndForm(
                auto_id=f"id_{ent.uuid.hex[:10]}_%s",
                initial={
                    "entitlement": ent.uuid,
                    "version": ent.version,
                    "ends_on": ent.ends_on or today,
                },
            ),
        ),
        "declarations": _rows(
            selectors.declarations_of(beneficiary)[:13],
            f["correct_form"],
            "declaration",
            lambda card: CorrectForm(
                auto_id=f"id_{card.uuid.hex[:10]}_%s",
                initial={
                    "declaration": card.uuid,
                    "version": card.version,
                    "month": card.month,
                    "received_on": card.received_on,
                    "days_payable": card.days_payable,
                    "days_worked": card.days_worked,
                    "days_sick": card.days_sick,
                    "days_holiday": card.days_holiday,
                    "signed": card.signed,
                    "dated_on": card.dated_on,
                },
            ),
        ),
        "documents": described,
        "paid": paid,
        "balances": [(Account(row.account).label, row) for row in balances],
        "may_manage": policy.may(agent, Action.BENEFICIARY_MANAGE, beneficiary),
        "may_change": policy.may(agent, Action.ACCOUNT_CHANGE, beneficiary),
        "may_confirm": policy.may(agent, Action.ACCOUNT_CONFIRM, beneficiary),
        "attestation_form": AttestationForm(
            initial={
                "kind": "cpas",
                "first": f"{today.year:04d}-01",
                "last": month,
                "year": today.year - 1,
                "language": person.language or "fr",
            }
        ),
        "today": today,
        "stop_form": f["stop_form"]
        if f["stop_form"].is_bound
        else StopForm(initial={"version": beneficiary.version}),
    }


@agent_required
def person_payment_attestation(
    request: HttpRequest, person_id: uuid.UUID, beneficiary_id: uuid.UUID
) -> HttpResponse:
    """An attestation as PDF/A (an attachment); the download is logged."""
    agent = agent_of(request)
    policy.require(agent, Action.PAYMENT_VIEW)
    person = person_get_for_agent(agent=agent, person_id=person_id).obj
    form = AttestationForm(request.GET)
    if not form.is_valid():
        raise NotFound(_("There is no such attestation."))
    data = form.cleaned_data
    beneficiary = selectors.beneficiary_get_for_agent(
        agent=agent, beneficiary_id=beneficiary_id
    )
    if beneficiary.person_id != person.pk:
        raise NotFound(_("There is no such attestation."))
    try:
        got = attestations.attestation_render(
            agent=agent,
            beneficiary_id=beneficiary.uuid,
            kind=data["kind"],
            first=(data["first"] or "").strip(),
            last=(data["last"] or "").strip(),
            year=data["year"],
            language=data["language"],
        )
    except GuichetError as error:
        if isinstance(error, NotFound):
            raise
        return error_response(request, error)
    return _file(got.data, "application/pdf", got.filename)
