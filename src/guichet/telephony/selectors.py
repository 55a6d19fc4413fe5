"""Reads of calls for the agent who answered them (docs/telephony.md).

A call is only ever shown to its own agent, so these filter by agent rather than
through a visibility rule; the caller's record is found through the parties'
selector, which asks the policy and writes the access log: a person the agent may
not see is not found, exactly like a number nobody has.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Agent
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.parties.models import Person
from guichet.parties.selectors import person_search

from .errors import Code
from .models import Call

# A poll looks no further back than this: an old call is registered by hand.
RECENT = dt.timedelta(minutes=30)


def call_answered_since(*, agent: Agent, since: dt.datetime) -> Call | None:
    """The agent's latest call whose answer reached us after `since` (by our
    clock; one query on the index (agent, noted_at))."""
    return (
        Call.objects.filter(agent=agent, noted_at__gt=max(since, clock.now() - RECENT))
        .order_by("-noted_at")
        .first()
    )


def call_for_agent(*, agent: Agent, call_id: uuid.UUID | str) -> Call:
    """A call the agent answered; any other is not found."""
    call = Call.objects.filter(uuid=call_id, agent=agent).first()
    if call is None:
        raise NotFound(_("This call does not exist."), code=Code.NOT_YOUR_CALL)
    return call


def caller_for_agent(*, agent: Agent, call: Call) -> Person | None:
    """The one person the agent sees with the caller's number; None when nobody
    they see has it, or several do (the search then lists them)."""
    if not call.number:
        return None
    found = person_search(agent=agent, phone=call.number, page_size=2)
    return found.items[0] if len(found.items) == 1 else None
