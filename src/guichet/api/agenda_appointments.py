"""Appointment slots for citizens over HTTP: offers (create, read, edit,
deactivate), their slots for a range of days, booking, moving, cancelling, no-show
and served, and the appointments of a person, a dossier or a team's day.

Handlers parse, call one service or selector and shape the answer; the rules live
in `guichet.agenda`. Times are ISO 8601 with their offset; answers give them in
UTC. Editing an offer or an appointment needs `If-Match` with its ETag (version).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from guichet.agenda.appointments import selectors, services
from guichet.agenda.models import Appointment, Offer
from guichet.agents.models import Agent, Team
from guichet.core.errors import NotFound

from .common import IsoDate, actor, expected_version, responses, set_etag

router = Router(tags=["agenda"])


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class AgendaNamesIn(StrictIn):
    fr: str
    nl: str
    de: str
    en: str


class AgendaOfferIn(StrictIn):
    team: str = Field(description="The code of one of your teams.")
    code: str
    names: AgendaNamesIn
    purpose: Literal["biometrics", "handover", "legalisation", "payment_visit", "other"]
    slot_minutes: int = Field(description="From 5 to 480.")
    places: int = Field(1, description="Citizens per slot, from 1 to 100.")
    hours: list[str] = Field(
        description='Seven texts, Monday first: "09:00-12:00, 13:00-16:00", "" closed.'
    )
    agent: str = Field("", description="The username of the agent serving it, if one.")
    counter_service: str = Field("", description="The code of a counter service.")


class AgendaOfferOut(Schema):
    id: UUID = Field(alias="uuid")
    team: str
    code: str
    purpose: str
    names: dict[str, str]
    slot_minutes: int
    places: int
    hours: list[str]
    agent: str | None
    counter_service: str
    is_active: bool
    version: int

    @staticmethod
    def resolve_team(obj: Offer) -> str:
        return obj.team.code

    @staticmethod
    def resolve_names(obj: Offer) -> dict[str, str]:
        return {lang: obj.name(lang) for lang in ("fr", "nl", "de", "en")}

    @staticmethod
    def resolve_hours(obj: Offer) -> list[str]:
        return obj.weekly_hours()

    @staticmethod
    def resolve_agent(obj: Offer) -> str | None:
        return obj.agent.username if obj.agent else None


class AgendaOffersOut(Schema):
    items: list[AgendaOfferOut]


class AgendaSlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    places: int
    taken: int
    free: int
    agent_away: bool


class AgendaSlotsOut(Schema):
    items: list[AgendaSlotOut]


class AgendaSlotsQuery(Schema):
    first: IsoDate
    last: IsoDate


class AgendaAppointmentOut(Schema):
    id: UUID = Field(alias="uuid")
    reference: str
    offer: UUID
    person: UUID
    dossier: str | None
    start: dt.datetime
    end: dt.datetime
    status: str
    language: str
    note: str
    sequence: int
    version: int

    @staticmethod
    def resolve_offer(obj: Appointment) -> UUID:
        return obj.offer.uuid

    @staticmethod
    def resolve_person(obj: Appointment) -> UUID:
        return obj.person.uuid

    @staticmethod
    def resolve_dossier(obj: Appointment) -> str | None:
        return obj.dossier.reference if obj.dossier else None


class AgendaAppointmentsOut(Schema):
    items: list[AgendaAppointmentOut]


class AgendaBookIn(StrictIn):
    offer: UUID
    person: UUID
    start: dt.datetime = Field(description="The slot's start, with its offset.")
    dossier: UUID | None = None
    note: str = ""


class AgendaMoveIn(StrictIn):
    start: dt.datetime


class AgendaCancelIn(StrictIn):
    reason: str = ""


class AgendaTeamDayQuery(Schema):
    day: IsoDate


def _team(agent: Agent, code: str) -> Team:
    team = Team.objects.filter(code=code, pk__in=agent.team_ids).first()
    if team is None:
        raise NotFound(_("No such team."))
    return team


def _offer_input(agent: Agent, payload: AgendaOfferIn) -> services.OfferInput:
    served_by = None
    if payload.agent:
        served_by = Agent.objects.filter(username=payload.agent, is_active=True).first()
        if served_by is None:
            raise NotFound(_("No such agent."))
    return services.OfferInput(
        code=payload.code,
        names=payload.names.model_dump(),
        purpose=payload.purpose,
        slot_minutes=payload.slot_minutes,
        places=payload.places,
        hours=payload.hours,
        agent=served_by,
        counter_service=payload.counter_service,
    )


def _answer(response: HttpResponse, obj: Offer | Appointment) -> Any:
    set_etag(response, obj.version)
    return obj


@router.get(
    "/agenda/offers",
    response=responses({200: AgendaOffersOut}, 403),
    summary="The appointment offers of your teams",
)
def offer_list(request: HttpRequest, include_inactive: bool = False) -> Any:
    agent = actor(request)
    return {
        "items": selectors.offers_for_agent(
            agent=agent, active_only=not include_inactive
        )
    }


@router.post(
    "/agenda/offers",
    response=responses({201: AgendaOfferOut}, 403, 404),
    summary="Create an appointment offer (a supervisor of the team)",
)
def offer_create(request: HttpRequest, payload: AgendaOfferIn) -> Any:
    agent = actor(request)
    team = _team(agent, payload.team)
    offer = services.offer_create(
        actor=agent, team=team, data=_offer_input(agent, payload)
    )
    return Status(201, offer)


@router.get(
    "/agenda/offers/{offer_id}",
    response=responses({200: AgendaOfferOut}, 404),
    summary="One offer (its ETag is its version)",
)
def offer_read(request: HttpRequest, response: HttpResponse, offer_id: UUID) -> Any:
    offer = selectors.offer_get_for_agent(agent=actor(request), key=offer_id)
    return _answer(response, offer)


@router.patch(
    "/agenda/offers/{offer_id}",
    response=responses({200: AgendaOfferOut}, 403, 404, 409, 412, 428),
    summary="Edit an offer (If-Match required)",
)
def offer_update(
    request: HttpRequest, response: HttpResponse, offer_id: UUID, payload: AgendaOfferIn
) -> Any:
    agent = actor(request)
    version = expected_version(request)
    offer = selectors.offer_get_for_agent(agent=agent, key=offer_id)
    changed = services.offer_update(
        actor=agent,
        offer=offer,
        data=_offer_input(agent, payload),
        expected_version=version,
    )
    return _answer(response, changed)


@router.post(
    "/agenda/offers/{offer_id}/deactivate",
    response=responses({200: AgendaOfferOut}, 403, 404, 409, 412, 428),
    summary="Take no more bookings on an offer (If-Match required)",
)
def offer_deactivate(
    request: HttpRequest, response: HttpResponse, offer_id: UUID
) -> Any:
    agent = actor(request)
    version = expected_version(request)
    offer = selectors.offer_get_for_agent(agent=agent, key=offer_id)
    return _answer(
        response,
        services.offer_deactivate(actor=agent, offer=offer, expected_version=version),
    )


@router.get(
    "/agenda/offers/{offer_id}/slots",
    response=responses({200: AgendaSlotsOut}, 403, 404),
    summary="The slots of an offer between two days (at most 62 days)",
)
def offer_slots(
    request: HttpRequest, offer_id: UUID, query: Query[AgendaSlotsQuery]
) -> Any:
    agent = actor(request)
    offer = selectors.offer_get_for_agent(agent=agent, key=offer_id)
    rows = selectors.offer_slots(
        agent=agent, offer=offer, first=query.first, last=query.last
    )
    return {
        "items": [
            {
                "start": row.start,
                "end": row.end,
                "places": row.places,
                "taken": row.taken,
                "free": row.free,
                "agent_away": row.agent_away,
            }
            for row in rows
        ]
    }


@router.post(
    "/agenda/appointments",
    response=responses({201: AgendaAppointmentOut}, 403, 404, 409),
    summary="Book a citizen on a slot (optionally for a dossier)",
)
def appointment_book(request: HttpRequest, payload: AgendaBookIn) -> Any:
    agent = actor(request)
    offer = selectors.offer_get_for_agent(agent=agent, key=payload.offer)
    person = selectors.person_get_for_agent(agent=agent, key=payload.person)
    dossier = (
        selectors.dossier_for_agent(agent=agent, key=payload.dossier)
        if payload.dossier
        else None
    )
    appointment = services.appointment_book(
        actor=agent,
        offer=offer,
        person=person,
        start=payload.start,
        dossier=dossier,
        note=payload.note,
    )
    return Status(201, appointment)


@router.get(
    "/agenda/appointments/{key}",
    response=responses({200: AgendaAppointmentOut}, 404),
    summary="One appointment, by id or reference (APT-YYYY-NNNNN)",
)
def appointment_read(request: HttpRequest, response: HttpResponse, key: str) -> Any:
    seen = selectors.appointment_get_for_agent(agent=actor(request), key=key)
    return _answer(response, seen.obj)


def _seen(request: HttpRequest, key: str) -> tuple[Agent, Appointment, int]:
    agent = actor(request)
    version = expected_version(request)
    return agent, selectors.appointment_get_for_agent(agent=agent, key=key).obj, version


@router.post(
    "/agenda/appointments/{key}/move",
    response=responses({200: AgendaAppointmentOut}, 403, 404, 409, 412, 428),
    summary="Move an appointment to another slot (If-Match required)",
)
def appointment_move(
    request: HttpRequest, response: HttpResponse, key: str, payload: AgendaMoveIn
) -> Any:
    agent, appointment, version = _seen(request, key)
    moved = services.appointment_move(
        actor=agent,
        appointment=appointment,
        start=payload.start,
        expected_version=version,
    )
    return _answer(response, moved)


@router.post(
    "/agenda/appointments/{key}/cancel",
    response=responses({200: AgendaAppointmentOut}, 403, 404, 409, 412, 428),
    summary="Cancel an appointment (If-Match required)",
)
def appointment_cancel(
    request: HttpRequest, response: HttpResponse, key: str, payload: AgendaCancelIn
) -> Any:
    agent, appointment, version = _seen(request, key)
    cancelled = services.appointment_cancel(
        actor=agent,
        appointment=appointment,
        expected_version=version,
        reason=payload.reason,
    )
    return _answer(response, cancelled)


def _ended(request: HttpRequest, response: HttpResponse, key: str, end: Any) -> Any:
    agent, appointment, version = _seen(request, key)
    return _answer(
        response, end(actor=agent, appointment=appointment, expected_version=version)
    )


@router.post(
    "/agenda/appointments/{key}/no-show",
    response=responses({200: AgendaAppointmentOut}, 403, 404, 409, 412, 428),
    summary="The citizen did not come (If-Match required)",
)
def appointment_no_show(request: HttpRequest, response: HttpResponse, key: str) -> Any:
    return _ended(request, response, key, services.appointment_no_show)


@router.post(
    "/agenda/appointments/{key}/served",
    response=responses({200: AgendaAppointmentOut}, 403, 404, 409, 412, 428),
    summary="The citizen was served (If-Match required)",
)
def appointment_served(request: HttpRequest, response: HttpResponse, key: str) -> Any:
    return _ended(request, response, key, services.appointment_served)


@router.get(
    "/persons/{person_id}/appointments",
    response=responses({200: AgendaAppointmentsOut}, 404),
    summary="A person's appointments, newest first",
)
def person_appointments(request: HttpRequest, person_id: UUID) -> Any:
    agent = actor(request)
    person = selectors.person_get_for_agent(agent=agent, key=person_id)
    return {"items": selectors.appointments_of_person(agent=agent, person=person)}


@router.get(
    "/dossiers/{dossier_id}/appointments",
    response=responses({200: AgendaAppointmentsOut}, 404),
    summary="A dossier's appointments, newest first",
)
def dossier_appointments(request: HttpRequest, dossier_id: UUID) -> Any:
    agent = actor(request)
    dossier = selectors.dossier_for_agent(agent=agent, key=dossier_id)
    return {"items": selectors.appointments_of_dossier(agent=agent, dossier=dossier)}


@router.get(
    "/agenda/teams/{team_code}/appointments",
    response=responses({200: AgendaAppointmentsOut}, 404),
    summary="A team's appointments of one day (Brussels), in time order",
)
def team_appointments(
    request: HttpRequest, team_code: str, query: Query[AgendaTeamDayQuery]
) -> Any:
    agent = actor(request)
    team = _team(agent, team_code)
    start, end = selectors.team_day_bounds(team, query.day)
    return {
        "items": selectors.appointments_of_team(
            agent=agent, team=team, start=start, end=end
        )
    }
