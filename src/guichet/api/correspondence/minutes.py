"""Minutes of meetings and their action items (kept by the agenda since
issue #17; their paths stay here, clients use them)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse

from ninja import Field, Schema
from ninja.responses import Status

from guichet.agenda.minutes import selectors, services
from guichet.agenda.models import ActionItem, Minutes
from guichet.api.common import IsoDate, actor, expected_version, responses, set_etag

from .common import AgentRef, LanguageCode, _file, router


class ActionIn(Schema):
    description: str
    owner: str = Field(description="The owner's username.")
    due_date: IsoDate


class MinutesIn(Schema):
    title: str
    meeting_date: IsoDate
    language: LanguageCode
    attendees: list[str]
    absentees: list[str] = []
    agenda: list[str]
    decisions: list[str] = []
    actions: list[ActionIn] = []
    place: str = ""
    team: str | None = None
    # The agenda's meeting these minutes are of (one the agent may see, begun).
    meeting: UUID | None = None


class ActionItemOut(Schema):
    id: UUID = Field(alias="uuid")
    version: int
    minutes_id: UUID
    description: str
    owner: AgentRef
    due_date: dt.date
    status: str
    done_at: dt.datetime | None

    @staticmethod
    def resolve_minutes_id(obj: ActionItem) -> UUID:
        return UUID(str(obj.minutes.uuid))


class MinutesOut(Schema):
    id: UUID = Field(alias="uuid")
    team: str
    title: str
    meeting_date: dt.date
    place: str
    language: str
    attendees: list[str]
    absentees: list[str]
    agenda: list[str]
    decisions: list[str]
    actions: list[ActionItemOut]
    archived: bool
    meeting: UUID | None

    @staticmethod
    def resolve_meeting(obj: Minutes) -> UUID | None:
        return UUID(str(obj.meeting.uuid)) if obj.meeting is not None else None

    @staticmethod
    def resolve_team(obj: Minutes) -> str:
        return str(obj.team.code)

    @staticmethod
    def resolve_actions(obj: Minutes) -> list[Any]:
        return list(obj.actions.select_related("owner", "minutes"))

    @staticmethod
    def resolve_archived(obj: Minutes) -> bool:
        return bool(obj.pdf_sha256)


@router.post(
    "/minutes",
    response=responses({201: MinutesOut}, 403, 404),
    summary="Record minutes; their actions become tasks",
)
def minutes_create(
    request: HttpRequest, response: HttpResponse, payload: MinutesIn
) -> Any:
    data = payload.model_dump(exclude={"actions"})
    minutes = services.minutes_create(
        actor=actor(request),
        actions=[services.ActionInput(**item.model_dump()) for item in payload.actions],
        **data,
    )
    response["Location"] = f"{request.path.rstrip('/')}/{minutes.uuid}"
    return Status(
        201,
        selectors.minutes_get_for_agent(agent=actor(request), minutes_id=minutes.uuid),
    )


@router.get(
    "/minutes/{minutes_id}",
    response=responses({200: MinutesOut}, 404),
    summary="Read minutes",
)
def minutes_read(request: HttpRequest, minutes_id: UUID) -> Any:
    return selectors.minutes_get_for_agent(agent=actor(request), minutes_id=minutes_id)


@router.get(
    "/minutes/{minutes_id}/pdf",
    response=responses({200: None}, 404),
    summary="Minutes as PDF/A",
)
def minutes_pdf(request: HttpRequest, minutes_id: UUID) -> HttpResponse:
    minutes, data = services.minutes_pdf_deliver(
        actor=actor(request), minutes_id=minutes_id
    )
    return _file(data, "application/pdf", f"minutes-{minutes.meeting_date}.pdf")


@router.get(
    "/action-items",
    response=responses({200: list[ActionItemOut]}),
    summary="My actions from meeting minutes",
)
def action_items(request: HttpRequest, open_only: bool = True) -> Any:
    return selectors.action_items_for_agent(agent=actor(request), open_only=open_only)


@router.post(
    "/action-items/{item_id}/complete",
    response=responses({200: ActionItemOut}, 403, 404, 409, 412, 428),
    summary="Mark an action done (If-Match required)",
)
def action_item_complete(
    request: HttpRequest, response: HttpResponse, item_id: UUID
) -> Any:
    item = services.action_item_complete(
        actor=actor(request),
        item_id=item_id,
        expected_version=expected_version(request),
    )
    set_etag(response, item.version)
    return item
