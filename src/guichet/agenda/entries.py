"""What the agenda shows: entries gathered from every part of the app.

Each part (appointments, meetings and events, absences) registers a source here
when its module is imported (`AgendaConfig.ready`); the agenda views, the presence
screen and the private iCalendar feed read every source through `agent_entries`
and `team_entries`, never the parts' tables directly. A source applies the access
policy itself: it returns only what `viewer` may see. `title` is shown inside
Guichet; `feed_title` leaves Guichet in the iCalendar feed and must carry no
personal data of a citizen (no name, no national number, no dossier subject).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guichet.agents.models import Agent, Team


@dataclass(frozen=True)
class Entry:
    """One thing in an agenda, between two aware datetimes."""

    kind: str  # "appointment", "meeting", "event", "booking", "absence"
    key: str  # unique and stable across edits, e.g. the row's uuid (the feed's UID)
    start: dt.datetime
    end: dt.datetime
    title: str
    feed_title: str
    url: str = ""
    all_day: bool = False
    sequence: int = 0  # grows with each change (iCalendar SEQUENCE)


# (viewer, whose agenda, start, end) -> entries of that agent's agenda.
AgentSource = Callable[["Agent", "Agent", dt.datetime, dt.datetime], Iterable[Entry]]
# (viewer, team, start, end) -> entries of that team's agenda.
TeamSource = Callable[["Agent", "Team", dt.datetime, dt.datetime], Iterable[Entry]]

agent_sources: list[AgentSource] = []
team_sources: list[TeamSource] = []


def _sorted(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda entry: (entry.start, entry.end, entry.key))


def agent_entries(
    *, viewer: Agent, agent: Agent, start: dt.datetime, end: dt.datetime
) -> list[Entry]:
    """What `viewer` may see of `agent`'s agenda between `start` and `end`,
    in time order."""
    return _sorted(
        entry for source in agent_sources for entry in source(viewer, agent, start, end)
    )


def team_entries(
    *, viewer: Agent, team: Team, start: dt.datetime, end: dt.datetime
) -> list[Entry]:
    """What `viewer` may see of `team`'s agenda between `start` and `end`,
    in time order."""
    return _sorted(
        entry for source in team_sources for entry in source(viewer, team, start, end)
    )
