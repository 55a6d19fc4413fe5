"""Reads of minutes and their actions: always for an agent, through the policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.correspondence import Action
from guichet.agenda.meetings.selectors import meeting_get_for_agent, meetings_visible
from guichet.agenda.models import ActionItem, ActionStatus, Answer, Meeting, Minutes
from guichet.agents.models import Agent
from guichet.core.errors import NotFound
from guichet.core.validation import parse_uuid


def minutes_get_for_agent(*, agent: Agent, minutes_id: Any) -> Minutes:
    key = parse_uuid(minutes_id)
    minutes = (
        policy.visible(
            agent, Minutes.objects.select_related("team", "author", "meeting")
        )
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
        Agent.objects.people()
        .filter(memberships__team_id__in=agent.team_ids)
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


BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass(frozen=True)
class MinutesDraft:
    """What the minutes of a meeting of the agenda start from: its title, day and
    place, who accepted (with the organiser) as present, who declined as excused,
    and the invited who never answered, for the writer to place."""

    meeting: Meeting
    title: str
    meeting_date: dt.date
    place: str
    attendees: list[str]
    absentees: list[str]
    unanswered: list[str]


def minutes_draft_for_meeting(*, agent: Agent, meeting_id: Any) -> MinutesDraft:
    """The draft of the minutes of a meeting `agent` may see (404 otherwise, as for
    a meeting that does not exist)."""
    meeting = meeting_get_for_agent(agent=agent, key=meeting_id).obj
    rooms = [
        booking.resource.name
        for booking in meeting.bookings.filter(cancelled_at__isnull=True)
        .select_related("resource")
        .order_by("start", "id")
    ]
    organiser = meeting.organiser.get_full_name() or meeting.organiser.get_username()
    attendees, absentees, unanswered = [organiser], [], []
    for participant in meeting.participants.filter(
        removed_at__isnull=True
    ).select_related("agent"):
        name = participant.display_name
        if participant.agent_id == meeting.organiser_id or name in attendees:
            continue
        if participant.answer in (Answer.ACCEPTED, Answer.TENTATIVE):
            attendees.append(name)
        elif participant.answer == Answer.DECLINED:
            absentees.append(name)
        else:
            unanswered.append(name)
    return MinutesDraft(
        meeting=meeting,
        title=meeting.title,
        meeting_date=meeting.start.astimezone(BRUSSELS).date(),
        place=meeting.place or ", ".join(rooms),
        attendees=attendees,
        absentees=sorted(absentees),
        unanswered=sorted(unanswered),
    )


def minutes_of_meeting(*, agent: Agent, meeting: Meeting) -> list[Minutes]:
    """The minutes of `meeting` that `agent` may see, newest first."""
    return list(
        policy.visible(agent, Minutes.objects.all())
        .filter(meeting=meeting)
        .order_by("-meeting_date", "-id")
    )


def minutes_meeting_for_agent(*, agent: Agent, minutes: Minutes) -> Meeting | None:
    """The meeting `minutes` are of, when `agent` may see it."""
    if minutes.meeting_id is None:
        return None
    return meetings_visible(agent).filter(pk=minutes.meeting_id).first()
