"""The counter's cash book: the counter screen and the closing screen.

Registers the "Cash book" section (the front office and supervisors, as
`access/domains/cashbook.py` grants). The counter screen lists today's payments
and refunds, takes a payment for a dossier's fee from the dossier's reference,
refunds, and prints receipts; the closing screen takes the counted amounts per
means of payment, shows the difference, signs the closing, and lets a supervisor
check it. Every rule is the cash book's (`guichet.cashbook.services`); each form
feeds one service and shows its refusal next to the field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.cashbook import Action
from guichet.cashbook import selectors, services, totals
from guichet.cashbook.models import Counter, DayStatus, Means
from guichet.cashbook.receipt import LANGUAGES
from guichet.core.errors import NotFound
from guichet.core.validation import Problems
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import ServiceForm, submit
from guichet.ui.views.correspondence.common import _file

workspace.register_section(
    workspace.Section(
        key="cashbook",
        label=_("Cash book"),
        description=_(
            "The counter: fees paid on dossiers, receipts, refunds and the daily "
            "closing."
        ),
        url_name="ui:cashbook",
        action=Action.CASHBOOK_VIEW,
        order=45,
    )
)

MEANS_CHOICES = [(value, label) for value, label in Means.choices]


class PaymentForm(ServiceForm):
    dossier = forms.CharField(
        label=_("Dossier reference"),
        max_length=40,
        widget=forms.TextInput(attrs={"aria-required": "true", "autocomplete": "off"}),
        help_text=_("As printed on the dossier: DOS-2026-0000042."),
    )
    amount = forms.CharField(
        label=_("Amount (EUR)"),
        max_length=20,
        widget=forms.TextInput(attrs={"aria-required": "true", "inputmode": "decimal"}),
    )
    means = forms.ChoiceField(
        label=_("Means of payment"), choices=MEANS_CHOICES, widget=forms.RadioSelect
    )


class RefundForm(ServiceForm):
    payment = forms.UUIDField(widget=forms.HiddenInput)
    amount = forms.CharField(
        label=_("Amount to give back (EUR)"),
        max_length=20,
        widget=forms.TextInput(attrs={"aria-required": "true", "inputmode": "decimal"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "aria-required": "true"}),
    )


class CloseForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    counted_card = forms.CharField(label=_("Counted by card (EUR)"), max_length=20)
    counted_cash = forms.CharField(label=_("Counted in cash (EUR)"), max_length=20)
    counted_transfer = forms.CharField(
        label=_("Counted by transfer (EUR)"), max_length=20
    )
    supervisor_note = forms.CharField(
        label=_("Supervisor's note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when the count differs from what is expected; only a "
            "supervisor closes such a day."
        ),
    )


class CheckForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Check note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _counter(request: HttpRequest) -> tuple[list[Counter], Any]:
    """The agent's counters, and the one chosen (`?counter=`, else the first)."""
    agent = agent_of(request)
    counters = selectors.counters_for_agent(agent=agent)
    chosen = request.GET.get("counter") or (str(counters[0].uuid) if counters else "")
    if not chosen:
        return counters, None
    return counters, selectors.counter_get_for_agent(agent=agent, key=chosen)


def _here(counter: Counter) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse('ui:cashbook')}?counter={counter.uuid}")


def _first_due(rows: list[Any]) -> Any:
    """The first fee row with something still to pay, else None."""
    for row in rows:
        if row.remaining > 0 and not row.fee.exemption and row.fee.paid_at is None:
            return row
    return None


def _fee_for(agent: Any, reference: str) -> Any:
    """The first fee of the dossier still due (else the first: the service says
    why it cannot be paid)."""
    rows = selectors.fees_due(agent=agent, dossier_key=reference.strip())
    due = _first_due(rows)
    if due is not None:
        return due.fee
    if rows:
        return rows[0].fee
    raise NotFound(_("No fee is due on this dossier."))


def _due(agent: Any, reference: str) -> dict[str, str]:
    """The form's first values when the workbench sends a dossier: its reference
    and what remains due on its fee (nothing when none is due, or the dossier is
    missing or hidden: the form then starts empty, revealing nothing)."""
    if not reference.strip():
        return {}
    try:
        due = _first_due(selectors.fees_due(agent=agent, dossier_key=reference.strip()))
    except NotFound:
        return {}
    if due is None:
        return {}
    return {"dossier": reference.strip(), "amount": f"{due.remaining:.2f}"}


@agent_required
def cashbook(request: HttpRequest) -> HttpResponse:
    """The counter screen: today's entries, take a payment, refund, receipts."""
    agent = agent_of(request)
    policy.require(agent, Action.CASHBOOK_VIEW)
    counters, seen = _counter(request)
    payment_form = PaymentForm(
        request.POST if "take_payment" in request.POST else None,
        initial={"means": Means.CASH, **_due(agent, request.GET.get("dossier", ""))},
    )
    refund_form = RefundForm(request.POST if "refund" in request.POST else None)
    if seen is not None and request.method == "POST":
        counter = seen.obj
        if "take_payment" in request.POST and payment_form.is_valid():
            data = payment_form.cleaned_data

            def take() -> Any:
                try:
                    fee = _fee_for(agent, data["dossier"])
                except NotFound as missing:
                    payment_form.add_error("dossier", missing.text)
                    return None
                return services.payment_record(
                    actor=agent,
                    counter=counter,
                    fee=fee,
                    amount=data["amount"],
                    means=data["means"],
                )

            payment = submit(payment_form, take)
            if payment is not None:
                messages.success(
                    request,
                    gettext("Payment recorded: receipt %(receipt)s.")
                    % {"receipt": payment.receipt_reference},
                )
                return _here(counter)
        if "refund" in request.POST and refund_form.is_valid():
            data = refund_form.cleaned_data
            refund = submit(
                refund_form,
                lambda: services.refund_record(
                    actor=agent,
                    payment=selectors.payment_get_for_agent(
                        agent=agent, key=data["payment"]
                    ).obj,
                    amount=data["amount"],
                    reason=data["reason"],
                ),
            )
            if refund is not None:
                messages.success(
                    request,
                    gettext("Refund recorded: receipt %(receipt)s.")
                    % {"receipt": refund.receipt_reference},
                )
                return _here(counter)
    sheet = selectors.day_sheet(agent=agent, counter=seen) if seen else None
    failed = request.method == "POST" and (payment_form.errors or refund_form.errors)
    return render(
        request,
        "ui/cashbook/counter.html",
        {
            "counters": counters,
            "counter": seen.obj if seen else None,
            "sheet": sheet,
            "payment_form": payment_form,
            "refund_form": refund_form,
            "refund_payment": request.POST.get("payment", ""),
            "may_refund": policy.may(agent, Action.REFUND_RECORD),
            "may_pay": seen is not None and seen.may(Action.PAYMENT_RECORD),
            "languages": LANGUAGES,
            "language": translation.get_language() or "fr",
        },
        status=422 if failed else 200,
    )


@agent_required
def closing(request: HttpRequest) -> HttpResponse:
    """The closing screen: expected against counted per means, sign, check."""
    agent = agent_of(request)
    policy.require(agent, Action.CASHBOOK_VIEW)
    counters, seen = _counter(request)
    if seen is None:
        raise NotFound(_("There is no such counter."))
    sheet = selectors.day_sheet(agent=agent, counter=seen, key=request.GET.get("day"))
    day = sheet.day
    close_form = CloseForm(
        request.POST if "close" in request.POST else None,
        initial={
            "version": day.version if day else 0,
            **{f"counted_{m}": f"{v:.2f}" for m, v in sheet.expected.items()},
        },
    )
    check_form = CheckForm(
        request.POST if "check" in request.POST else None,
        initial={"version": day.version if day else 0},
    )
    if day is not None and request.method == "POST":
        if "close" in request.POST and close_form.is_valid():
            data = close_form.cleaned_data
            closed = submit(
                close_form,
                lambda: services.cash_day_close(
                    actor=agent,
                    day=day,
                    counted={
                        m: data[f"counted_{m}"] for m in ("card", "cash", "transfer")
                    },
                    expected_version=data["version"],
                    supervisor_note=data["supervisor_note"],
                ),
            )
            if closed is not None:
                messages.success(request, gettext("The day is closed and signed."))
                return _closing_here(seen.obj, closed)
        if "check" in request.POST and check_form.is_valid():
            data = check_form.cleaned_data
            checked = submit(
                check_form,
                lambda: services.cash_day_check(
                    actor=agent,
                    day=day,
                    expected_version=data["version"],
                    note=data["note"],
                ),
            )
            if checked is not None:
                messages.success(request, gettext("The day is checked."))
                return _closing_here(seen.obj, checked)
    difference = _difference(close_form, sheet.expected)
    failed = request.method == "POST" and (close_form.errors or check_form.errors)
    return render(
        request,
        "ui/cashbook/closing.html",
        {
            "counters": counters,
            "counter": seen.obj,
            "sheet": sheet,
            "day": day,
            "close_form": close_form,
            "check_form": check_form,
            "difference": difference,
            "is_open": day is not None and day.status == DayStatus.OPEN,
            "is_closed": day is not None and day.status == DayStatus.CLOSED,
            "may_close": Action.CASH_DAY_CLOSE in sheet.actions,
            "may_check": Action.CASH_DAY_CHECK in sheet.actions,
        },
        status=422 if failed else 200,
    )


def _closing_here(counter: Counter, day: Any) -> HttpResponse:
    return HttpResponseRedirect(
        f"{reverse('ui:cashbook_closing')}?counter={counter.uuid}&day={day.uuid}"
    )


def _difference(form: CloseForm, expected: dict[str, Decimal]) -> Decimal | None:
    """The difference the counted amounts typed would make (shown, not decided)."""
    if not form.is_bound:
        return None
    problems = Problems()
    counted = services.counted_amounts(
        problems, {m: form.data.get(f"counted_{m}", "") for m in expected}
    )
    if problems.errors:
        return None
    return totals.differences(counted, expected)[1]


@agent_required
def receipt(request: HttpRequest, kind: str, key: str, language: str) -> HttpResponse:
    """A payment's or refund's receipt, PDF/A, as an attachment."""
    got = selectors.receipt_for_agent(
        agent=agent_of(request), kind=kind, key=key, language=language
    )
    return _file(got.data, "application/pdf", got.filename)
