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

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from guichet.access import policy
from guichet.access.domains.contacts import Action
from guichet.access.domains.servicerequests import Action as RequestAction
from guichet.access.policy import Seen
from guichet.agents.models import Agent, Team
from guichet.contacts import selectors
from guichet.contacts import services as contact_services
from guichet.contacts.models import Channel, Contact
from guichet.contacts.services import ContactCorrection, ContactInput, contact_register
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.parties import selectors as party_selectors
from guichet.parties.models import Person
from guichet.servicerequests import selectors as request_selectors
from guichet.servicerequests import services as request_services
from guichet.servicerequests.models import Request
from guichet.servicerequests.services import (
    RequestInput,
    anonymous_contact_with_request,
    contact_with_request,
)
from guichet.suggest import services as suggest
from guichet.telephony import selectors as telephony_selectors
from guichet.telephony import services as telephony_services
from guichet.telephony.models import Call
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import submit
from guichet.ui.forms.contacts import (
    ContactCorrectForm,
    ContactForm,
    RequestFromContactForm,
    opened_token,
)
from guichet.ui.forms.pick import show_chosen
from guichet.ui.forms.servicerequests import ActionForm, AttachForm, IdentifyForm

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

T = TypeVar("T")


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
    services = _services()
    if data is None:
        return ContactForm(
            initial={
                "started_at": opened_token(),
                "team": teams[0][0] if teams else "",
            },
            topics=topics,
            teams=teams,
            anonymous=anonymous,
            services=services,
        )
    form = ContactForm(
        data, topics=topics, teams=teams, anonymous=anonymous, services=services
    )
    _show_caller(agent, form)
    return form


def _services() -> list[tuple[str, str]]:
    """Every active service, which a complaint may be about."""
    return list(
        Team.objects.filter(is_active=True).order_by("name").values_list("code", "name")
    )


def picked_person(agent: Agent, chosen: str) -> Person | None:
    """The person picked in a person picker, if the agent sees them (read logged)."""
    if not chosen:
        return None
    try:
        return party_selectors.person_get_for_agent(
            agent=agent, person_id=chosen, purpose="pick"
        ).obj
    except NotFound:
        return None


def _show_caller(agent: Agent, form: ContactForm) -> None:
    """The caller already picked, named again when the form comes back (a person
    the agent no longer sees is simply not shown)."""
    if "caller_person" not in form.fields:
        return
    chosen = str(form.data.get("caller_person", ""))
    person = picked_person(agent, chosen)
    if person is not None:
        show_chosen(form, "caller_person", str(person))


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
    request: HttpRequest,
    agent: Agent,
    form: ContactForm,
    person: Person | None,
    call: Call | None = None,
) -> Contact | tuple[Contact, Request] | None:
    if call is None:
        return _register_now(request, agent, form, person, None)

    def register(locked: Call) -> Contact | tuple[Contact, Request]:
        return _registered(request, agent, form, person, locked)

    def contact_of(done: Contact | tuple[Contact, Request]) -> Contact:
        return done[0] if isinstance(done, tuple) else done

    return submit(
        form,
        lambda: telephony_services.call_contact_register(
            actor=agent, call=call, register=register, contact_of=contact_of
        ),
        rename=_caller_field,
    )


def _registered(
    request: HttpRequest,
    agent: Agent,
    form: ContactForm,
    person: Person | None,
    call: Call,
) -> Contact | tuple[Contact, Request]:
    """The registration of a call's contact, inside `call_contact_register`'s
    transaction: a refusal raises, so that the call stays unlinked."""
    done = _register_now(request, agent, form, person, call, raising=True)
    assert done is not None  # noqa: S101 - raising=True raises instead
    return done


def _register_now(
    request: HttpRequest,
    agent: Agent,
    form: ContactForm,
    person: Person | None,
    call: Call | None,
    *,
    raising: bool = False,
) -> Contact | tuple[Contact, Request] | None:
    data = form.cleaned_data
    started_at: dt.datetime = data["started_at"]
    ended_at: dt.datetime | None = clock.now()
    if call is not None and call.answered_at is not None:
        # The call's own times: its end is recorded when it comes, if not yet.
        started_at = min(call.answered_at, clock.now())
        ended_at = max(call.ended_at, started_at) if call.ended_at else None
    contact = ContactInput(
        channel=data["channel"],
        started_at=started_at,
        ended_at=ended_at,
        address_used=call.number if call is not None else "",
        person=str(person.uuid) if person else "",
        caller_person=data.get("caller_person", ""),
        caller_name=data.get("caller_name", ""),
        caller_relation=data.get("caller_relation", ""),
        anonymous_details=data.get("anonymous_details", ""),
        topic=data["topic"],
        summary=data["summary"],
        outcome=data["outcome"],
    )
    team = _chosen_team(agent, data["team"])
    if request.POST.get("path") == REQUEST_PATH:
        policy.require(agent, RequestAction.REQUEST_CREATE)
        wanted = RequestInput(
            kind=data["kind"],
            subject=data["subject"],
            topic=data["topic"],
            channel=data["channel"],
            description=data["summary"],
            priority=data["priority"],
            person=str(person.uuid) if person else "",
            requester_person=data.get("caller_person", ""),
            requester_name=data.get("caller_name", ""),
            seriousness=data["seriousness"],
            complaint_about=data["complaint_about"],
            complaint_service=data["complaint_service"],
        )
        if person is None:
            return _submit(
                form,
                lambda: anonymous_contact_with_request(
                    actor=agent, contact=contact, request=wanted, team=team
                ),
                raising=raising,
            )
        return _submit(
            form,
            lambda: contact_with_request(
                actor=agent, contact=contact, request=wanted, team=team
            ),
            raising=raising,
        )
    return _submit(
        form,
        lambda: contact_register(actor=agent, data=contact, team=team),
        raising=raising,
    )


def _submit(form: ContactForm, call: Callable[[], T], *, raising: bool) -> T | None:
    """The service's result; its refusal shown on the form, or raised to an
    enclosing `submit` (a call's contact, registered in the call's transaction)."""
    return call() if raising else submit(form, call, rename=_caller_field)


def _caller_field(name: str) -> str:
    """The request's requester is the contact's caller: its errors go there."""
    return {"requester_person": "caller_person", "requester_name": "caller_name"}.get(
        name, name
    )


def _call_of(request: HttpRequest, agent: Agent) -> Call | None:
    """The call this screen registers (`?call=`, then the form's hidden field):
    only one the agent answered; any other is ignored."""
    raw = request.POST.get("call") or request.GET.get("call", "")
    if not raw:
        return None
    try:
        return telephony_selectors.call_for_agent(
            agent=agent, call_id=uuid.UUID(str(raw))
        )
    except (ValueError, NotFound):
        return None


def _contact_screen(
    request: HttpRequest, agent: Agent, person: Person | None
) -> HttpResponse:
    policy.require(agent, Action.CONTACT_REGISTER)
    anonymous = person is None
    call = _call_of(request, agent)
    context: dict[str, object] = {
        "person": person,
        "tabs": person_tabs(agent, person, "contacts") if person else [],
        "may_create_request": policy.may(agent, RequestAction.REQUEST_CREATE),
        "call": call,
    }
    if request.method != "POST":
        form = _form(agent, anonymous=anonymous)
        if call is not None:
            form.initial.update(
                {"call": str(call.uuid), "channel": Channel.PHONE}
                | (
                    {"anonymous_details": call.number}
                    if anonymous and call.number
                    else {}
                )
            )
        return render(
            request, "ui/contacts/contact_new.html", {**context, "form": form}
        )
    form = _form(
        agent,
        anonymous=anonymous,
        data=request.POST,
        team_code=request.POST.get("team", ""),
    )
    done = _register(request, agent, form, person, call) if form.is_valid() else None
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


# One contact's page: what was registered, the requests it belongs to, and the
# corrections an agent makes afterwards (each one service call).


def _contact_forms(
    agent: Agent, seen: Seen[Contact], given: dict[str, ActionForm]
) -> dict[str, ActionForm]:
    contact = seen.obj
    found: dict[str, ActionForm] = {}
    language = get_language() or "en"
    if seen.may(Action.CONTACT_EDIT):
        found["correct"] = given.get("correct") or ContactCorrectForm(
            initial={
                "version": contact.version,
                "topic": str(contact.topic.uuid) if contact.topic else "",
                "summary": contact.summary,
                "outcome": contact.outcome,
            },
            topics=selectors.topic_options(team=contact.team, language=language),
        )
        if contact.person_id is None and contact.organisation_id is None:
            found["identify"] = given.get("identify") or IdentifyForm(
                initial={"version": contact.version}
            )
    if policy.may(agent, RequestAction.REQUEST_WORK):
        found["attach"] = given.get("attach") or AttachForm()
    if policy.may(agent, RequestAction.REQUEST_CREATE):
        found["request"] = given.get("request") or RequestFromContactForm(
            initial={"topic": str(contact.topic.uuid) if contact.topic else ""},
            topics=selectors.topic_options(team=contact.team, language=language),
            services=_services(),
        )
    return found


def _contact_page(
    request: HttpRequest,
    seen: Seen[Contact],
    *,
    given: dict[str, ActionForm] | None = None,
    status: int = 200,
    stale: bool = False,
) -> HttpResponse:
    agent = agent_of(request)
    return render(
        request,
        "ui/contacts/contact_detail.html",
        {
            "contact": seen.obj,
            "requests": request_selectors.requests_of_contact(
                agent=agent, contact=seen.obj
            ),
            "forms": _contact_forms(agent, seen, given or {}),
            "stale": stale,
            "suggestions": suggest.suggestions_for_contact(agent, seen.obj),
        },
        status=status,
    )


def _contact_seen(request: HttpRequest, contact_id: uuid.UUID) -> Seen[Contact]:
    return selectors.contact_get_for_agent(agent=agent_of(request), uuid=contact_id)


@agent_required
def contact_detail(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    policy.require(agent_of(request), Action.CONTACT_VIEW)
    return _contact_page(request, _contact_seen(request, contact_id))


def _contact_act(
    request: HttpRequest,
    contact_id: uuid.UUID,
    key: str,
    make: Callable[[Seen[Contact]], ActionForm],
    call: Callable[[Seen[Contact], ActionForm], object],
    done: str,
) -> HttpResponse:
    """One action's service for its bound form; on refusal the page again with
    the form as typed (422), or the conflict (409) for a stale version."""
    seen = _contact_seen(request, contact_id)
    form = make(seen)
    if form.is_valid():
        result = submit(form, lambda: call(seen, form))
        if result is not None:
            messages.success(request, done)
            if isinstance(result, Request):
                return redirect("ui:request_detail", result.reference)
            return redirect("ui:contact_detail", contact_id)
    if form.stale is not None:
        return _contact_page(
            request, _contact_seen(request, contact_id), status=409, stale=True
        )
    if key == "identify":
        _show_picked(agent_of(request), form, "person")
    return _contact_page(request, seen, given={key: form}, status=422)


def _show_picked(agent: Agent, form: ActionForm, name: str) -> None:
    person = picked_person(agent, str(form.data.get(name, "")))
    if person is not None:
        show_chosen(form, name, str(person))


@agent_required
@require_POST
def contact_correct(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    return _contact_act(
        request,
        contact_id,
        "correct",
        lambda seen: ContactCorrectForm(
            request.POST,
            topics=selectors.topic_options(
                team=seen.obj.team, language=get_language() or "en"
            ),
        ),
        lambda seen, form: contact_services.contact_correct(
            actor=agent,
            contact=seen.obj,
            expected_version=form.cleaned_data["version"],
            data=ContactCorrection(
                topic=form.cleaned_data["topic"],
                summary=form.cleaned_data["summary"],
                outcome=form.cleaned_data["outcome"],
            ),
        ),
        gettext("The contact was corrected."),
    )


@agent_required
@require_POST
def contact_identify(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    return _contact_act(
        request,
        contact_id,
        "identify",
        lambda seen: IdentifyForm(request.POST),
        lambda seen, form: contact_services.contact_identify(
            actor=agent,
            contact=seen.obj,
            expected_version=form.cleaned_data["version"],
            person=form.cleaned_data["person"],
        ),
        gettext("The person concerned was named."),
    )


@agent_required
@require_POST
def contact_attach(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)

    def call(seen: Seen[Contact], form: ActionForm) -> object:
        target = request_selectors.request_named(
            agent=agent, field="reference", key=form.cleaned_data["reference"]
        )
        request_services.request_attach_contact(
            actor=agent, request=target, contact=seen.obj
        )
        return target

    return _contact_act(
        request,
        contact_id,
        "attach",
        lambda seen: AttachForm(request.POST),
        call,
        gettext("The contact was attached to the request."),
    )


@agent_required
@require_POST
def contact_request(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)

    def call(seen: Seen[Contact], form: ActionForm) -> object:
        data = form.cleaned_data
        return request_services.request_from_contact(
            actor=agent,
            contact=seen.obj,
            team=seen.obj.team if seen.obj.team_id in agent.team_ids else None,
            data=RequestInput(
                kind=data["kind"],
                subject=data["subject"],
                topic=data["topic"],
                channel=seen.obj.channel,
                description=seen.obj.summary,
                priority=data["priority"],
                seriousness=data["seriousness"],
                complaint_about=data["complaint_about"],
                complaint_service=data["complaint_service"],
            ),
        )

    return _contact_act(
        request,
        contact_id,
        "request",
        lambda seen: RequestFromContactForm(
            request.POST,
            topics=selectors.topic_options(
                team=seen.obj.team, language=get_language() or "en"
            ),
            services=_services(),
        ),
        call,
        gettext("The request was created from the contact."),
    )
