"""The absences' part of the agenda: busy intervals and entries.

Registered from `AgendaConfig.ready`: an absence blocks the agent's slots
(`availability.busy_sources`) and shows in their agenda and their teams'
(`entries.agent_sources`, `entries.team_sources`). The entry's title is what the
viewer may read (the kind, or "absent"); nothing of a citizen is in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext

from guichet.agenda import availability, entries
from guichet.agenda.absences import selectors
from guichet.agenda.models import Absence
from guichet.agents.models import Agent, Team

Interval = tuple[dt.datetime, dt.datetime]


def busy(agent: Agent, start: dt.datetime, end: dt.datetime) -> Iterable[Interval]:
    """The intervals of `agent`'s running absences that overlap `[start, end)`."""
    return list(
        Absence.objects.filter(
            agent=agent, cancelled_at__isnull=True, starts_at__lt=end, ends_at__gt=start
        ).values_list("starts_at", "ends_at")
    )


def _entry(absence: selectors.AbsenceView, *, named: bool) -> entries.Entry:
    label = absence.label
    who = absence.agent.get_full_name() or absence.agent.get_username()
    title = (
        gettext("%(who)s: %(what)s") % {"who": who, "what": label} if named else label
    )
    return entries.Entry(
        kind="absence",
        key=f"absence-{absence.uuid}",
        start=absence.starts_at,
        end=absence.ends_at,
        title=title,
        feed_title=title,
        url="",
        all_day=absence.all_day,
    )


def agent_entries(
    viewer: Agent, agent: Agent, start: dt.datetime, end: dt.datetime
) -> Iterable[entries.Entry]:
    return [
        _entry(absence, named=False)
        for absence in selectors.absences_between(
            viewer=viewer, start=start, end=end, agents=[agent]
        )
    ]


def team_entries(
    viewer: Agent, team: Team, start: dt.datetime, end: dt.datetime
) -> Iterable[entries.Entry]:
    members = list(Agent.objects.filter(memberships__team=team).distinct())
    return [
        _entry(absence, named=True)
        for absence in selectors.absences_between(
            viewer=viewer, start=start, end=end, agents=members
        )
    ]


def register() -> None:
    """Add the absences to the agenda's registries (once)."""
    if busy not in availability.busy_sources:
        availability.busy_sources.append(busy)
    if agent_entries not in entries.agent_sources:
        entries.agent_sources.append(agent_entries)
    if team_entries not in entries.team_sources:
        entries.team_sources.append(team_entries)
