"""Presence and absences, and the agent's private agenda feed (issue #17, parts
4 and 5).

One section, "Presence": who of my services is present or absent today and the
coming days, the coming absences (with a cancel button where the agent may
cancel), a form to record an absence (for oneself, or for a member of one's
teams as their supervisor), and the agent's feed link. The rules are in
`agenda.absences` and `agenda.feeds`; the feed itself is the public
`/agenda/feed/<token>.ics`, answered 404 for an unknown or revoked token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from guichet.access import policy
from guichet.access.domains.agenda_absences import Action
from guichet.agenda.absences import selectors, services
from guichet.agenda.absences.periods import BRUSSELS
from guichet.agenda.feeds import selectors as feed_selectors
from guichet.agenda.feeds import services as feed_services
from guichet.agenda.models import AbsenceKind
from guichet.agents.models import Agent
from guichet.core import clock
from guichet.core.errors import Conflict, GuichetError
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import ServiceForm, submit

workspace.register_section(
    workspace.Section(
        key="agenda_presence",
        label=_("Presence"),
        description=_(
            "Who of your services is present today and the coming days; your "
            "absences and your agenda's calendar link."
        ),
        url_name="ui:agenda_presence",
        action=Action.ABSENCE_VIEW,
        order=46,
    )
)

DAYS_SHOWN = 5


def _name(agent: Agent) -> str:
    return agent.get_full_name() or agent.get_username()


class AbsenceForm(ServiceForm):
    agent = forms.ChoiceField(label=_("Who"))
    kind = forms.ChoiceField(label=_("Kind of absence"), choices=AbsenceKind.choices)
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    starts_time = forms.TimeField(
        label=_("From (time, for part of a day)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    ends_time = forms.TimeField(
        label=_("Until (time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    substitute = forms.ChoiceField(label=_("Substitute (optional)"), required=False)

    def __init__(
        self,
        *args: Any,
        agents: list[tuple[str, str]],
        colleagues: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = agents  # type: ignore[attr-defined]
        self.fields["substitute"].choices = [  # type: ignore[attr-defined]
            ("", gettext("Nobody")),
            *colleagues,
        ]


def _form(request: HttpRequest, agent: Agent, data: Any = None) -> AbsenceForm:
    members = selectors.team_members(viewer=agent)
    today = clock.today()
    return AbsenceForm(
        data,
        agents=[
            (a.get_username(), _name(a)) for a in selectors.absence_agents(actor=agent)
        ],
        colleagues=[(a.get_username(), _name(a)) for a in members],
        initial={"agent": agent.get_username(), "starts_on": today, "ends_on": today},
    )


def _page(
    request: HttpRequest,
    agent: Agent,
    form: AbsenceForm,
    *,
    feed_url: str = "",
    status: int = 200,
) -> HttpResponse:
    today = clock.today()
    return render(
        request,
        "ui/agenda/presence.html",
        {
            "form": form,
            "presence": selectors.presence(viewer=agent, first=today, count=DAYS_SHOWN),
            "absences": selectors.team_absences(viewer=agent, first=today, days=60),
            "feeds": feed_selectors.feeds_of_agent(agent=agent),
            "may_feed": policy.may(agent, Action.FEED_MANAGE),
            "feed_url": feed_url,
        },
        status=status,
    )


@agent_required
def presence(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.ABSENCE_VIEW)
    if request.method != "POST":
        return _page(request, agent, _form(request, agent))
    form = _form(request, agent, request.POST)
    if not form.is_valid():
        return _page(request, agent, form, status=422)
    data = form.cleaned_data
    starts_time, ends_time = data["starts_time"], data["ends_time"]
    hours = starts_time is not None or ends_time is not None

    def record() -> Any:
        whom = selectors.absence_agent_named(actor=agent, username=data["agent"])
        period: dict[str, Any] = (
            {
                "starts_at": dt.datetime.combine(
                    data["starts_on"], starts_time or dt.time(0), tzinfo=BRUSSELS
                ),
                "ends_at": dt.datetime.combine(
                    data["ends_on"], ends_time or dt.time(0), tzinfo=BRUSSELS
                ),
            }
            if hours
            else {"starts_on": data["starts_on"], "ends_on": data["ends_on"]}
        )
        return services.absence_create(
            actor=agent,
            agent=whom,
            kind=data["kind"],
            substitute=selectors.substitute_named(
                agent=whom, username=data["substitute"] or None
            ),
            **period,
        )

    created = submit(
        form,
        record,
        rename=lambda name: {"starts_at": "starts_time", "ends_at": "ends_time"}.get(
            name, name
        ),
    )
    if created is None:
        return _page(request, agent, form, status=422)
    messages.success(request, gettext("The absence is recorded."))
    return redirect("ui:agenda_presence")


@agent_required
@require_POST
def absence_cancel(request: HttpRequest, absence_id: str) -> HttpResponse:
    agent = agent_of(request)
    try:
        services.absence_cancel(actor=agent, absence_id=absence_id)
    except Conflict as error:
        messages.error(request, error.text)
    else:
        messages.success(request, gettext("The absence is cancelled."))
    return redirect("ui:agenda_presence")


@agent_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    created = feed_services.feed_create(actor=agent)
    url = request.build_absolute_uri(reverse("ui:agenda_feed", args=[created.token]))
    # The address is shown once, on this answer: it is never stored in clear.
    return _page(request, agent, _form(request, agent), feed_url=url)


@agent_required
@require_POST
def feed_revoke(request: HttpRequest, feed_id: str) -> HttpResponse:
    agent = agent_of(request)
    try:
        feed_services.feed_revoke(actor=agent, feed_id=feed_id)
    except GuichetError as error:
        if error.status == 404:
            raise
        messages.error(request, error.text)
    else:
        messages.success(request, gettext("The calendar link is revoked."))
    return redirect("ui:agenda_presence")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The agent's agenda as iCalendar, for their mail client (no login: the
    token is the key; unknown or revoked: 404)."""
    data = feed_selectors.feed_calendar(token=token)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
