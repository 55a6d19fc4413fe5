"""What an agent's agenda shows, gathered from every part of the agenda.

Each part (appointments, meetings, bookings, events, absences) registers a source
in `agent_sources` at start-up (`AgendaConfig.ready` imports the modules that do). The
agenda screens (day, week, month) and the private feed read `entries_for_agent`;
neither knows the parts.

An entry has two titles: `title` for the workspace (it may name a citizen the agent
may see) and `feed_title`, which leaves Guichet in the agent's calendar feed and so
never carries a citizen's name or any other personal data ("Appointment: passport",
not "Appointment: Jean Dupont").
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
    uid: str  # stable across updates and unique: "<kind>-<uuid>@guichet"
    kind: str  # "appointment", "meeting", "booking", "event", "absence"
    start: dt.datetime  # aware
    end: dt.datetime  # aware, after start
    title: str  # in the workspace
    feed_title: str  # outside: no personal data
    location: str = ""
    url: str = ""  # the entry's page in the workspace (a path)
    cancelled: bool = False
    sequence: int = 0


# (the agent whose agenda it is, from, to) -> the entries overlapping [from, to).
AgentSource = Callable[["Agent", dt.datetime, dt.datetime], Iterable[Entry]]
agent_sources: list[AgentSource] = []
# (the agent looking, the team, from, to) -> the team's entries the agent may see.
TeamSource = Callable[["Agent", "Team", dt.datetime, dt.datetime], Iterable[Entry]]
team_sources: list[TeamSource] = []


def _sorted(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda entry: (entry.start, entry.end, entry.uid))


def entries_for_agent(
    agent: Agent, start: dt.datetime, end: dt.datetime
) -> list[Entry]:
    """The agent's own agenda between `start` and `end`, by start."""
    return _sorted(e for source in agent_sources for e in source(agent, start, end))


def entries_for_team(
    viewer: Agent, team: Team, start: dt.datetime, end: dt.datetime
) -> list[Entry]:
    """A service's agenda as `viewer` may see it, by start."""
    return _sorted(
        e for source in team_sources for e in source(viewer, team, start, end)
    )
