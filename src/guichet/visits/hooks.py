"""What other apps plug into the queue (ARCHITECTURE.md, dependency inversion).

Appointments of the agenda take priority at their time (issue #16, point 5). The
agenda does not exist yet. When it lands, it provides a function that, for a desk
about to call its next visitor, names the tickets of visitors whose appointment is
due (oldest appointment first), and `VisitsConfig.ready` (or the agenda's own
start-up, if it then sits above this app) appends it to `priority_sources`. The
desk calls those tickets first, in that order, then the oldest waiting ticket of
its services (`services.ticket_call_next`). With no source registered, the queue
is first come, first served.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guichet.agents.models import Agent

    from .models import Desk


@dataclass(frozen=True)
class DeskTurn:
    """A desk about to call its next visitor: who calls, for which services (the
    ids of the desk's services that the agent's teams serve), and when."""

    desk: Desk
    agent: Agent
    service_ids: frozenset[int]
    now: dt.datetime


# Each returns the ids of waiting tickets to call before the others, in order.
PrioritySource = Callable[[DeskTurn], Sequence[int]]
priority_sources: list[PrioritySource] = []


def priority_tickets(turn: DeskTurn) -> list[int]:
    """The tickets every source puts first, in the sources' order, once each."""
    seen: dict[int, None] = {}
    for source in priority_sources:
        for pk in source(turn):
            seen.setdefault(pk, None)
    return list(seen)
