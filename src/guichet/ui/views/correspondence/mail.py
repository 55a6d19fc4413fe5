"""The incoming mail register."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from guichet.access import policy
from guichet.access.domains.correspondence import Action
from guichet.agents.models import Team
from guichet.correspondence import selectors, services
from guichet.correspondence.models import (
    MailStatus,
)
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.forms.correspondence import (
    MailDispatchForm,
    MailRegisterForm,
)

from .common import _call, _file, _teams


@agent_required
def mail_list(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.MAIL_VIEW)
    rows = selectors.incoming_mail_list(agent=agent)
    return render(
        request,
        "ui/correspondence/mail_list.html",
        {
            "waiting": [row for row in rows if row.status == MailStatus.REGISTERED],
            "dispatched": [row for row in rows if row.status == MailStatus.DISPATCHED],
            "may_register": policy.may(agent, Action.MAIL_REGISTER),
        },
    )


@agent_required
def mail_register(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.MAIL_REGISTER)
    teams = _teams(agent)
    if request.method != "POST":
        form = MailRegisterForm(
            initial={"team": teams[0][0] if teams else ""}, teams=teams
        )
        return _mail_register_page(request, form)
    form = MailRegisterForm(request.POST, request.FILES, teams=teams)
    if not form.is_valid():
        return _mail_register_page(request, form, status=422)
    data = form.cleaned_data
    scan = data["scan"]
    mail = _call(
        form,
        lambda: services.incoming_mail_register(
            actor=agent,
            received_on=data["received_on"],
            subject=data["subject"],
            sender_name=data["sender_name"],
            scan=scan.read() if scan else b"",
            scan_name=scan.name if scan else "",
            team=data["team"] or None,
        ),
    )
    if mail is None:
        return _mail_register_page(request, form, status=422)
    messages.success(
        request,
        gettext("The mail was registered under number %(number)s.")
        % {"number": mail.number},
    )
    return redirect("ui:mail_detail", mail.uuid)


def _mail_register_page(
    request: HttpRequest, form: MailRegisterForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request, "ui/correspondence/mail_register.html", {"form": form}, status=status
    )


def _all_teams() -> list[tuple[str, str]]:
    return [
        (team.code, team.name)
        for team in Team.objects.filter(is_active=True).order_by("name")
    ]


@agent_required
def mail_detail(request: HttpRequest, mail_id: uuid.UUID) -> HttpResponse:
    """A piece of mail; a POST dispatches it to a service."""
    agent = agent_of(request)
    mail = selectors.incoming_mail_get_for_agent(agent=agent, mail_id=mail_id)
    may_dispatch = policy.may(agent, Action.MAIL_DISPATCH, mail)
    form = MailDispatchForm(
        request.POST if request.method == "POST" else None,
        initial={"version": mail.version},
        teams=_all_teams(),
    )
    status = 200
    if request.method == "POST":
        policy.require(agent, Action.MAIL_DISPATCH, mail)
        dispatched = None
        if form.is_valid():
            dispatched = _call(
                form,
                lambda: services.incoming_mail_dispatch(
                    actor=agent,
                    mail_id=mail.uuid,
                    expected_version=form.cleaned_data["version"],
                    team=form.cleaned_data["team"],
                ),
            )
        if dispatched is not None:
            messages.success(
                request,
                gettext("Mail %(number)s was dispatched to %(team)s.")
                % {
                    "number": dispatched.number,
                    "team": dispatched.dispatched_team.name
                    if dispatched.dispatched_team
                    else "",
                },
            )
            return redirect("ui:mail_list")
        status = 409 if form.stale else 422
        if form.stale:
            form = MailDispatchForm(
                initial={"version": mail.version}, teams=_all_teams()
            )
    return render(
        request,
        "ui/correspondence/mail_detail.html",
        {"mail": mail, "form": form, "may_dispatch": may_dispatch},
        status=status,
    )


@agent_required
def mail_scan(request: HttpRequest, mail_id: uuid.UUID) -> HttpResponse:
    mail, data = selectors.incoming_mail_scan(agent=agent_of(request), mail_id=mail_id)
    return _file(data, mail.scan_content_type, mail.scan_name.replace('"', ""))
