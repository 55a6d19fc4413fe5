"""Telephony in the workspace: the poll that opens the caller's record when the
agent answers a call (docs/telephony.md, docs/adr/0010-telephony-hook.md).

Pages drawn for an agent with an extension carry a tiny element that asks every
few seconds whether a call they answered reached us after the page was drawn (one
indexed query; nothing else is read while no call comes). When one did, htmx is
told to load the caller's contact screen in place of the page (`HX-Location`: no
reload): the person's record with the phone contact form prefilled, when exactly
one person the agent may see has the number; otherwise the search's page for
the number, with the call and an anonymous contact offered (a person the agent may not see is not found, exactly as a
number nobody has).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from guichet.agents.models import Agent
from guichet.core import clock
from guichet.core.errors import Forbidden
from guichet.telephony import selectors
from guichet.telephony.models import Call
from guichet.ui import search
from guichet.ui.agent import agent_of, agent_required


def poll_since() -> str:
    """The instant a page is drawn, as its poll sends it back (Unix seconds)."""
    return f"{clock.now().timestamp():.6f}"


def _since(raw: str) -> dt.datetime:
    try:
        value = float(raw)
    except ValueError:
        return clock.now()
    if value != value or value in (float("inf"), float("-inf")):  # NaN, infinity
        return clock.now()
    try:
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return clock.now()


def call_destination(agent: Agent, call: Call) -> str:
    """Where the workspace goes for this call (see the module's docstring)."""
    person = selectors.caller_for_agent(agent=agent, call=call)
    if person is not None:
        return (
            reverse("ui:contact_new", args=[person.uuid])
            + "?"
            + urlencode({"call": str(call.uuid)})
        )
    if call.number:
        return reverse("ui:telephony_call_search", args=[call.uuid])
    return (
        reverse("ui:contact_new_anonymous") + "?" + urlencode({"call": str(call.uuid)})
    )


@agent_required
@require_GET
def telephony_poll(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    if not agent.phone_extension:
        return HttpResponse(status=204)
    call = selectors.call_answered_since(
        agent=agent, since=_since(request.GET.get("since", ""))
    )
    if call is None:
        return HttpResponse(status=204)
    response = HttpResponse(status=200)
    response["HX-Location"] = json.dumps(
        {"path": call_destination(agent, call), "target": "body"}
    )
    return response


@agent_required
@require_GET
def telephony_call_search(request: HttpRequest, call_id: uuid.UUID) -> HttpResponse:
    """The global search's page for the caller's number, with the call above it
    and the anonymous contact offered (a page of its own: the search's URL
    answers htmx with its drop-down only)."""
    agent = agent_of(request)
    if not search.available_to(agent):
        raise Forbidden(_("You may not do this."))
    call = selectors.call_for_agent(agent=agent, call_id=call_id)
    results = search.run(
        agent=agent, query=call.number, page_size=settings.SEARCH_PAGE_SIZE
    )
    return render(
        request,
        "ui/search/search_results.html",
        {
            "results": results,
            "only_group": "",
            "page": 1,
            "call": call,
            "offer_anonymous": True,
        },
    )
