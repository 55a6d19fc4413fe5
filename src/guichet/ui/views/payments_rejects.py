"""Bank rejects on a run's page: the rejected transfers with their reasons, the
form recording a reject (the bank names the transfer by its end-to-end id), and
"pay again" once the payee's account was corrected. The run's page includes the
section (`rejects_context`); the forms post here, and a refused form is shown
again here with why. Rules in `guichet.payments.rejects`; docs/payments.md,
"Bank rejects".
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.payments import Action
from guichet.agents.models import Agent
from guichet.core.errors import GuichetError, NotFound
from guichet.payments import rejects, selectors
from guichet.payments.models import PaymentRun, PaymentState, RejectReason, RunState
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import ServiceForm, submit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RejectForm(ServiceForm):
    end_to_end_id = forms.CharField(
        label=_("End-to-end id of the transfer"),
        max_length=35,
        help_text=_("As the bank's reject gives it, for example P202601-1A-2B-N."),
    )
    reason = forms.ChoiceField(label=_("Bank's reason"), choices=RejectReason.choices)
    reason_text = forms.CharField(
        label=_("Bank's text"),
        max_length=140,
        required=False,
        help_text=_("Required for another reason."),
    )
    bank_reference = forms.CharField(
        label=_("Bank's reference"), max_length=35, required=False
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)


def _rows(agent: Agent, run: PaymentRun) -> list[dict[str, Any]]:
    rows = []
    for reject in rejects.rejects_of_run(agent=agent, run=run):
        payment = reject.payment
        corrected = (
            reject.retry is None
            and payment.state == PaymentState.REJECTED
            and rejects.corrected_account(payment, reject) is not None
        )
        rows.append({"reject": reject, "payment": payment, "corrected": corrected})
    return rows


def rejects_context(
    agent: Agent, run: PaymentRun, form: RejectForm | None = None
) -> dict[str, Any]:
    """The run page's "Bank rejects" section."""
    if run.state != RunState.EXECUTED:
        return {"rejects_shown": False}
    rows = _rows(agent, run)
    return {
        "rejects_shown": True,
        "reject_rows": rows,
        "reject_form": form
        or RejectForm(initial={"received_on": timezone.localdate()}),
        "may_reject": policy.may(agent, Action.RUN_EXECUTE, run),
        "retry_all": sum(1 for row in rows if row["corrected"]) > 1,
    }


def _record(agent: Agent, run: PaymentRun, form: RejectForm) -> Any:
    def call() -> Any:
        data = form.cleaned_data
        payment = (
            rejects.payments_visible(agent=agent)
            .filter(run=run, end_to_end_id=data["end_to_end_id"].strip())
            .first()
        )
        if payment is None:
            form.add_error(
                "end_to_end_id", gettext("No transfer of this run has this id.")
            )
            return None
        return rejects.payment_reject_record(
            actor=agent,
            payment_id=payment.pk,
            reason=data["reason"],
            received_on=data["received_on"],
            reason_text=data["reason_text"],
            bank_reference=data["bank_reference"],
        )

    return submit(form, call)


@agent_required
def payment_run_rejects(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    run = selectors.run_get_for_agent(agent=agent, run_id=run_id)
    here = reverse("ui:payment_run", args=[run.uuid]) + "#rejects-title"
    form = None
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "reject":
                form = RejectForm(request.POST)
                if form.is_valid() and _record(agent, run, form) is not None:
                    messages.success(
                        request,
                        gettext("The reject is recorded; the payee is owed it again."),
                    )
                    return HttpResponseRedirect(here)
            elif step == "retry":
                result = rejects.payment_retry(
                    actor=agent, payment_id=request.POST.get("payment", "")
                )
                messages.success(request, _done(result))
                return HttpResponseRedirect(here)
            elif step == "retry_all":
                result = rejects.run_retry(actor=agent, run_id=str(run.uuid))
                messages.success(request, _done(result))
                return HttpResponseRedirect(here)
        except GuichetError as error:
            if isinstance(error, NotFound):
                raise
            messages.error(request, str(error.text))
            return HttpResponseRedirect(here)
    return render(
        request,
        "ui/payments/rejects.html",
        {"run": run, **rejects_context(agent, run, form)},
        status=422 if form is not None and form.errors else 200,
    )


def _done(result: rejects.RetryResult) -> str:
    if not result.payments:
        return gettext("Nothing to pay again: it was paid again already.")
    return gettext("Paid again in the file %(file)s.") % {
        "file": result.file.message_id if result.file else ""
    }
