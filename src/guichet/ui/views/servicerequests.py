"""Requests: the team queues, one request's page with its actions and timeline,
the person's "Requests" tab and the supervisor's view.

Every read goes through `servicerequests.selectors` (the policy and the access
log), every change through one service of `servicerequests.services` (the
transition table, the conditional take, the versioned edits); a stale edit shows
the conflict and changes nothing. The view only turns an event's kind and data
into words in the agent's language.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from guichet.access import policy
from guichet.access.domains.correspondence import Action as LetterAction
from guichet.access.domains.servicerequests import Action
from guichet.access.policy import Seen
from guichet.agenda.minutes import selectors as minutes_selectors
from guichet.agents.models import Agent, Team
from guichet.contacts.models import Channel
from guichet.contacts.services import ContactInput
from guichet.core import clock
from guichet.core.errors import Conflict, NotFound, ValidationFailed
from guichet.correspondence import autonomy
from guichet.correspondence import selectors as letter_selectors
from guichet.correspondence.services import request_reply, request_reply_dispatch
from guichet.parties import selectors as party_selectors
from guichet.servicerequests import selectors, services, transitions
from guichet.servicerequests.models import (
    OPEN_STATUSES,
    EventKind,
    Kind,
    Request,
    RequestEvent,
    Status,
)
from guichet.servicerequests.selectors import QueueFilter
from guichet.suggest import services as suggest
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import ServiceForm, submit
from guichet.ui.forms.pick import show_chosen
from guichet.ui.forms.servicerequests import (
    ActionForm,
    AssignForm,
    HandoverForm,
    IdentifyForm,
    LinkForm,
    MergeForm,
    NoteForm,
    QueueFilterForm,
    ReplyForm,
    RequestContactForm,
    StandardReplyForm,
    TransitionForm,
)
from guichet.ui.views.contacts import person_tabs, picked_person
from guichet.ui.views.correspondence.letters import KIND_LABELS
from guichet.webforms import selectors as webform_selectors

workspace.register_section(
    workspace.Section(
        key="requests",
        label=_("Requests"),
        description=_("Your teams' queues, by deadline; take the next one."),
        url_name="ui:request_queue",
        action=Action.REQUEST_WORK,
        order=26,
    )
)
workspace.register_section(
    workspace.Section(
        key="supervision",
        label=_("Supervision"),
        description=_(
            "Work in progress per team and agent, overdue requests, complaints."
        ),
        url_name="ui:request_supervision",
        action=Action.REQUEST_ASSIGN,
        order=27,
    )
)
workspace.register_person_tab(
    workspace.PersonTab(
        key="requests",
        label=_("Requests"),
        url_name="ui:person_requests",
        action=Action.REQUEST_VIEW,
        order=110,
    )
)


def _team_names() -> dict[str, str]:
    return dict(Team.objects.values_list("code", "name"))


def event_words(event: RequestEvent, teams: dict[str, str]) -> str:
    """One timeline event in words, in the active language."""
    data: dict[str, Any] = event.data or {}
    statuses = dict(Status.choices)
    kind = event.kind
    if kind == EventKind.CREATED:
        team = data.get("team", "")
        return gettext("Request created in the queue of %(team)s.") % {
            "team": teams.get(team, team)
        }
    if kind == EventKind.STATUS:
        return gettext("Status changed from “%(old)s” to “%(new)s”.") % {
            "old": statuses.get(event.from_status, event.from_status),
            "new": statuses.get(event.to_status, event.to_status),
        }
    if kind == EventKind.TAKEN:
        return gettext("Taken by %(agent)s.") % {"agent": _agent_name(event)}
    if kind == EventKind.ASSIGNED:
        if data.get("owner"):
            return gettext("Given to %(owner)s.") % {"owner": data["owner"]}
        return gettext("Put back in the queue, without an owner.")
    if kind == EventKind.HANDOVER:
        source, target = data.get("from", ""), data.get("to", "")
        return gettext("Handed over from %(source)s to %(target)s.") % {
            "source": teams.get(source, source),
            "target": teams.get(target, target),
        }
    if kind == EventKind.MERGED:
        if data.get("into"):
            return gettext("Merged into %(reference)s and closed.") % {
                "reference": data["into"]
            }
        return gettext("%(reference)s was merged into this request.") % {
            "reference": data.get("from", "")
        }
    if kind == EventKind.LINKED:
        if data.get("parent"):
            return gettext("Made part of %(reference)s.") % {
                "reference": data["parent"]
            }
        return gettext("No longer part of another request.")
    if kind == EventKind.CONTACT:
        return gettext("A contact was attached.")
    if kind == EventKind.REPLY:
        return _reply_words(data)
    if kind == EventKind.IDENTIFIED:
        return gettext("The person concerned was identified.")
    return str(event.get_kind_display()).capitalize()


def _reply_words(data: dict[str, Any]) -> str:
    if not data.get("dispatched"):
        return gettext(
            "A reply was written; it waits for a supervisor's approval before it "
            "goes out."
        )
    if data.get("channel") == "email":
        return gettext("A reply was sent by e-mail.")
    return gettext("A reply was sent by post.")


def _agent_name(event: RequestEvent) -> str:
    agent = event.agent
    return agent.get_full_name() or agent.username if agent else "—"


@dataclass(frozen=True)
class ShownEvent:
    event: RequestEvent
    words: str
    elsewhere: bool  # an event of a request merged into this one


def _members(request: Request) -> list[tuple[str, str]]:
    return [
        (agent.username, agent.get_full_name() or agent.username)
        for agent in selectors.assignable_agents(request=request)
    ]


def _other_teams(request: Request) -> list[tuple[str, str]]:
    return [
        (team.code, team.name)
        for team in Team.objects.filter(is_active=True)
        .exclude(pk=request.team_id)
        .order_by("name")
    ]


def _forms(
    seen: Seen[Request],
    given: dict[str, ActionForm],
    inserted: letter_selectors.StandardAnswer | None = None,
) -> dict[str, Any]:
    """The action forms the agent may use on the request, blank unless `given`;
    the reply is the standard answer `inserted`, when one was."""
    obj = seen.obj
    version = {"version": obj.version}
    found: dict[str, Any] = {}
    is_open = obj.merged_into_id is None
    if seen.may(Action.REQUEST_WORK) and is_open:
        if transitions.targets(obj.status):
            found["transition"] = given.get("transition") or TransitionForm(
                initial=version,
                status=obj.status,
                is_complaint=obj.kind == Kind.COMPLAINT,
            )
        found["note"] = given.get("note") or NoteForm()
        found["merge"] = given.get("merge") or MergeForm()
        found["link"] = given.get("link") or LinkForm(
            initial={"parent": obj.parent.reference if obj.parent else ""}
        )
    if seen.may(Action.REQUEST_WORK):
        found["contact"] = given.get("contact") or RequestContactForm()
        if obj.person_id is None and obj.organisation_id is None:
            found["identify"] = given.get("identify") or IdentifyForm(initial=version)
        elif obj.person_id is not None:
            found["reply"] = given.get("reply") or (
                StandardReplyForm(
                    initial={"standard_answer": inserted.code, "body": inserted.body},
                    free_fields=inserted.fields,
                )
                if inserted is not None
                else ReplyForm()
            )
    if seen.may(Action.REQUEST_HANDOVER) and is_open:
        found["handover"] = given.get("handover") or HandoverForm(
            initial=version, teams=_other_teams(obj)
        )
    if seen.may(Action.REQUEST_ASSIGN) and is_open:
        found["assign"] = given.get("assign") or AssignForm(
            initial={**version, "owner": obj.owner.username if obj.owner else ""},
            members=_members(obj),
        )
    return found


def _detail(
    request: HttpRequest,
    seen: Seen[Request],
    *,
    given: dict[str, ActionForm] | None = None,
    status: int = 200,
    stale: bool = False,
) -> HttpResponse:
    agent = agent_of(request)
    obj = seen.obj
    teams = _team_names()
    answers = (
        letter_selectors.standard_answers_for_request(agent=agent, request=obj)
        if seen.may(Action.REQUEST_WORK) and obj.person_id is not None
        else []
    )
    wanted = request.GET.get("answer")
    inserted = next((answer for answer in answers if answer.code == wanted), None)
    events = [
        ShownEvent(event, event_words(event, teams), event.request_id != obj.pk)
        for event in selectors.timeline(agent=agent, request=obj)
    ]
    now = clock.now()
    return render(
        request,
        "ui/servicerequests/request_detail.html",
        {
            "item": obj,
            "events": events,
            "forms": _forms(seen, given or {}, inserted),
            "standard_answers": answers,
            "answer_codes": {answer.code for answer in answers},
            "suggestions": suggest.suggestions_for_request(agent, obj)
            if seen.may(Action.REQUEST_WORK)
            else None,
            "inserted": inserted,
            "may_take": seen.may(Action.REQUEST_WORK)
            and obj.owner_id is None
            and obj.status in OPEN_STATUSES
            and obj.merged_into_id is None,
            "overdue": obj.resolution_due is not None
            and obj.resolved_at is None
            and obj.resolution_due < now,
            "first_overdue": obj.first_answer_due is not None
            and obj.first_answered_at is None
            and obj.first_answer_due < now,
            "stale": stale,
            "replies_waiting": letter_selectors.replies_waiting(
                agent=agent, request=obj
            )
            if seen.may(Action.REQUEST_WORK)
            else [],
            "reply_emails": letter_selectors.reply_emails(agent=agent, request=obj)
            if seen.may(Action.REQUEST_WORK)
            else [],
            # The files the citizen sent with the web form (no query otherwise).
            "web_files": webform_selectors.request_files(request=obj)
            if obj.channel == Channel.WEB_FORM
            else [],
        },
        status=status,
    )


def _seen(request: HttpRequest, reference: str) -> Seen[Request]:
    return selectors.request_get_for_agent(agent=agent_of(request), key=reference)


@agent_required
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _detail(request, _seen(request, reference))


def _act(
    request: HttpRequest,
    seen: Seen[Request],
    key: str,
    form: ServiceForm,
    call: Callable[[Request], object],
    done: str,
) -> HttpResponse:
    """Run one action's service for a bound form; on refusal show the page again
    with the form as typed (422), or the conflict (409) for a stale version."""
    assert isinstance(form, ActionForm)  # noqa: S101 - every action form is one
    if form.is_valid():
        result = submit(form, lambda: call(seen.obj))
        if result is not None:
            messages.success(request, done)
            return redirect("ui:request_detail", seen.obj.reference)
    if form.stale is not None:
        current = _seen(request, seen.obj.reference)
        return _detail(request, current, status=409, stale=True)
    if key == "identify":
        chosen = picked_person(agent_of(request), str(form.data.get("person", "")))
        if chosen is not None:
            show_chosen(form, "person", str(chosen))
    return _detail(request, seen, given={key: form}, status=422)


@agent_required
@require_POST
def request_transition(request: HttpRequest, reference: str) -> HttpResponse:
    seen = _seen(request, reference)
    form = TransitionForm(
        request.POST,
        status=seen.obj.status,
        is_complaint=seen.obj.kind == Kind.COMPLAINT,
    )
    return _act(
        request,
        seen,
        "transition",
        form,
        lambda obj: services.request_transition(
            actor=agent_of(request),
            request=obj,
            expected_version=form.cleaned_data["version"],
            to=form.cleaned_data["to"],
            text_=form.cleaned_data["text"],
            classification=form.cleaned_data.get("classification", ""),
        ),
        gettext("The status was changed."),
    )


@agent_required
@require_POST
def request_note(request: HttpRequest, reference: str) -> HttpResponse:
    seen = _seen(request, reference)
    form = NoteForm(request.POST)
    return _act(
        request,
        seen,
        "note",
        form,
        lambda obj: services.request_note(
            actor=agent_of(request), request=obj, text_=form.cleaned_data["text"]
        ),
        gettext("The note was added."),
    )


@agent_required
@require_POST
def request_handover(request: HttpRequest, reference: str) -> HttpResponse:
    seen = _seen(request, reference)
    form = HandoverForm(request.POST, teams=_other_teams(seen.obj))

    def call(obj: Request) -> Request:
        team = Team.objects.get(code=form.cleaned_data["team"])
        return services.request_handover(
            actor=agent_of(request),
            request=obj,
            expected_version=form.cleaned_data["version"],
            team=team,
            reason=form.cleaned_data["reason"],
        )

    return _act(
        request, seen, "handover", form, call, gettext("The request was handed over.")
    )


@agent_required
@require_POST
def request_assign(request: HttpRequest, reference: str) -> HttpResponse:
    seen = _seen(request, reference)
    form = AssignForm(request.POST, members=_members(seen.obj))

    def call(obj: Request) -> Request:
        username = form.cleaned_data["owner"]
        owner = Agent.objects.get(username=username) if username else None
        return services.request_assign(
            actor=agent_of(request),
            request=obj,
            expected_version=form.cleaned_data["version"],
            agent=owner,
        )

    return _act(request, seen, "assign", form, call, gettext("The owner was changed."))


def _other(request: HttpRequest, form: ActionForm, field: str, key: str) -> Request:
    """The request named by reference in `field`: one the agent sees, else a field
    error (a missing and a hidden request read the same)."""
    try:
        return selectors.request_get_for_agent(agent=agent_of(request), key=key).obj
    except NotFound:
        form.add_error(field, gettext("No such request."))
        raise


@agent_required
@require_POST
def request_merge(request: HttpRequest, reference: str) -> HttpResponse:
    seen = _seen(request, reference)
    form = MergeForm(request.POST)

    def call(obj: Request) -> Request | None:
        try:
            into = _other(request, form, "into", form.cleaned_data["into"])
        except NotFound:
            return None
        return services.request_merge(
            actor=agent_of(request),
            duplicate=obj,
            into=into,
            reason=form.cleaned_data["reason"],
        )

    return _act(request, seen, "merge", form, call, gettext("The request was merged."))


@agent_required
@require_POST
def request_link(request: HttpRequest, reference: str) -> HttpResponse:
    seen = _seen(request, reference)
    form = LinkForm(request.POST)

    def call(obj: Request) -> Request | None:
        parent = None
        if form.cleaned_data["parent"]:
            try:
                parent = _other(request, form, "parent", form.cleaned_data["parent"])
            except NotFound:
                return None
        return services.request_link(actor=agent_of(request), child=obj, parent=parent)

    return _act(request, seen, "link", form, call, gettext("The link was saved."))


@agent_required
@require_POST
def request_take(request: HttpRequest, reference: str) -> HttpResponse:
    seen = _seen(request, reference)
    try:
        services.request_take(actor=agent_of(request), request=seen.obj)
    except Conflict as error:
        messages.error(request, str(error.text))
    else:
        messages.success(request, gettext("You took this request."))
    return redirect("ui:request_detail", seen.obj.reference)


@agent_required
@require_POST
def request_topic(request: HttpRequest, reference: str) -> HttpResponse:
    """Set the request's topic from the suggestions (recorded as feedback)."""
    seen = _seen(request, reference)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        suggest.request_topic_choose(
            agent=agent_of(request),
            request=seen.obj,
            expected_version=version,
            topic=request.POST.get("topic", ""),
        )
    except (ValidationFailed, Conflict) as error:
        messages.error(request, str(error.text))
    else:
        messages.success(request, gettext("The topic was changed."))
    return redirect("ui:request_detail", seen.obj.reference)


@agent_required
@require_POST
def request_take_next(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    code = request.POST.get("team", "")
    team = (
        Team.objects.filter(code=code, pk__in=agent.team_ids).first() if code else None
    )
    taken = services.request_take_next(actor=agent, team=team)
    if taken is None:
        messages.info(request, gettext("Nobody's request waits in your queues."))
        return redirect("ui:request_queue")
    messages.success(
        request, gettext("You took %(reference)s.") % {"reference": taken.reference}
    )
    return redirect("ui:request_detail", taken.reference)


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


@agent_required
def request_queue(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.REQUEST_WORK)
    teams = [
        (team.code, team.name)
        for team in Team.objects.filter(pk__in=agent.team_ids).order_by("code")
    ]
    form = QueueFilterForm(request.GET or None, teams=teams)
    values: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
    filters = QueueFilter(
        team=values.get("team", ""),
        status=values.get("status", ""),
        owner=values.get("owner", ""),
        kind=values.get("kind", ""),
        priority=values.get("priority", ""),
        overdue=bool(values.get("overdue")),
        page=_page_number(request),
    )
    page = selectors.queue(agent=agent, filters=filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ui/servicerequests/request_queue.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "now": clock.now(),
            "team": filters.team,
        },
        status=200 if not form.is_bound or form.is_valid() else 422,
    )


@agent_required
def person_requests(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.REQUEST_VIEW)
    person = party_selectors.person_get_for_agent(agent=agent, person_id=person_id).obj
    return render(
        request,
        "ui/servicerequests/person_requests.html",
        {
            "person": person,
            "tabs": person_tabs(agent, person, "requests"),
            "requests": selectors.requests_of_person(agent=agent, person=person),
            "now": clock.now(),
        },
    )


@agent_required
def request_supervision(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.REQUEST_ASSIGN)
    return render(
        request,
        "ui/servicerequests/supervision.html",
        {
            "workload": selectors.workload(agent=agent),
            "pending": list(selectors.complaints(agent=agent, open_only=True)[:50]),
            "handled": list(selectors.complaints_handled(agent=agent)[:50]),
            "now": clock.now(),
        },
    )


@dataclass(frozen=True)
class HomeWork:
    """What the home page shows an agent under "My work"."""

    requests: selectors.MyWork | None
    letters: list[Any]
    actions: list[Any]


def _with_kind(letters: list[Any]) -> list[Any]:
    """The approval queue, each letter with the words for why it waits (its kind:
    a standard answer adapted, no standard answer, flagged...)."""
    for letter in letters:
        letter.kind_label = KIND_LABELS.get(autonomy.kind_of(letter.autonomy_kind))
    return letters


def my_work(agent: Agent) -> HomeWork:
    """The agent's requests, their letters to approve and their action items, each
    only when the policy lets them see that kind of work."""
    return HomeWork(
        requests=selectors.my_work(agent=agent)
        if policy.may(agent, Action.REQUEST_WORK)
        else None,
        letters=_with_kind(letter_selectors.letters_waiting_approval(agent=agent))
        if policy.may(agent, LetterAction.LETTER_APPROVE)
        else [],
        actions=minutes_selectors.action_items_for_agent(agent=agent),
    )


@agent_required
@require_POST
def request_reply_view(request: HttpRequest, reference: str) -> HttpResponse:
    seen = _seen(request, reference)
    agent = agent_of(request)
    code = request.POST.get("standard_answer", "")
    if not code:
        form: ReplyForm | StandardReplyForm = ReplyForm(request.POST)
        return _act(
            request,
            seen,
            "reply",
            form,
            lambda obj: request_reply(
                actor=agent, request=obj, answer=form.cleaned_data["answer"]
            ),
            gettext("The reply was written."),
        )
    answer = next(
        (
            item
            for item in letter_selectors.standard_answers_for_request(
                agent=agent, request=seen.obj
            )
            if item.code == code
        ),
        None,
    )
    standard = StandardReplyForm(
        request.POST, free_fields=answer.fields if answer else {}
    )
    return _act(
        request,
        seen,
        "reply",
        standard,
        lambda obj: request_reply(
            actor=agent,
            request=obj,
            standard_answer=standard.cleaned_data["standard_answer"],
            free_values=standard.free_values(),
            body=standard.cleaned_data["body"] or None,
            is_flagged=standard.cleaned_data["is_flagged"],
            flag_reason=standard.cleaned_data["flag_reason"],
        ),
        gettext("The reply was written."),
    )


@agent_required
@require_POST
def request_reply_send(
    request: HttpRequest, reference: str, letter_id: uuid.UUID
) -> HttpResponse:
    seen = _seen(request, reference)
    request_reply_dispatch(
        actor=agent_of(request), request=seen.obj, letter_id=letter_id
    )
    messages.success(request, gettext("The reply went out."))
    return redirect("ui:request_detail", seen.obj.reference)


@agent_required
@require_POST
def request_contact_add(request: HttpRequest, reference: str) -> HttpResponse:
    seen = _seen(request, reference)
    form = RequestContactForm(request.POST)
    agent = agent_of(request)

    def call(obj: Request) -> object:
        data = form.cleaned_data
        now = clock.now()
        return services.request_contact_add(
            actor=agent,
            request=obj,
            team=obj.team if obj.team_id in agent.team_ids else None,
            contact=ContactInput(
                channel=data["channel"],
                direction=data["direction"],
                started_at=now,
                ended_at=now,
                summary=data["summary"],
                outcome=data["outcome"],
            ),
        )

    return _act(
        request, seen, "contact", form, call, gettext("The contact was registered.")
    )


@agent_required
@require_POST
def request_identify(request: HttpRequest, reference: str) -> HttpResponse:
    seen = _seen(request, reference)
    form = IdentifyForm(request.POST)
    return _act(
        request,
        seen,
        "identify",
        form,
        lambda obj: services.request_identify(
            actor=agent_of(request),
            request=obj,
            expected_version=form.cleaned_data["version"],
            person=form.cleaned_data["person"],
        ),
        gettext("The person concerned was named."),
    )
