"""An agent names who stands in for them while they are away (issue #13, item 6).

The rules (who may name whom, for how long, no overlap) are in
`agents.substitutions`; this page only shows the agent's periods and a form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.agents import substitutions
from guichet.agents.models import Agent, Substitution
from guichet.core import clock
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import ServiceForm, submit


def _colleagues(agent: Agent) -> list[tuple[str, str]]:
    rows = (
        Agent.objects.people()
        .filter(memberships__team_id__in=agent.team_ids)
        .exclude(pk=agent.pk)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    return [(row.username, row.get_full_name() or row.username) for row in rows]


class SubstitutionForm(ServiceForm):
    substitute = forms.ChoiceField(label=_("Substitute"))
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, colleagues: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute"].choices = colleagues  # type: ignore[attr-defined]


@agent_required
def substitution_page(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    colleagues = _colleagues(agent)
    today = clock.today()
    form = SubstitutionForm(
        request.POST or None,
        colleagues=colleagues,
        initial={"starts_on": today, "ends_on": today + dt.timedelta(days=4)},
    )
    if request.method == "POST" and "cancel" in request.POST:
        period = Substitution.objects.filter(
            agent=agent, uuid=request.POST.get("cancel", "")
        ).first()
        if period is not None:
            substitutions.substitution_cancel(actor=agent, substitution=period)
            messages.success(request, gettext("The substitution was cancelled."))
        return redirect("ui:substitution")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = submit(
            form,
            lambda: substitutions.substitution_create(
                actor=agent,
                agent=agent,
                substitute=Agent.objects.get(username=data["substitute"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            ),
        )
        if created is not None:
            messages.success(request, gettext("Your substitute is named."))
            return redirect("ui:substitution")
    periods = Substitution.objects.filter(
        agent=agent, cancelled_at__isnull=True, ends_on__gte=today
    ).select_related("substitute")
    status = 200 if request.method == "GET" or not form.errors else 422
    return render(
        request,
        "ui/substitution.html",
        {"form": form, "periods": periods, "colleagues": colleagues},
        status=status,
    )
