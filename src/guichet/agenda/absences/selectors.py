"""Reads of absences: always for an agent, through the policy.

An absence is seen by the agent and the members of their teams; its kind only by
the agent and the supervisors of their teams (`Action.ABSENCE_MANAGE` on it):
everyone else reads "absent".
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.agenda_absences import Action
from guichet.agenda.absences.periods import day_start, last_day, local
from guichet.agenda.models import Absence, AbsenceKind
from guichet.agents.models import Agent, Membership, Team
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.core.validation import Problems, parse_uuid


@dataclass(frozen=True)
class AbsenceView:
    """An absence as one viewer may see it: `kind` is None when it is hidden."""

    uuid: uuid.UUID
    agent: Agent
    starts_at: dt.datetime
    ends_at: dt.datetime
    all_day: bool
    kind: str | None
    substitute: Agent | None
    cancelled: bool
    may_cancel: bool

    @property
    def label(self) -> str:
        """What the viewer reads: the kind, or "absent"."""
        if self.kind is None:
            return str(_("absent"))
        return str(AbsenceKind(self.kind).label)

    @property
    def first_day(self) -> dt.date:
        return local(self.starts_at).date()

    @property
    def last_day(self) -> dt.date:
        return last_day(self.ends_at)


def _view(viewer: Agent, absence: Absence) -> AbsenceView:
    manages = policy.may(viewer, Action.ABSENCE_MANAGE, absence)
    return AbsenceView(
        uuid=absence.uuid,
        agent=absence.agent,
        starts_at=absence.starts_at,
        ends_at=absence.ends_at,
        all_day=absence.all_day,
        kind=absence.kind if manages else None,
        substitute=absence.substitution.substitute if absence.substitution else None,
        cancelled=absence.cancelled_at is not None,
        may_cancel=manages and absence.cancelled_at is None,
    )


def _visible(viewer: Agent) -> QuerySet[Absence]:
    return policy.visible(viewer, Absence.objects.all()).select_related(
        "agent", "substitution__substitute"
    )


def absence_get_for_agent(*, agent: Agent, absence_id: Any) -> AbsenceView:
    key = parse_uuid(absence_id)
    absence = _visible(agent).filter(uuid=key).first() if key else None
    if absence is None:
        raise NotFound(_("No such absence."))
    return _view(agent, absence)


def absences_between(
    *,
    viewer: Agent,
    start: dt.datetime,
    end: dt.datetime,
    agents: list[Agent] | None = None,
) -> list[AbsenceView]:
    """The running (not cancelled) absences the viewer sees that overlap
    `[start, end)`, of `agents` when given, in time order."""
    queryset = _visible(viewer).filter(
        cancelled_at__isnull=True, starts_at__lt=end, ends_at__gt=start
    )
    if agents is not None:
        queryset = queryset.filter(agent__in=agents)
    return [_view(viewer, absence) for absence in queryset.order_by("starts_at", "id")]


def my_absences(*, agent: Agent) -> list[AbsenceView]:
    """The agent's own absences that are not over, cancelled ones left out."""
    return absences_between(
        viewer=agent,
        start=clock.now(),
        end=clock.now() + dt.timedelta(days=3660),
        agents=[agent],
    )


def team_members(*, viewer: Agent) -> list[Agent]:
    """The active agents of the viewer's teams (the viewer included)."""
    if not policy.may(viewer, Action.ABSENCE_VIEW):
        return []
    return list(
        Agent.objects.people()
        .filter(memberships__team_id__in=viewer.team_ids)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def absence_agents(*, actor: Agent) -> list[Agent]:
    """The agents for whom `actor` may record an absence: themselves, and the
    members of their teams when they supervise them."""
    return [
        member
        for member in team_members(viewer=actor) or [actor]
        if policy.may(actor, Action.ABSENCE_MANAGE, Absence(agent=member))
    ]


@dataclass(frozen=True)
class PresenceRow:
    agent: Agent
    days: list[AbsenceView | None]  # one per day: the absence, or None (present)


@dataclass(frozen=True)
class Presence:
    team: Team
    days: list[dt.date]
    rows: list[PresenceRow]


def presence(*, viewer: Agent, first: dt.date, count: int = 5) -> list[Presence]:
    """For each of the viewer's teams, who is present or absent on each of `count`
    days from `first` (an absence of some hours counts on its day)."""
    if not policy.may(viewer, Action.ABSENCE_VIEW):
        return []
    days = [first + dt.timedelta(days=offset) for offset in range(count)]
    teams = list(Team.objects.filter(pk__in=viewer.team_ids).order_by("name"))
    members = team_members(viewer=viewer)
    absences = absences_between(
        viewer=viewer,
        start=day_start(days[0]),
        end=day_start(days[-1] + dt.timedelta(days=1)),
        agents=members,
    )
    by_agent: dict[int, list[AbsenceView]] = {}
    for absence in absences:
        by_agent.setdefault(absence.agent.pk, []).append(absence)

    def on(agent: Agent, day: dt.date) -> AbsenceView | None:
        start, end = day_start(day), day_start(day + dt.timedelta(days=1))
        for absence in by_agent.get(agent.pk, []):
            if absence.starts_at < end and start < absence.ends_at:
                return absence
        return None

    in_team = set(
        Membership.objects.filter(team_id__in=viewer.team_ids).values_list(
            "team_id", "agent_id"
        )
    )
    return [
        Presence(
            team=team,
            days=days,
            rows=[
                PresenceRow(agent=member, days=[on(member, day) for day in days])
                for member in members
                if (team.pk, member.pk) in in_team
            ],
        )
        for team in teams
    ]


def absence_agent_named(*, actor: Agent, username: str | None) -> Agent:
    """The agent an absence is recorded for: `actor` when no name is given, else a
    member of their teams (anyone else is not found, exactly as nobody)."""
    if not username or username == actor.get_username():
        return actor
    for member in team_members(viewer=actor):
        if member.get_username() == username:
            return member
    raise NotFound(_("No such agent in your services."))


def substitute_named(*, agent: Agent, username: str | None) -> Agent | None:
    """The active agent named as substitute, who must share a team with `agent`."""
    if not username:
        return None
    found = (
        Agent.objects.people()
        .filter(username=username, memberships__team_id__in=agent.team_ids)
        .distinct()
        .first()
    )
    if found is None:
        problems = Problems()
        problems.add(
            "substitute",
            "no_shared_team",
            _("The substitute must work in one of the same services."),
        )
        problems.raise_if_any()
    return found


def team_absences(
    *, viewer: Agent, first: dt.date, days: int = 14
) -> list[AbsenceView]:
    """The absences of the viewer's teams from `first`, for `days` days."""
    return absences_between(
        viewer=viewer,
        start=day_start(first),
        end=day_start(first + dt.timedelta(days=days)),
        agents=team_members(viewer=viewer),
    )
