"""The incoming mail register."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse

from ninja import Field, File, Form, Schema, UploadedFile
from ninja.responses import Status

from guichet.api.common import IsoDate, actor, expected_version, responses, set_etag
from guichet.correspondence import selectors, services
from guichet.correspondence.models import (
    IncomingMail,
)

from .common import AgentRef, _file, router


class MailOut(Schema):
    id: UUID = Field(alias="uuid")
    version: int
    number: str
    team: str
    received_on: dt.date
    sender_name: str
    sender_person_id: UUID | None
    sender_organisation_id: UUID | None
    subject: str
    scan_name: str
    scan_content_type: str
    scan_size: int
    scan_sha256: str
    status: str
    dispatched_to: str | None
    dispatched_dossier: str
    dispatched_at: dt.datetime | None
    registered_by: AgentRef
    created_at: dt.datetime

    @staticmethod
    def resolve_team(obj: IncomingMail) -> str:
        return str(obj.team.code)

    @staticmethod
    def resolve_sender_person_id(obj: IncomingMail) -> UUID | None:
        return obj.sender_person.uuid if obj.sender_person is not None else None

    @staticmethod
    def resolve_sender_organisation_id(obj: IncomingMail) -> UUID | None:
        return (
            obj.sender_organisation.uuid
            if obj.sender_organisation is not None
            else None
        )

    @staticmethod
    def resolve_dispatched_to(obj: IncomingMail) -> str | None:
        return obj.dispatched_team.code if obj.dispatched_team is not None else None


class MailIn(Schema):
    received_on: IsoDate
    subject: str
    sender_name: str = ""
    sender_person_id: UUID | None = None
    sender_organisation_id: UUID | None = None
    team: str | None = None


class DispatchIn(Schema):
    team: str
    dossier: str = Field(
        "", description="The dossier the mail belongs to, if it is about one."
    )


def _mail(
    request: HttpRequest, response: HttpResponse, mail: IncomingMail
) -> IncomingMail:
    read = selectors.incoming_mail_get_for_agent(
        agent=actor(request), mail_id=mail.uuid, purpose="api.write"
    )
    set_etag(response, read.version)
    return read


@router.post(
    "/incoming-mail",
    response=responses({201: MailOut}, 403),
    summary="Register incoming paper mail with its scan",
)
def mail_register(
    request: HttpRequest,
    response: HttpResponse,
    payload: Form[MailIn],
    scan: File[UploadedFile],
) -> Any:
    mail = services.incoming_mail_register(
        actor=actor(request),
        scan=scan.read(),
        scan_name=scan.name or "scan",
        **payload.model_dump(),
    )
    response["Location"] = f"{request.path.rstrip('/')}/{mail.uuid}"
    return Status(201, _mail(request, response, mail))


@router.get(
    "/incoming-mail",
    response=responses({200: list[MailOut]}, 403),
    summary="The incoming mail register",
)
def mail_list(request: HttpRequest, undispatched: bool = False) -> Any:
    return selectors.incoming_mail_list(agent=actor(request), undispatched=undispatched)


@router.get(
    "/incoming-mail/{mail_id}",
    response=responses({200: MailOut}, 404),
    summary="Read registered mail",
)
def mail_read(request: HttpRequest, response: HttpResponse, mail_id: UUID) -> Any:
    mail = selectors.incoming_mail_get_for_agent(agent=actor(request), mail_id=mail_id)
    set_etag(response, mail.version)
    return mail


@router.get(
    "/incoming-mail/{mail_id}/scan",
    response=responses({200: None}, 404),
    summary="The scan of registered mail",
)
def mail_scan(request: HttpRequest, mail_id: UUID) -> HttpResponse:
    mail, data = selectors.incoming_mail_scan(agent=actor(request), mail_id=mail_id)
    return _file(data, mail.scan_content_type, mail.scan_name.replace('"', ""))


@router.post(
    "/incoming-mail/{mail_id}/dispatch",
    response=responses({200: MailOut}, 403, 404, 409, 412, 428),
    summary="Dispatch mail to a service (If-Match required)",
)
def mail_dispatch(
    request: HttpRequest, response: HttpResponse, mail_id: UUID, payload: DispatchIn
) -> Any:
    mail = services.incoming_mail_dispatch(
        actor=actor(request),
        mail_id=mail_id,
        expected_version=expected_version(request),
        team=payload.team,
        dossier=payload.dossier,
    )
    return _mail(request, response, mail)
