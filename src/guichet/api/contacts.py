"""Contacts and topics over HTTP. Handlers parse, call one service or selector, and
shape the answer; the rules live in `guichet.contacts`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from guichet.contacts import selectors, services
from guichet.contacts.models import Contact

from .common import actor, expected_version, responses, set_etag

router = Router(tags=["contacts"])

ChannelCode = Literal["phone", "email", "counter", "letter", "fax", "web_form", "chat"]
OutcomeCode = Literal["answered", "request_created", "forwarded", "no_answer"]
RelationCode = Literal[
    "representative", "social_worker", "relative", "lawyer", "employer", "other"
]
LanguageCode = Literal["fr", "nl", "de", "en"]


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


def language() -> str:
    """The caller's language (Accept-Language, else the agent's), as fr/nl/de/en."""
    return (translation.get_language() or "en").split("-")[0]


class ContactIn(StrictIn):
    channel: ChannelCode
    direction: Literal["inbound", "outbound"] = "inbound"
    started_at: dt.datetime | None = Field(
        None,
        description="With its time zone; default now. At most 12 hours ago.",
    )
    ended_at: dt.datetime | None = Field(
        None, description="Empty while the contact lasts (see `/end`)."
    )
    person: UUID | None = Field(None, description="The person concerned.")
    organisation: UUID | None = Field(None, description="The organisation concerned.")
    caller_person: UUID | None = Field(
        None, description="Who called or came, when not the person concerned."
    )
    caller_organisation: UUID | None = None
    caller_name: str = Field("", max_length=200)
    caller_relation: RelationCode | Literal[""] = ""
    anonymous_details: str = Field(
        "", max_length=1000, description="For an unidentified caller: what is known."
    )
    address_used: str = Field(
        "",
        max_length=254,
        description="The number that called, the address that wrote.",
    )
    topic: str = Field("", description="A topic's id or code (see /topics).")
    summary: str = Field("", max_length=4000)
    outcome: OutcomeCode | Literal[""] = ""
    language: LanguageCode | Literal[""] = Field(
        "", description="Default: the person's language."
    )

    def to_input(self) -> services.ContactInput:
        data = self.model_dump(exclude={"team"})
        for key in ("person", "organisation", "caller_person", "caller_organisation"):
            data[key] = str(data[key]) if data[key] else ""
        return services.ContactInput(**data)


class ContactRegisterIn(ContactIn):
    team: str = Field(
        "", description="The code of the service you act for (default: your only one)."
    )


class TopicRef(Schema):
    id: UUID
    code: str
    name: str


def topic_ref(topic: Any) -> dict[str, Any] | None:
    if topic is None:
        return None
    return {"id": topic.uuid, "code": topic.code, "name": topic.name(language())}


class ContactOut(Schema):
    id: UUID = Field(alias="uuid")
    version: int
    channel: str
    direction: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    duration_seconds: int | None = Field(description="Null while the contact lasts.")
    agent: str = Field(description="The user name of the agent who registered it.")
    team: str = Field(description="The code of the service the agent acted for.")
    person: UUID | None
    organisation: UUID | None
    caller_person: UUID | None
    caller_organisation: UUID | None
    caller_name: str
    caller_relation: str
    anonymous_details: str
    address_used: str
    topic: TopicRef | None
    summary: str
    outcome: str
    language: str
    created_at: dt.datetime

    @staticmethod
    def resolve_duration_seconds(obj: Contact) -> int | None:
        if obj.ended_at is None:
            return None
        return int((obj.ended_at - obj.started_at).total_seconds())

    @staticmethod
    def resolve_agent(obj: Contact) -> str:
        return str(obj.agent.username)

    @staticmethod
    def resolve_team(obj: Contact) -> str:
        return str(obj.team.code)

    @staticmethod
    def resolve_person(obj: Contact) -> UUID | None:
        return obj.person.uuid if obj.person_id and obj.person else None

    @staticmethod
    def resolve_organisation(obj: Contact) -> UUID | None:
        return (
            obj.organisation.uuid if obj.organisation_id and obj.organisation else None
        )

    @staticmethod
    def resolve_caller_person(obj: Contact) -> UUID | None:
        return (
            obj.caller_person.uuid
            if obj.caller_person_id and obj.caller_person
            else None
        )

    @staticmethod
    def resolve_caller_organisation(obj: Contact) -> UUID | None:
        if obj.caller_organisation_id and obj.caller_organisation:
            return obj.caller_organisation.uuid
        return None

    @staticmethod
    def resolve_topic(obj: Contact) -> dict[str, Any] | None:
        return topic_ref(obj.topic) if obj.topic_id else None


class ContactListOut(Schema):
    items: list[ContactOut]


class ContactCorrectIn(StrictIn):
    topic: str = Field("", description="A topic's id or code; empty: none.")
    summary: str = Field("", max_length=4000)
    outcome: OutcomeCode | Literal[""] = ""


class ContactEndIn(StrictIn):
    outcome: OutcomeCode | Literal[""] = Field(
        "", description="Empty: keep the outcome already given."
    )


def _read(request: HttpRequest, contact_id: UUID) -> Contact:
    return selectors.contact_get_for_agent(agent=actor(request), uuid=contact_id).obj


@router.post(
    "/contacts",
    response=responses({201: ContactOut}, 403),
    summary="Register a contact",
    description=(
        "One interaction (call, visit, e-mail...) of the calling agent. A person, "
        "organisation or topic you may not see is refused like one that does not "
        "exist (422, field code `not_found`)."
    ),
)
def contact_register(
    request: HttpRequest, response: HttpResponse, payload: ContactRegisterIn
) -> Any:
    agent = actor(request)
    team = selectors.team_named("team", payload.team) if payload.team else None
    contact = services.contact_register(
        actor=agent,
        data=ContactIn.to_input(payload),
        team=team,
    )
    set_etag(response, contact.version)
    response["Location"] = f"{request.path.rstrip('/')}/{contact.uuid}"
    return Status(201, contact)


@router.get(
    "/contacts/{contact_id}",
    response=responses({200: ContactOut}, 404),
    summary="Read a contact",
)
def contact_read(request: HttpRequest, response: HttpResponse, contact_id: UUID) -> Any:
    contact = _read(request, contact_id)
    set_etag(response, contact.version)
    return contact


@router.patch(
    "/contacts/{contact_id}",
    response=responses({200: ContactOut}, 403, 404, 412, 428),
    summary="Correct a contact's topic, summary and outcome (If-Match required)",
)
def contact_correct(
    request: HttpRequest,
    response: HttpResponse,
    contact_id: UUID,
    payload: ContactCorrectIn,
) -> Any:
    version = expected_version(request)
    contact = services.contact_correct(
        actor=actor(request),
        contact=_read(request, contact_id),
        expected_version=version,
        data=services.ContactCorrection(**payload.model_dump()),
    )
    set_etag(response, contact.version)
    return contact


@router.post(
    "/contacts/{contact_id}/end",
    response=responses({200: ContactOut}, 403, 404),
    summary="End a contact now (its duration is then known)",
)
def contact_end(
    request: HttpRequest,
    response: HttpResponse,
    contact_id: UUID,
    payload: ContactEndIn,
) -> Any:
    contact = services.contact_end(
        actor=actor(request),
        contact=_read(request, contact_id),
        outcome=payload.outcome,
    )
    set_etag(response, contact.version)
    return contact


@router.get(
    "/persons/{person_id}/contacts",
    response=responses({200: ContactListOut}, 404),
    summary="The contacts of a person, newest first",
    description="Those that concern the person and those they made for someone else.",
)
def person_contacts(request: HttpRequest, person_id: UUID) -> Any:
    rows = selectors.contacts_of_person_id(agent=actor(request), person_id=person_id)
    return {"items": rows}


class TopicOut(Schema):
    id: UUID = Field(alias="uuid")
    code: str
    label: str = Field(description='The path in the tree: "Consular > Legalisation".')
    depth: int


class TopicListIn(Schema):
    team: str = Field(
        "",
        max_length=50,
        description="A service's code (default: your only service, else shared topics).",
    )


class TopicListOut(Schema):
    language: str
    items: list[TopicOut]


@router.get(
    "/topics",
    response=responses({200: TopicListOut}, 404),
    summary="The topics in use, as a tree in display order",
    description="Named in the caller's language (Accept-Language, else the agent's).",
)
def topic_list(request: HttpRequest, filters: Query[TopicListIn]) -> Any:
    chosen = language()
    options = selectors.topic_options_for_agent(
        agent=actor(request), team_code=filters.team, language=chosen
    )
    return {"language": chosen, "items": options}


class IdentifyIn(StrictIn):
    person: UUID = Field(description="The person concerned, once known.")


@router.post(
    "/contacts/{contact_id}/identify",
    response=responses({200: ContactOut}, 403, 404, 412, 428),
    summary="Name the person concerned of an anonymous contact (If-Match required)",
    description=(
        "Only for a contact that names nobody yet; what was known of the caller "
        "stays. A person you may not see is refused like one that does not exist."
    ),
)
def contact_identify(
    request: HttpRequest, response: HttpResponse, contact_id: UUID, payload: IdentifyIn
) -> Any:
    version = expected_version(request)
    contact = services.contact_identify(
        actor=actor(request),
        contact=_read(request, contact_id),
        expected_version=version,
        person=str(payload.person),
    )
    set_etag(response, contact.version)
    return contact
