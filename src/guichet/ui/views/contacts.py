"""Contacts: the first line's one-screen registration, the person's "Contacts" tab
and the service's recent contacts.

A contact is registered from the person's 360° view (or without a person, for an
anonymous caller) in one screen: the channel is the phone unless changed, the
topic comes from the service's taxonomy (`topic_options`), and the screen carries
the signed instant it was opened, so the duration is measured from the opening to
the submission. Two buttons end it: "answered at once" registers the contact
(`contact_register`), "create a request" registers it with the request it turns
into (`contact_with_request`, routed by the rules). Every rule is the services'.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.contacts import Action
from guichet.access.domains.servicerequests import Action as RequestAction
from guichet.agents.models import Agent, Team
from guichet.contacts import selectors
from guichet.contacts.models import Contact
from guichet.contacts.services import ContactInput, contact_register
from guichet.core import clock
from guichet.parties import selectors as party_selectors
from guichet.parties.models import Person
from guichet.servicerequests.models import Request
from guichet.servicerequests.services import RequestInput, contact_with_request
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import submit
from guichet.ui.forms.contacts import ContactForm, opened_token

workspace.register_section(
    workspace.Section(
        key="contacts",
        label=_("Contacts"),
        description=_("The recent contacts of your service; register a new one."),
        url_name="ui:contact_list",
        action=Action.CONTACT_VIEW,
        order=25,
    )
)
workspace.register_person_tab(
    workspace.PersonTab(
        key="contacts",
        label=_("Contacts"),
        url_name="ui:person_contacts",
        action=Action.CONTACT_VIEW,
        order=100,
    )
)

REQUEST_PATH = "request"


def person_tabs(agent: Agent, person: Person, current: str) -> list[dict[str, object]]:
    return [
        {"tab": tab, "url": tab.url(person.uuid), "current": tab.key == current}
        for tab in workspace.person_tabs_for(agent)
    ]


def _teams(agent: Agent) -> list[tuple[str, str]]:
    return [
        (team.code, team.name)
        for team in Team.objects.filter(pk__in=agent.team_ids, is_active=True).order_by(
            "code"
        )
    ]


def _chosen_team(agent: Agent, code: str) -> Team | None:
    """The service the agent picked, when they have several (the service checks it
    is theirs); None lets the service take their only one."""
    return Team.objects.filter(code=code).first() if code else None


def _form(
    agent: Agent,
    *,
    anonymous: bool,
    data: object = None,
    team_code: str = "",
) -> ContactForm:
    teams = _teams(agent)
    team = _chosen_team(agent, team_code) or (
        Team.objects.filter(code=teams[0][0]).first() if teams else None
    )
    topics = selectors.topic_options(team=team, language=get_language() or "en")
    if data is None:
        return ContactForm(
            initial={
                "started_at": opened_token(),
                "team": teams[0][0] if teams else "",
            },
            topics=topics,
            teams=teams,
            anonymous=anonymous,
        )
    return ContactForm(data, topics=topics, teams=teams, anonymous=anonymous)


@agent_required
def person_contacts(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.CONTACT_VIEW)
    person = party_selectors.person_get_for_agent(agent=agent, person_id=person_id).obj
    return render(
        request,
        "ui/contacts/person_contacts.html",
        {
            "person": person,
            "tabs": person_tabs(agent, person, "contacts"),
            "contacts": selectors.contacts_of_person(agent=agent, person=person),
            "may_register": policy.may(agent, Action.CONTACT_REGISTER),
        },
    )


@agent_required
def contact_list(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.CONTACT_VIEW)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    return render(
        request,
        "ui/contacts/contact_list.html",
        {
            "page": selectors.contacts_of_teams(agent=agent, page=number),
            "may_register": policy.may(agent, Action.CONTACT_REGISTER),
        },
    )


def _register(
    request: HttpRequest, agent: Agent, form: ContactForm, person: Person | None
) -> Contact | tuple[Contact, Request] | None:
    data = form.cleaned_data
    contact = ContactInput(
        channel=data["channel"],
        started_at=data["started_at"],
        ended_at=clock.now(),
        person=str(person.uuid) if person else "",
        caller_name=data.get("caller_name", ""),
        caller_relation=data.get("caller_relation", ""),
        anonymous_details=data.get("anonymous_details", ""),
        topic=data["topic"],
        summary=data["summary"],
        outcome=data["outcome"],
    )
    team = _chosen_team(agent, data["team"])
    if person is not None and request.POST.get("path") == REQUEST_PATH:
        policy.require(agent, RequestAction.REQUEST_CREATE)
        wanted = RequestInput(
            kind=data["kind"],
            subject=data["subject"],
            topic=data["topic"],
            channel=data["channel"],
            description=data["summary"],
            priority=data["priority"],
            person=str(person.uuid),
            seriousness=data["seriousness"],
        )
        return submit(
            form,
            lambda: contact_with_request(
                actor=agent, contact=contact, request=wanted, team=team
            ),
        )
    return submit(form, lambda: contact_register(actor=agent, data=contact, team=team))


def _contact_screen(
    request: HttpRequest, agent: Agent, person: Person | None
) -> HttpResponse:
    policy.require(agent, Action.CONTACT_REGISTER)
    anonymous = person is None
    context: dict[str, object] = {
        "person": person,
        "tabs": person_tabs(agent, person, "contacts") if person else [],
        "may_create_request": person is not None
        and policy.may(agent, RequestAction.REQUEST_CREATE),
    }
    if request.method != "POST":
        form = _form(agent, anonymous=anonymous)
        return render(
            request, "ui/contacts/contact_new.html", {**context, "form": form}
        )
    form = _form(
        agent,
        anonymous=anonymous,
        data=request.POST,
        team_code=request.POST.get("team", ""),
    )
    done = _register(request, agent, form, person) if form.is_valid() else None
    if done is None:
        return render(
            request,
            "ui/contacts/contact_new.html",
            {**context, "form": form},
            status=422,
        )
    if isinstance(done, tuple):
        created = done[1]
        messages.success(
            request,
            gettext(
                "The contact was registered and request %(reference)s created in "
                "the queue of %(team)s."
            )
            % {"reference": created.reference, "team": created.team.name},
        )
        return redirect("ui:request_detail", created.reference)
    messages.success(request, gettext("The contact was registered."))
    if person is not None:
        return redirect("ui:person_contacts", person.uuid)
    return redirect("ui:contact_list")


@agent_required
def contact_new(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    person = party_selectors.person_get_for_agent(
        agent=agent, person_id=person_id, purpose="contact"
    ).obj
    return _contact_screen(request, agent, person)


@agent_required
def contact_new_anonymous(request: HttpRequest) -> HttpResponse:
    return _contact_screen(request, agent_of(request), None)
