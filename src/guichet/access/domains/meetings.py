"""Meetings, rooms and equipment, events (guichet.agenda, issue #17).

From the seeds (docs/sources.md §5): support agents "keep the agenda of a person
or a service", "plan meetings, send invitations, book rooms", "book logistic
equipment", "organise events and trainings" (seed 001). Every agent has an
agenda, so every role plans meetings, answers invitations, books rooms and
equipment and registers for events.

Who sees a meeting: its organiser, the agents invited to it, and the supervisors
of a team the organiser or an invited agent belongs to (they keep their
service's agenda). Nobody else: to them a meeting answers 404, as a missing one.
Only the organiser changes or cancels it; only an invited agent answers for
themselves (external people answer through their own link, no login).

Rooms and equipment, and events, are seen by every agent. Rooms and equipment
are set up by supervisors and administrators (reference data). Events (trainings,
information sessions) are organised by the support agents and supervisors; an
event is changed or cancelled by its organiser or a supervisor.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from guichet.agents.models import Agent

from .base import EVERYONE, Grant, Kind, R, Rule, admitted, grant, is_agent

EVERY_ROLE = tuple(R)


class Action(StrEnum):
    MEETING_VIEW = "agenda.meeting_view"
    MEETING_ORGANISE = "agenda.meeting_organise"
    MEETING_EDIT = "agenda.meeting_edit"
    MEETING_ANSWER = "agenda.meeting_answer"
    RESOURCE_BOOK = "agenda.resource_book"
    RESOURCE_MANAGE = "agenda.resource_manage"
    EVENT_REGISTER = "agenda.event_register"
    EVENT_ORGANISE = "agenda.event_organise"
    EVENT_MANAGE = "agenda.event_manage"


GRANTS: dict[str, Grant] = {
    Action.MEETING_VIEW: grant(*EVERY_ROLE),
    Action.MEETING_ORGANISE: grant(*EVERY_ROLE),
    Action.MEETING_EDIT: grant(*EVERY_ROLE),
    Action.MEETING_ANSWER: grant(*EVERY_ROLE),
    Action.RESOURCE_BOOK: grant(*EVERY_ROLE),
    Action.RESOURCE_MANAGE: grant(R.SUPERVISOR, R.ADMIN),
    Action.EVENT_REGISTER: grant(*EVERY_ROLE),
    Action.EVENT_ORGANISE: grant(R.SUPPORT_AGENT, R.SUPERVISOR),
    Action.EVENT_MANAGE: grant(R.SUPPORT_AGENT, R.SUPERVISOR),
}


def _participants() -> Any:
    # By name: the policy sits below the agenda and does not import it.
    return apps.get_model("agenda", "Participant").objects.filter(
        meeting=OuterRef("pk"), removed_at__isnull=True
    )


def _team_members(agent: Agent) -> Any:
    return (
        apps.get_model("agents", "Membership")
        .objects.filter(team_id__in=agent.team_ids)
        .values("agent_id")
    )


def _invited_q(agent: Agent) -> Q:
    return Q(Exists(_participants().filter(agent_id=agent.pk)))


def _invited_test(agent: Agent, obj: Any) -> bool:
    return bool(
        obj.participants.filter(removed_at__isnull=True, agent_id=agent.pk).exists()
    )


INVITED = Rule(q=_invited_q, test=_invited_test)


def _supervised_q(agent: Agent) -> Q:
    if R.SUPERVISOR not in agent.role_codes or not agent.team_ids:
        return Q(pk__in=[])
    members = _team_members(agent)
    return Q(organiser_id__in=members) | Q(
        Exists(_participants().filter(agent_id__in=members))
    )


def _supervised_test(agent: Agent, obj: Any) -> bool:
    if R.SUPERVISOR not in agent.role_codes or not agent.team_ids:
        return False
    members = set(_team_members(agent).values_list("agent_id", flat=True))
    if obj.organiser_id in members:
        return True
    return bool(
        obj.participants.filter(removed_at__isnull=True, agent_id__in=members).exists()
    )


SUPERVISED = Rule(q=_supervised_q, test=_supervised_test)

ORGANISER = is_agent("organiser_id")

KINDS: dict[str, Kind] = {
    "agenda.meeting": Kind(
        view_action=Action.MEETING_VIEW,
        rule=ORGANISER | INVITED | SUPERVISED,
        actions=frozenset(
            {Action.MEETING_VIEW, Action.MEETING_EDIT, Action.MEETING_ANSWER}
        ),
        action_rules={Action.MEETING_EDIT: ORGANISER, Action.MEETING_ANSWER: INVITED},
    ),
    "agenda.resource": Kind(
        view_action=Action.RESOURCE_BOOK,
        rule=EVERYONE,
        actions=frozenset({Action.RESOURCE_BOOK, Action.RESOURCE_MANAGE}),
    ),
    "agenda.event": Kind(
        view_action=Action.EVENT_REGISTER,
        rule=EVERYONE,
        actions=frozenset({Action.EVENT_REGISTER, Action.EVENT_MANAGE}),
        action_rules={
            Action.EVENT_MANAGE: ORGANISER | admitted(grant(R.SUPERVISOR)),
        },
    ),
}
