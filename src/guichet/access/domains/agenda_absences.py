"""Absences, presence and the private agenda feed (issue #17, parts 4 and 5).

Every agent who serves citizens records their own absences and sees who of their
teams is present (seed 001: a service "sees who is present today"; the support
agents "keep the agenda of a person or a service"). A supervisor records and
cancels the absences of the members of their teams, as they name their substitutes
(`agents.substitutions`). The kind of an absence (sick leave is health data) is
seen only by the agent and the supervisors of their teams; colleagues see
"absent". Each agent manages their own feed only (the services filter on the
agent: another's feed is a 404). Administrators keep no agenda.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from guichet.agents.models import Agent, Membership

from .base import CITIZEN_FACING, Grant, Kind, R, Rule, admitted, grant, is_agent


class Action(StrEnum):
    ABSENCE_VIEW = "absence.view"
    ABSENCE_MANAGE = "absence.manage"
    FEED_MANAGE = "agenda_feed.manage"


GRANTS: dict[str, Grant] = {
    Action.ABSENCE_VIEW: grant(*CITIZEN_FACING),
    Action.ABSENCE_MANAGE: grant(*CITIZEN_FACING),
    Action.FEED_MANAGE: grant(*CITIZEN_FACING),
}


def shares_team(path: str) -> Rule:
    """The agent at `path` (an id) belongs to one of the agent's teams."""

    def test(agent: Agent, obj: object) -> bool:
        other = getattr(obj, path.removesuffix("_id"))
        return bool(agent.team_ids & other.team_ids)

    return Rule(
        q=lambda agent: Q(
            **{
                f"{path}__in": Membership.objects.filter(
                    team_id__in=agent.team_ids
                ).values("agent_id")
            }
        ),
        test=test,
    )


# The agent themselves, or a supervisor of one of their teams.
OWN_OR_SUPERVISED = is_agent("agent_id") | (
    admitted(grant(R.SUPERVISOR)) & shares_team("agent_id")
)

KINDS: dict[str, Kind] = {
    "agenda.absence": Kind(
        view_action=Action.ABSENCE_VIEW,
        rule=is_agent("agent_id") | shares_team("agent_id"),
        actions=frozenset({Action.ABSENCE_VIEW, Action.ABSENCE_MANAGE}),
        action_rules={Action.ABSENCE_MANAGE: OWN_OR_SUPERVISED},
    ),
    # A feed is its agent's alone: anyone else's is not found.
    "agenda.feedtoken": Kind(
        view_action=Action.FEED_MANAGE,
        rule=is_agent("agent_id"),
        actions=frozenset({Action.FEED_MANAGE}),
    ),
}
