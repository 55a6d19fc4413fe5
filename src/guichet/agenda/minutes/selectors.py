"""Reads of minutes and their actions: always for an agent, through the policy."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.correspondence import Action
from guichet.agenda.models import ActionItem, ActionStatus, Minutes
from guichet.agents.models import Agent
from guichet.core.errors import NotFound
from guichet.core.validation import parse_uuid


def minutes_get_for_agent(*, agent: Agent, minutes_id: Any) -> Minutes:
    key = parse_uuid(minutes_id)
    minutes = (
        policy.visible(agent, Minutes.objects.select_related("team", "author"))
        .prefetch_related("actions__owner")
        .filter(uuid=key)
        .first()
        if key
        else None
    )
    if minutes is None:
        raise NotFound(_("No such minutes."))
    return minutes


def action_owner_choices(*, agent: Agent) -> list[Agent]:
    """The agents whom `agent` may name owner of an action of their minutes: the
    active members of their services who work on actions (see
    `services.action_owners`, which decides for the service chosen)."""
    members = (
        Agent.objects.filter(memberships__team_id__in=agent.team_ids, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    return [
        member for member in members if policy.may(member, Action.ACTION_ITEM_COMPLETE)
    ]


def action_items_for_agent(*, agent: Agent, open_only: bool = True) -> list[ActionItem]:
    """The agent's own actions from meeting minutes, soonest due first."""
    queryset = policy.visible(
        agent, ActionItem.objects.select_related("minutes", "owner")
    ).filter(owner=agent)
    if open_only:
        queryset = queryset.filter(status=ActionStatus.OPEN)
    return list(queryset.order_by("due_date", "id"))
