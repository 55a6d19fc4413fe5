"""Meetings, rooms and equipment, events over HTTP (issue #17).

Handlers parse, call one service or selector and shape the answer; the rules live
in `guichet.agenda.meetings.services`. Instants are ISO 8601 with their offset
(`2027-03-10T10:00:00+01:00`); a date range (`start`, `end`, YYYY-MM-DD, both
included) is read in Brussels time. Changing or cancelling a meeting or a
resource needs `If-Match` with its ETag. A meeting the caller may not see
answers 404, as a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import AwareDatetime, ConfigDict

from guichet.agenda.meetings import selectors, services
from guichet.agenda.models import (
    Booking,
    Event,
    Meeting,
    Participant,
    Registration,
    Resource,
)
from guichet.agents.models import Agent, Team
from guichet.core.errors import NotFound, ValidationFailed

from .common import IsoDate, actor, expected_version, responses, set_etag

router = Router(tags=["agenda"])

MAX_DAYS = 62


class AgendaStrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class AgendaParticipantOut(Schema):
    id: UUID = Field(alias="uuid")
    agent: str | None = Field(description="The agent's username; null: external.")
    email: str | None = Field(description="An external person's address.")
    name: str
    answer: Literal["needs_action", "accepted", "declined", "tentative"]

    @staticmethod
    def resolve_agent(obj: Participant) -> str | None:
        return obj.agent.username if obj.agent else None

    @staticmethod
    def resolve_email(obj: Participant) -> str | None:
        return obj.email or None

    @staticmethod
    def resolve_name(obj: Participant) -> str:
        return obj.display_name


class AgendaBookingOut(Schema):
    id: UUID = Field(alias="uuid")
    resource: str
    start: dt.datetime
    end: dt.datetime
    meeting: UUID | None
    event: UUID | None

    @staticmethod
    def resolve_resource(obj: Booking) -> str:
        return obj.resource.code

    @staticmethod
    def resolve_meeting(obj: Booking) -> UUID | None:
        return obj.meeting.uuid if obj.meeting else None

    @staticmethod
    def resolve_event(obj: Booking) -> UUID | None:
        return obj.event.uuid if obj.event else None


class AgendaMeetingOut(Schema):
    id: UUID = Field(alias="uuid")
    title: str
    place: str
    description: str
    start: dt.datetime
    end: dt.datetime
    organiser: str
    sequence: int
    version: int
    cancelled: bool
    participants: list[AgendaParticipantOut]
    bookings: list[AgendaBookingOut]

    @staticmethod
    def resolve_organiser(obj: Meeting) -> str:
        return obj.organiser.username

    @staticmethod
    def resolve_cancelled(obj: Meeting) -> bool:
        return obj.is_cancelled

    @staticmethod
    def resolve_participants(obj: Meeting) -> list[Participant]:
        return selectors.meeting_participants(obj)

    @staticmethod
    def resolve_bookings(obj: Meeting) -> list[Booking]:
        return list(
            obj.bookings.filter(cancelled_at__isnull=True).select_related(
                "resource", "meeting", "event"
            )
        )


class AgendaMeetingsOut(Schema):
    items: list[AgendaMeetingOut]


class AgendaGuestIn(AgendaStrictIn):
    email: str = Field(max_length=254)
    name: str = ""
    language: Literal["fr", "nl", "de", "en"] = "fr"


class AgendaMeetingIn(AgendaStrictIn):
    title: str
    start: AwareDatetime
    end: AwareDatetime
    place: str = ""
    description: str = ""
    agents: list[UUID] = Field(default_factory=list, description="Agents' ids.")
    guests: list[AgendaGuestIn] = Field(
        default_factory=list, description="External people, by e-mail."
    )


class AgendaMeetingCreateIn(AgendaMeetingIn):
    resources: list[UUID] = Field(
        default_factory=list, description="Rooms and equipment to book."
    )


class AgendaAnswerIn(AgendaStrictIn):
    answer: Literal["accepted", "declined", "tentative"]


class AgendaRangeQuery(Schema):
    start: IsoDate
    end: IsoDate
    agent: UUID | None = Field(None, description="Whose agenda (default: yours).")
    team: str | None = Field(None, description="A team's code, instead of an agent.")


class AgendaResourceOut(Schema):
    id: UUID = Field(alias="uuid")
    code: str
    name: str
    kind: Literal["room", "equipment"]
    capacity: int | None
    features: list[str]
    location: str
    active: bool = Field(alias="is_active")
    version: int


class AgendaResourcesOut(Schema):
    items: list[AgendaResourceOut]


class AgendaResourceFields(AgendaStrictIn):
    name: str
    kind: Literal["room", "equipment"]
    capacity: int | None = Field(None, ge=1, le=100000)
    features: list[str] = Field(default_factory=list)
    location: str = ""


class AgendaResourceIn(AgendaResourceFields):
    code: str


class AgendaResourceUpdateIn(AgendaResourceFields):
    active: bool = True


class AgendaBookingIn(AgendaStrictIn):
    resource: UUID = Field(description="The room or equipment.")


class AgendaUnregisterIn(AgendaStrictIn):
    registration: UUID | None = Field(
        None, description="Whose registration (default: yours)."
    )


class AgendaBookingsOut(Schema):
    items: list[AgendaBookingOut]


class AgendaRegistrationOut(Schema):
    id: UUID = Field(alias="uuid")
    agent: str | None
    email: str | None
    status: Literal["registered", "waiting", "cancelled"]
    position: int

    @staticmethod
    def resolve_agent(obj: Registration) -> str | None:
        return obj.agent.username if obj.agent else None

    @staticmethod
    def resolve_email(obj: Registration) -> str | None:
        return obj.email or None


class AgendaEventOut(Schema):
    id: UUID = Field(alias="uuid")
    kind: Literal["training", "information"]
    title: str
    place: str
    description: str
    start: dt.datetime
    end: dt.datetime
    capacity: int
    seats_taken: int
    organiser: str
    cancelled: bool

    @staticmethod
    def resolve_cancelled(obj: Event) -> bool:
        return obj.is_cancelled

    @staticmethod
    def resolve_seats_taken(obj: Event) -> int:
        return selectors.event_seats_taken(obj)

    @staticmethod
    def resolve_organiser(obj: Event) -> str:
        return obj.organiser.username


class AgendaEventsOut(Schema):
    items: list[AgendaEventOut]


class AgendaEventIn(AgendaStrictIn):
    kind: Literal["training", "information"]
    title: str
    start: AwareDatetime
    end: AwareDatetime
    capacity: int = Field(ge=1, le=100000)
    place: str = ""
    description: str = ""
    resources: list[UUID] = Field(default_factory=list)


class AgendaRegisterIn(AgendaStrictIn):
    agent: UUID | None = Field(None, description="Another agent (default: you).")
    guest: AgendaGuestIn | None = Field(None, description="An external person.")


class AgendaRegistrationsOut(Schema):
    items: list[AgendaRegistrationOut]


class AgendaDayRangeQuery(Schema):
    start: IsoDate
    end: IsoDate


# ---------------------------------------------------------------- helpers


def _range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    if (
        end < start
        or (end - start).days >= MAX_DAYS
        or not services.FIRST_YEAR <= start.year <= end.year <= services.LAST_YEAR
    ):
        raise ValidationFailed(
            _("Give at most 62 days, the end on or after the start."),
            code="invalid_range",
        )
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone),
    )


def _guests(guests: list[AgendaGuestIn]) -> list[services.Guest]:
    return [
        services.Guest(email=str(guest.email), name=guest.name, language=guest.language)
        for guest in guests
    ]


def _link_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/public/meetings/")


def _meeting(request: HttpRequest, key: UUID) -> Meeting:
    return selectors.meeting_get_for_agent(agent=actor(request), key=key).obj


def _answer(response: HttpResponse, obj: Meeting | Resource | Event) -> Any:
    set_etag(response, obj.version)
    return obj


# ---------------------------------------------------------------- meetings


@router.get(
    "/agenda/meetings",
    response=responses({200: AgendaMeetingsOut}, 404),
    summary="The meetings of an agent or a team between two dates",
)
def meeting_list(request: HttpRequest, query: Query[AgendaRangeQuery]) -> Any:
    viewer = actor(request)
    start, end = _range(query.start, query.end)
    if query.team:
        team = Team.objects.filter(code=query.team, is_active=True).first()
        if team is None:
            raise NotFound(_("No such team."))
        people = list(Agent.objects.filter(memberships__team=team))
    elif query.agent:
        person = Agent.objects.filter(uuid=query.agent).first()
        if person is None:
            raise NotFound(_("No such agent."))
        people = [person]
    else:
        people = [viewer]
    return {
        "items": selectors.meetings_between(
            viewer=viewer, agents=people, start=start, end=end
        )
    }


@router.post(
    "/agenda/meetings",
    response=responses({201: AgendaMeetingOut}, 403, 404, 409),
    summary="Plan a meeting: invite agents and external people, book rooms",
)
def meeting_create(request: HttpRequest, payload: AgendaMeetingCreateIn) -> Any:
    meeting = services.meeting_create(
        actor=actor(request),
        title=payload.title,
        start=payload.start,
        end=payload.end,
        place=payload.place,
        description=payload.description,
        agents=payload.agents,
        guests=_guests(payload.guests),
        resources=payload.resources,
        link_base=_link_base(request),
    )
    return Status(201, meeting)


@router.get(
    "/agenda/meetings/{meeting_id}",
    response=responses({200: AgendaMeetingOut}, 404),
    summary="A meeting, its participants and bookings (ETag: its version)",
)
def meeting_read(request: HttpRequest, response: HttpResponse, meeting_id: UUID) -> Any:
    return _answer(response, _meeting(request, meeting_id))


@router.put(
    "/agenda/meetings/{meeting_id}",
    response=responses({200: AgendaMeetingOut}, 403, 404, 409, 412, 428),
    summary="Change a meeting and its participants (If-Match required)",
)
def meeting_update(
    request: HttpRequest,
    response: HttpResponse,
    meeting_id: UUID,
    payload: AgendaMeetingIn,
) -> Any:
    version = expected_version(request)
    meeting = services.meeting_update(
        actor=actor(request),
        meeting_id=meeting_id,
        expected_version=version,
        title=payload.title,
        start=payload.start,
        end=payload.end,
        place=payload.place,
        description=payload.description,
        agents=payload.agents,
        guests=_guests(payload.guests),
    )
    return _answer(response, meeting)


@router.post(
    "/agenda/meetings/{meeting_id}/cancel",
    response=responses({200: AgendaMeetingOut}, 403, 404, 409, 412, 428),
    summary="Cancel a meeting: frees its bookings, tells everyone (If-Match)",
)
def meeting_cancel(
    request: HttpRequest, response: HttpResponse, meeting_id: UUID
) -> Any:
    version = expected_version(request)
    meeting = services.meeting_cancel(
        actor=actor(request), meeting_id=meeting_id, expected_version=version
    )
    return _answer(response, meeting)


@router.post(
    "/agenda/meetings/{meeting_id}/answer",
    response=responses({200: AgendaParticipantOut}, 404, 409),
    summary="Answer an invitation: accepted, declined or tentative",
)
def meeting_answer(
    request: HttpRequest, meeting_id: UUID, payload: AgendaAnswerIn
) -> Any:
    return services.meeting_answer(
        actor=actor(request), meeting_id=meeting_id, answer=payload.answer
    )


@router.post(
    "/agenda/meetings/{meeting_id}/bookings",
    response=responses({201: AgendaBookingOut}, 403, 404, 409),
    summary="Book a room or equipment for the whole meeting",
)
def meeting_book(
    request: HttpRequest, meeting_id: UUID, payload: AgendaBookingIn
) -> Any:
    booking = services.resource_book(
        actor=actor(request), resource_id=payload.resource, meeting_id=meeting_id
    )
    return Status(201, booking)


@router.post(
    "/agenda/meetings/{meeting_id}/release",
    response=responses({200: AgendaBookingOut}, 403, 404),
    summary="Free a room or equipment booked for the meeting",
)
def meeting_release(
    request: HttpRequest, meeting_id: UUID, payload: AgendaBookingIn
) -> Any:
    return services.booking_release(
        actor=actor(request), resource_id=payload.resource, meeting_id=meeting_id
    )


# ---------------------------------------------------------------- resources


@router.get(
    "/agenda/resources",
    response=responses({200: AgendaResourcesOut}),
    summary="Rooms and equipment in use",
)
def resource_list(request: HttpRequest) -> Any:
    return {"items": selectors.resources_list(agent=actor(request))}


@router.post(
    "/agenda/resources",
    response=responses({201: AgendaResourceOut}, 403),
    summary="Add a room or equipment (supervisors, administrators)",
)
def resource_create(request: HttpRequest, payload: AgendaResourceIn) -> Any:
    resource = services.resource_create(
        actor=actor(request),
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        capacity=payload.capacity,
        features=payload.features,
        location=payload.location,
    )
    return Status(201, resource)


@router.get(
    "/agenda/resources/{resource_id}",
    response=responses({200: AgendaResourceOut}, 404),
    summary="A room or equipment (ETag: its version)",
)
def resource_read(
    request: HttpRequest, response: HttpResponse, resource_id: UUID
) -> Any:
    seen = selectors.resource_get_for_agent(agent=actor(request), key=resource_id)
    return _answer(response, seen.obj)


@router.put(
    "/agenda/resources/{resource_id}",
    response=responses({200: AgendaResourceOut}, 403, 404, 412, 428),
    summary="Change or take out of use a room or equipment (If-Match required)",
)
def resource_update(
    request: HttpRequest,
    response: HttpResponse,
    resource_id: UUID,
    payload: AgendaResourceUpdateIn,
) -> Any:
    version = expected_version(request)
    resource = services.resource_update(
        actor=actor(request),
        resource_id=resource_id,
        expected_version=version,
        name=payload.name,
        kind=payload.kind,
        capacity=payload.capacity,
        features=payload.features,
        location=payload.location,
        is_active=payload.active,
    )
    return _answer(response, resource)


@router.get(
    "/agenda/resources/{resource_id}/bookings",
    response=responses({200: AgendaBookingsOut}, 404),
    summary="The bookings of a room or equipment between two dates",
)
def resource_bookings(
    request: HttpRequest, resource_id: UUID, query: Query[AgendaDayRangeQuery]
) -> Any:
    agent = actor(request)
    start, end = _range(query.start, query.end)
    resource = selectors.resource_get_for_agent(agent=agent, key=resource_id).obj
    views = selectors.resource_bookings(
        agent=agent, resource=resource, start=start, end=end
    )
    seen = {
        meeting.pk
        for meeting in selectors.meetings_visible(agent).filter(
            pk__in=[v.booking.meeting_id for v in views if v.booking.meeting_id]
        )
    }
    items = []
    for view in views:
        booking = view.booking
        if booking.meeting_id is not None and booking.meeting_id not in seen:
            # Another's meeting: the time is booked, what for is not told.
            booking.meeting = None
        items.append(booking)
    return {"items": items}


# ---------------------------------------------------------------- events


@router.get(
    "/agenda/events",
    response=responses({200: AgendaEventsOut}),
    summary="Trainings and information sessions between two dates",
)
def event_list(request: HttpRequest, query: Query[AgendaDayRangeQuery]) -> Any:
    start, end = _range(query.start, query.end)
    return {
        "items": selectors.events_between(agent=actor(request), start=start, end=end)
    }


@router.post(
    "/agenda/events",
    response=responses({201: AgendaEventOut}, 403, 404, 409),
    summary="Organise a training or an information session",
)
def event_create(request: HttpRequest, payload: AgendaEventIn) -> Any:
    event = services.event_create(
        actor=actor(request),
        kind=payload.kind,
        title=payload.title,
        start=payload.start,
        end=payload.end,
        capacity=payload.capacity,
        place=payload.place,
        description=payload.description,
        resources=payload.resources,
    )
    return Status(201, event)


@router.get(
    "/agenda/events/{event_id}",
    response=responses({200: AgendaEventOut}, 404),
    summary="An event (ETag: its version)",
)
def event_read(request: HttpRequest, response: HttpResponse, event_id: UUID) -> Any:
    return _answer(
        response, selectors.event_get_for_agent(agent=actor(request), key=event_id).obj
    )


@router.post(
    "/agenda/events/{event_id}/cancel",
    response=responses({200: AgendaEventOut}, 403, 404, 409, 412, 428),
    summary="Cancel an event: frees its bookings, tells everyone registered or "
    "waiting (If-Match)",
)
def event_cancel(request: HttpRequest, response: HttpResponse, event_id: UUID) -> Any:
    version = expected_version(request)
    event = services.event_cancel(
        actor=actor(request), event_id=event_id, expected_version=version
    )
    return _answer(response, event)


@router.get(
    "/agenda/events/{event_id}/registrations",
    response=responses({200: AgendaRegistrationsOut}, 404),
    summary="An event's registrations and waiting list (yours only, unless you "
    "manage it)",
)
def event_registrations(request: HttpRequest, event_id: UUID) -> Any:
    agent = actor(request)
    event = selectors.event_get_for_agent(agent=agent, key=event_id).obj
    return {"items": selectors.event_registrations(agent=agent, event=event)}


@router.post(
    "/agenda/events/{event_id}/registrations",
    response=responses({201: AgendaRegistrationOut}, 403, 404, 409),
    summary="Register for an event (a seat, or the waiting list)",
)
def event_register(
    request: HttpRequest, event_id: UUID, payload: AgendaRegisterIn
) -> Any:
    who = None
    if payload.agent is not None:
        who = Agent.objects.filter(uuid=payload.agent, is_active=True).first()
        if who is None:
            raise NotFound(_("No such agent."))
    guest = _guests([payload.guest])[0] if payload.guest is not None else None
    registration = services.event_register(
        actor=actor(request), event_id=event_id, agent=who, guest=guest
    )
    return Status(201, registration)


@router.post(
    "/agenda/events/{event_id}/unregister",
    response=responses({200: AgendaRegistrationOut}, 404, 409),
    summary="Cancel a registration (the first waiting one gets the seat)",
)
def event_unregister(
    request: HttpRequest, event_id: UUID, payload: AgendaUnregisterIn
) -> Any:
    agent = actor(request)
    event = selectors.event_get_for_agent(agent=agent, key=event_id).obj
    registration = selectors.registration_for(
        agent=agent, event=event, key=payload.registration
    )
    return services.event_unregister(actor=agent, registration_id=registration.uuid)


@router.post(
    "/agenda/events/{event_id}/bookings",
    response=responses({201: AgendaBookingOut}, 403, 404, 409),
    summary="Book a room or equipment for the whole event",
)
def event_book(request: HttpRequest, event_id: UUID, payload: AgendaBookingIn) -> Any:
    booking = services.resource_book(
        actor=actor(request), resource_id=payload.resource, event_id=event_id
    )
    return Status(201, booking)


@router.post(
    "/agenda/events/{event_id}/release",
    response=responses({200: AgendaBookingOut}, 403, 404),
    summary="Free a room or equipment booked for the event",
)
def event_release(
    request: HttpRequest, event_id: UUID, payload: AgendaBookingIn
) -> Any:
    return services.booking_release(
        actor=actor(request), resource_id=payload.resource, event_id=event_id
    )
