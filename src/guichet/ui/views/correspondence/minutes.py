"""Minutes of meetings and their action items (kept by the agenda since
issue #17; their addresses stay under /correspondence/, users bookmarked them)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from guichet.access import policy
from guichet.access.domains.correspondence import Action
from guichet.agenda.minutes import selectors, services
from guichet.agents.models import Agent
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import submit
from guichet.ui.forms.correspondence import (
    MinutesForm,
    VersionedForm,
    lines,
    minutes_field,
)

from .common import _call, _file, _teams


def _owners(agent: Agent) -> list[tuple[str, str]]:
    return [
        (member.get_username(), member.get_full_name() or member.get_username())
        for member in selectors.action_owner_choices(agent=agent)
    ]


@agent_required
def minutes_new(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.MINUTES_CREATE)
    options = {"teams": _teams(agent), "owners": _owners(agent)}
    # Written from a meeting of the agenda: prefilled from it (404 for a meeting the
    # agent may not see, as for one that does not exist).
    key = request.POST.get("meeting") or request.GET.get("meeting")
    draft = (
        selectors.minutes_draft_for_meeting(agent=agent, meeting_id=key)
        if key
        else None
    )
    if request.method != "POST":
        teams = options["teams"]
        initial: dict[str, object] = {
            "team": teams[0][0] if teams else "",
            "language": agent.language,
        }
        if draft is not None:
            initial |= {
                "meeting": draft.meeting.uuid,
                "title": draft.title,
                "meeting_date": draft.meeting_date,
                "place": draft.place,
                "attendees": "\n".join(draft.attendees),
                "absentees": "\n".join(draft.absentees),
            }
        form = MinutesForm(initial=initial, **options)
        return _minutes_page(request, form, draft=draft)
    form = MinutesForm(request.POST, **options)
    if not form.is_valid():
        return _minutes_page(request, form, status=422, draft=draft)
    data = form.cleaned_data
    actions = form.actions()
    rows = [row for row, *_rest in actions]
    minutes = submit(
        form,
        lambda: services.minutes_create(
            actor=agent,
            title=data["title"],
            meeting_date=data["meeting_date"],
            language=data["language"],
            attendees=lines(data["attendees"]),
            absentees=lines(data["absentees"]),
            agenda=lines(data["agenda"]),
            decisions=lines(data["decisions"]),
            place=data["place"],
            team=data["team"] or None,
            meeting=draft.meeting.uuid if draft is not None else None,
            actions=[
                services.ActionInput(description=text, owner=owner, due_date=due)
                for _row, text, owner, due in actions
            ],
        ),
        rename=lambda name: minutes_field(name, rows),
    )
    if minutes is None:
        return _minutes_page(request, form, status=422, draft=draft)
    messages.success(
        request,
        ngettext(
            "The minutes were recorded, with %(count)d action.",
            "The minutes were recorded, with %(count)d actions.",
            len(actions),
        )
        % {"count": len(actions)},
    )
    return redirect("ui:minutes_detail", minutes.uuid)


def _minutes_page(
    request: HttpRequest,
    form: MinutesForm,
    *,
    status: int = 200,
    draft: selectors.MinutesDraft | None = None,
) -> HttpResponse:
    return render(
        request,
        "ui/correspondence/minutes_new.html",
        {"form": form, "draft": draft},
        status=status,
    )


@agent_required
def minutes_detail(request: HttpRequest, minutes_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    minutes = selectors.minutes_get_for_agent(agent=agent, minutes_id=minutes_id)
    return render(
        request,
        "ui/correspondence/minutes_detail.html",
        {
            "minutes": minutes,
            "actions": list(minutes.actions.all()),
            # Linked only for an agent who may see the meeting.
            "meeting": selectors.minutes_meeting_for_agent(
                agent=agent, minutes=minutes
            ),
        },
    )


@agent_required
@require_POST
def action_item_done(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    """Mark one of the agent's actions from minutes as done."""
    form = VersionedForm(request.POST)
    done = None
    if form.is_valid():
        done = _call(
            form,
            lambda: services.action_item_complete(
                actor=agent_of(request),
                item_id=item_id,
                expected_version=form.cleaned_data["version"],
            ),
        )
    if done is None:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
    else:
        messages.success(
            request,
            gettext("“%(action)s” is marked as done.") % {"action": done.description},
        )
    return redirect("ui:correspondence")


@agent_required
def minutes_pdf(request: HttpRequest, minutes_id: uuid.UUID) -> HttpResponse:
    minutes, data = services.minutes_pdf_deliver(
        actor=agent_of(request), minutes_id=minutes_id
    )
    return _file(data, "application/pdf", f"minutes-{minutes.meeting_date}.pdf")
