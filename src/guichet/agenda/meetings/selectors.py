"""Meetings, rooms and equipment, events: every read, always for an agent and
through the policy (`access/domains/meetings.py`); a meeting the agent may not
see is `NotFound`, as a missing one. The agenda's sources (`entries`) are here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.meetings import Action
from guichet.access.policy import Seen
from guichet.agenda.entries import Entry
from guichet.agenda.errors import Code
from guichet.agenda.meetings import tokens as meeting_tokens
from guichet.agenda.meetings.tokens import key_of
from guichet.agenda.models import (
    Booking,
    Event,
    Meeting,
    Participant,
    Registration,
    RegistrationStatus,
    Resource,
)
from guichet.agents.models import Agent, Team
from guichet.core.errors import Conflict, NotFound


def _url(name: str, key: object) -> str:
    try:
        return reverse(name, args=[key])
    except NoReverseMatch:  # the UI is not mounted (a command, a worker)
        return ""


# ---------------------------------------------------------------- meetings


def meetings_visible(agent: Agent) -> QuerySet[Meeting]:
    return policy.visible(agent, Meeting.objects.select_related("organiser"))


def meeting_get_for_agent(*, agent: Agent, key: UUID | str) -> Seen[Meeting]:
    meeting = meetings_visible(agent).filter(uuid=key_of(key)).first()
    if meeting is None:
        raise NotFound(_("No such meeting."))
    return policy.seen(agent, meeting)


def meeting_participants(meeting: Meeting) -> list[Participant]:
    """The current participants (who may see the meeting sees them)."""
    return list(
        meeting.participants.filter(removed_at__isnull=True)
        .select_related("agent")
        .order_by("agent__last_name", "email", "pk")
    )


def _of_agents(agent_ids: list[int]) -> Q:
    return Q(organiser_id__in=agent_ids) | Q(
        pk__in=Participant.objects.filter(
            agent_id__in=agent_ids, removed_at__isnull=True
        ).values("meeting_id")
    )


def meetings_between(
    *,
    viewer: Agent,
    agents: list[Agent],
    start: dt.datetime,
    end: dt.datetime,
    include_cancelled: bool = False,
) -> list[Meeting]:
    """The meetings of `agents` (organised or invited to) overlapping
    `[start, end)` that `viewer` may see, in time order."""
    rows = meetings_visible(viewer).filter(
        _of_agents([agent.pk for agent in agents]), start__lt=end, end__gt=start
    )
    if not include_cancelled:
        rows = rows.filter(cancelled_at__isnull=True)
    return list(rows.order_by("start", "pk"))


def meeting_public(*, token: str) -> Participant:
    """The invitation behind an external person's link, or `NotFound`."""
    participant = (
        Participant.objects.select_related("meeting", "meeting__organiser")
        .filter(
            token_digest=meeting_tokens.token_digest(token), removed_at__isnull=True
        )
        .first()
        if meeting_tokens.is_token_shaped(token)
        else None
    )
    if participant is None:
        raise NotFound(_("No such invitation."))
    return participant


# ---------------------------------------------------------------- resources


def resources_list(*, agent: Agent, include_inactive: bool = False) -> list[Resource]:
    rows = policy.visible(agent, Resource.objects.all())
    if not include_inactive:
        rows = rows.filter(is_active=True)
    return list(rows.order_by("kind", "name"))


def resource_get_for_agent(*, agent: Agent, key: UUID | str) -> Seen[Resource]:
    resource = (
        policy.visible(agent, Resource.objects.all()).filter(uuid=key_of(key)).first()
    )
    if resource is None:
        raise NotFound(_("No such room or equipment."))
    return policy.seen(agent, resource)


@dataclass(frozen=True)
class BookingView:
    """A booking as any agent may see it: the time, and what it is for only when
    the agent may see that meeting (else "Booked")."""

    booking: Booking
    label: str


def resource_bookings(
    *, agent: Agent, resource: Resource, start: dt.datetime, end: dt.datetime
) -> list[BookingView]:
    rows = (
        Booking.objects.filter(
            resource=resource, cancelled_at__isnull=True, start__lt=end, end__gt=start
        )
        .select_related("meeting", "event")
        .order_by("start")
    )
    seen_meetings = set(
        meetings_visible(agent)
        .filter(bookings__resource=resource, start__lt=end, end__gt=start)
        .values_list("pk", flat=True)
    )
    views = []
    for booking in rows:
        if booking.event is not None:
            label = booking.event.title
        elif booking.meeting_id in seen_meetings and booking.meeting is not None:
            label = booking.meeting.title
        else:
            label = str(_("Booked"))
        views.append(BookingView(booking=booking, label=label))
    return views


# ---------------------------------------------------------------- events


def events_between(
    *, agent: Agent, start: dt.datetime, end: dt.datetime
) -> list[Event]:
    return list(
        policy.visible(agent, Event.objects.select_related("organiser"))
        .filter(start__lt=end, end__gt=start, cancelled_at__isnull=True)
        .order_by("start", "pk")
    )


def event_get_for_agent(*, agent: Agent, key: UUID | str) -> Seen[Event]:
    event = (
        policy.visible(agent, Event.objects.select_related("organiser"))
        .filter(uuid=key_of(key))
        .first()
    )
    if event is None:
        raise NotFound(_("No such event."))
    return policy.seen(agent, event)


def event_registrations(*, agent: Agent, event: Event) -> list[Registration]:
    """The event's registrations and waiting list: for who manages the event;
    others see only their own."""
    rows = event.registrations.exclude(status=RegistrationStatus.CANCELLED)
    if not policy.may(agent, Action.EVENT_MANAGE, event):
        rows = rows.filter(agent=agent)
    return list(rows.select_related("agent").order_by("position"))


def registration_for(
    *, agent: Agent, event: Event, key: UUID | str | None
) -> Registration:
    """The agent's own active registration (`key` None), or the one named, among
    those the agent may see; a cancelled or unknown one is `Conflict`."""
    rows = [
        registration
        for registration in event_registrations(agent=agent, event=event)
        if (
            registration.agent_id == agent.pk
            if key is None
            else registration.uuid == key_of(key)
        )
    ]
    if not rows:
        raise Conflict(
            _("There is no such registration for this event."),
            code=Code.NOT_REGISTERED,
        )
    return rows[0]


def event_seats_taken(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


# ---------------------------------------------------------------- agenda sources


def _meeting_entry(meeting: Meeting) -> Entry:
    return Entry(
        kind="meeting",
        key=str(meeting.uuid),
        start=meeting.start,
        end=meeting.end,
        title=meeting.title,
        # The feed leaves Guichet (an agent's mail client, a phone): an agent's
        # free title may name a citizen, so only the kind of entry goes there.
        feed_title=gettext("Meeting"),
        url=_url("ui:agenda_meeting", meeting.uuid),
        sequence=meeting.sequence,
    )


def _event_entry(event: Event) -> Entry:
    return Entry(
        kind="event",
        key=str(event.uuid),
        start=event.start,
        end=event.end,
        title=event.title,
        feed_title=str(event.get_kind_display()).capitalize(),
        url=_url("ui:agenda_event", event.uuid),
    )


def _events_of(agent_ids: list[int], start: dt.datetime, end: dt.datetime) -> Q:
    return Q(
        pk__in=Registration.objects.filter(
            agent_id__in=agent_ids, status=RegistrationStatus.REGISTERED
        ).values("event_id")
    ) | Q(organiser_id__in=agent_ids)


def agent_source(
    viewer: Agent, agent: Agent, start: dt.datetime, end: dt.datetime
) -> list[Entry]:
    """Meetings and events of one agent's agenda, as `viewer` may see them."""
    found = [
        _meeting_entry(meeting)
        for meeting in meetings_between(
            viewer=viewer, agents=[agent], start=start, end=end
        )
    ]
    events = policy.visible(viewer, Event.objects.all()).filter(
        _events_of([agent.pk], start, end),
        start__lt=end,
        end__gt=start,
        cancelled_at__isnull=True,
    )
    found += [_event_entry(event) for event in events]
    return found


def team_source(
    viewer: Agent, team: Team, start: dt.datetime, end: dt.datetime
) -> list[Entry]:
    """Meetings and events of the members of `team`, as `viewer` may see them."""
    members = list(Agent.objects.people().filter(memberships__team=team))
    found = [
        _meeting_entry(meeting)
        for meeting in meetings_between(
            viewer=viewer, agents=members, start=start, end=end
        )
    ]
    events = policy.visible(viewer, Event.objects.all()).filter(
        _events_of([member.pk for member in members], start, end),
        start__lt=end,
        end__gt=start,
        cancelled_at__isnull=True,
    )
    found += [_event_entry(event) for event in events.distinct()]
    return found


def register_sources() -> None:
    """Feed the agenda (`entries`); called once from `AgendaConfig.ready`."""
    from guichet.agenda import entries

    if agent_source not in entries.agent_sources:
        entries.agent_sources.append(agent_source)
    if team_source not in entries.team_sources:
        entries.team_sources.append(team_source)
