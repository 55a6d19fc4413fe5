"""Absences, presence and the private agenda feed (issue #17, parts 4 and 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import AwareDatetime

from guichet.agenda.absences import selectors, services
from guichet.agenda.feeds import selectors as feed_selectors
from guichet.agenda.feeds import services as feed_services
from guichet.core import clock

from .common import IsoDate, actor, responses

router = Router(tags=["agenda"])


class AgendaAbsenceIn(Schema):
    agent: str | None = Field(
        None, description="Whose absence (a username); yourself when left out."
    )
    kind: str = Field(description="leave, training, sick or other.")
    starts_on: IsoDate | None = Field(None, description="First whole day (Brussels).")
    ends_on: IsoDate | None = Field(None, description="Last whole day, included.")
    starts_at: AwareDatetime | None = Field(None, description="Start, for hours.")
    ends_at: AwareDatetime | None = Field(None, description="End, for hours.")
    substitute: str | None = Field(
        None, description="Username of the colleague who stands in."
    )


class AgendaTeamQuery(Schema):
    first: IsoDate | None = Field(None, description="The first day; today if left out.")
    days: int = Field(14, ge=1, le=92, description="How many days from the first.")


class AgendaAbsenceOut(Schema):
    id: UUID
    agent: str
    kind: str | None = Field(description="Null when you may not see it: absent.")
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    all_day: bool
    substitute: str | None
    cancelled: bool

    @staticmethod
    def resolve_id(obj: selectors.AbsenceView) -> UUID:
        return obj.uuid

    @staticmethod
    def resolve_agent(obj: selectors.AbsenceView) -> str:
        return obj.agent.get_username()

    @staticmethod
    def resolve_substitute(obj: selectors.AbsenceView) -> str | None:
        return obj.substitute.get_username() if obj.substitute else None


class AgendaFeedOut(Schema):
    id: UUID
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return UUID(str(obj.uuid))


class AgendaFeedCreatedOut(Schema):
    id: UUID
    created_at: dt.datetime
    url: str = Field(description="The feed's address: shown once, keep it secret.")
    token: str


@router.get(
    "/absences",
    response=responses({200: list[AgendaAbsenceOut]}),
    summary="My absences that are not over",
)
def absences_mine(request: HttpRequest) -> Any:
    return selectors.my_absences(agent=actor(request))


@router.get(
    "/absences/team",
    response=responses({200: list[AgendaAbsenceOut]}),
    summary="The absences of my services' agents (the kind only where I may see it)",
)
def absences_team(request: HttpRequest, query: Query[AgendaTeamQuery]) -> Any:
    return selectors.team_absences(
        viewer=actor(request), first=query.first or clock.today(), days=query.days
    )


@router.get(
    "/absences/{absence_id}",
    response=responses({200: AgendaAbsenceOut}, 404),
    summary="Read an absence",
)
def absence_read(request: HttpRequest, absence_id: UUID) -> Any:
    return selectors.absence_get_for_agent(agent=actor(request), absence_id=absence_id)


@router.post(
    "/absences",
    response=responses({201: AgendaAbsenceOut}, 403, 404),
    summary="Record an absence (whole days or hours), with a substitute",
)
def absence_create(
    request: HttpRequest, response: HttpResponse, payload: AgendaAbsenceIn
) -> Any:
    me = actor(request)
    agent = selectors.absence_agent_named(actor=me, username=payload.agent)
    absence = services.absence_create(
        actor=me,
        agent=agent,
        kind=payload.kind,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        substitute=selectors.substitute_named(agent=agent, username=payload.substitute),
    )
    response["Location"] = f"{request.path.rstrip('/')}/{absence.uuid}"
    return Status(
        201, selectors.absence_get_for_agent(agent=me, absence_id=absence.uuid)
    )


@router.post(
    "/absences/{absence_id}/cancel",
    response=responses({200: AgendaAbsenceOut}, 403, 404, 409),
    summary="Cancel an absence and the substitution it named",
)
def absence_cancel(request: HttpRequest, absence_id: UUID) -> Any:
    me = actor(request)
    absence = services.absence_cancel(actor=me, absence_id=absence_id)
    return selectors.absence_get_for_agent(agent=me, absence_id=absence.uuid)


@router.get(
    "/agenda/feeds",
    response=responses({200: list[AgendaFeedOut]}),
    summary="My running agenda feed",
)
def feeds_mine(request: HttpRequest) -> Any:
    return feed_selectors.feeds_of_agent(agent=actor(request))


@router.post(
    "/agenda/feeds",
    response=responses({201: AgendaFeedCreatedOut}, 403),
    summary="Create my private iCalendar feed (the previous one is revoked)",
)
def feed_create(request: HttpRequest) -> Any:
    created = feed_services.feed_create(actor=actor(request))
    url = request.build_absolute_uri(reverse("ui:agenda_feed", args=[created.token]))
    return Status(
        201,
        {
            "id": created.feed.uuid,
            "created_at": created.feed.created_at,
            "url": url,
            "token": created.token,
        },
    )


@router.post(
    "/agenda/feeds/{feed_id}/revoke",
    response=responses({200: AgendaFeedOut}, 403, 404, 409),
    summary="Revoke my agenda feed: its address answers 404 from now on",
)
def feed_revoke(request: HttpRequest, feed_id: UUID) -> Any:
    return feed_services.feed_revoke(actor=actor(request), feed_id=feed_id)
