"""Requests and complaints over HTTP: creating (with the contact they come from),
reading, the queues, working on them. Handlers parse, call one service or selector,
and shape the answer; the rules live in `guichet.servicerequests`.

A request is named in paths by its public id or its reference (`REQ-2026-0000042`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse

from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from guichet.contacts import selectors as contact_selectors
from guichet.correspondence import selectors as letter_selectors
from guichet.correspondence import services as letter_services
from guichet.servicerequests import selectors, services, transitions
from guichet.servicerequests.models import Request, RequestEvent

from .common import PageOut, actor, expected_version, responses, set_etag
from .contacts import ChannelCode, ContactIn, ContactOut, LanguageCode, TopicRef
from .contacts import topic_ref as _topic_ref

router = Router(tags=["requests"])

KindCode = Literal["information", "question", "complaint"]
PriorityCode = Literal["low", "normal", "high", "urgent"]
StatusCode = Literal[
    "new",
    "in_progress",
    "waiting_citizen",
    "waiting_other",
    "answered",
    "closed",
    "reopened",
]
KEY = "The request's id or its reference (REQ-2026-0000042)."


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class RequestIn(StrictIn):
    kind: KindCode
    subject: str = Field(max_length=200)
    topic: str = Field(description="A topic's id or code (see /topics).")
    channel: ChannelCode = Field(description="The channel it came by.")
    description: str = Field("", max_length=8000)
    priority: PriorityCode = "normal"
    person: UUID | None = Field(None, description="The person concerned.")
    organisation: UUID | None = Field(None, description="The organisation concerned.")
    requester_person: UUID | None = Field(
        None, description="Who asked, when not the person concerned."
    )
    requester_name: str = Field("", max_length=200)
    reply_channel: ChannelCode | Literal[""] = Field(
        "", description="Default: the channel it came by."
    )
    language: LanguageCode | Literal[""] = Field(
        "", description="Default: the person's language, else the service's."
    )
    complaint_about: str = Field("", max_length=8000, description="Complaints only.")
    complaint_service: str = Field(
        "", max_length=50, description="Complaints only: the code of the service."
    )
    seriousness: Literal["minor", "serious", "very_serious", ""] = Field(
        "", description="Required for a complaint, refused otherwise."
    )

    def to_input(self) -> services.RequestInput:
        data = self.model_dump(exclude={"team"})
        for key in ("person", "organisation", "requester_person"):
            data[key] = str(data[key]) if data[key] else ""
        return services.RequestInput(**data)


class RequestCreateIn(RequestIn):
    team: str = Field(
        "",
        max_length=50,
        description="The code of the service you act for (default: your only one).",
    )


class ContactRequestIn(StrictIn):
    contact: ContactIn = Field(
        description="Its outcome is set to `request_created`, whatever is sent."
    )
    request: RequestIn
    team: str = Field(
        "",
        max_length=50,
        description="The code of the service you act for (default: your only one).",
    )


class MoveOut(Schema):
    to: str
    needs_text: bool


class RequestSummaryOut(Schema):
    id: UUID = Field(alias="uuid")
    reference: str
    version: int
    kind: str
    subject: str
    status: str
    priority: str
    topic: TopicRef
    team: str = Field(description="The code of the service whose queue holds it.")
    owner: str | None = Field(description="The owner's user name; null: unowned.")
    person: UUID | None
    organisation: UUID | None
    language: str
    received_at: dt.datetime
    first_answer_due: dt.datetime | None
    resolution_due: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_topic(obj: Request) -> dict[str, Any] | None:
        return _topic_ref(obj.topic)

    @staticmethod
    def resolve_team(obj: Request) -> str:
        return str(obj.team.code)

    @staticmethod
    def resolve_owner(obj: Request) -> str | None:
        return str(obj.owner.username) if obj.owner_id and obj.owner else None

    @staticmethod
    def resolve_person(obj: Request) -> UUID | None:
        return obj.person.uuid if obj.person_id and obj.person else None

    @staticmethod
    def resolve_organisation(obj: Request) -> UUID | None:
        return (
            obj.organisation.uuid if obj.organisation_id and obj.organisation else None
        )


def _reference(other: Request | None) -> str | None:
    return other.reference if other is not None else None


class RequestOut(RequestSummaryOut):
    description: str
    channel: str
    reply_channel: str
    requester_person: UUID | None
    requester_name: str
    created_by: str
    first_answered_at: dt.datetime | None
    resolved_at: dt.datetime | None
    paused_since: dt.datetime | None
    parent: str | None = Field(description="The parent request's reference.")
    merged_into: str | None = Field(description="The surviving request's reference.")
    complaint_about: str
    complaint_service: str | None
    seriousness: str
    classification: str
    moves: list[MoveOut] = Field(
        description="The statuses it may move to now, and whether a text is needed."
    )
    updated_at: dt.datetime

    @staticmethod
    def resolve_requester_person(obj: Request) -> UUID | None:
        if obj.requester_person_id and obj.requester_person:
            return obj.requester_person.uuid
        return None

    @staticmethod
    def resolve_created_by(obj: Request) -> str:
        return str(obj.created_by.username)

    @staticmethod
    def resolve_parent(obj: Request) -> str | None:
        return _reference(obj.parent) if obj.parent_id else None

    @staticmethod
    def resolve_merged_into(obj: Request) -> str | None:
        return _reference(obj.merged_into) if obj.merged_into_id else None

    @staticmethod
    def resolve_complaint_service(obj: Request) -> str | None:
        if obj.complaint_service_id and obj.complaint_service:
            return str(obj.complaint_service.code)
        return None

    @staticmethod
    def resolve_moves(obj: Request) -> list[dict[str, Any]]:
        return [
            {"to": str(move.to), "needs_text": move.needs_text}
            for move in transitions.targets(obj.status)
        ]


class RequestSeenOut(RequestOut):
    actions: list[str] = Field(
        description="What you may do on it: request.work, request.handover, "
        "request.assign..."
    )


class ContactRequestOut(Schema):
    contact: ContactOut
    request: RequestOut


class QueueIn(Schema):
    team: str = Field(
        "", max_length=50, description="A service's code; default all yours."
    )
    status: StatusCode | Literal[""] = Field("", description="Default: every open one.")
    owner: str = Field(
        "", max_length=150, description='"me", "none" (unowned) or a user name.'
    )
    kind: KindCode | Literal[""] = ""
    priority: PriorityCode | Literal[""] = ""
    overdue: bool = Field(False, description="Only those past their resolution due.")
    page: int = Field(1, ge=1, le=10_000)


class QueuePageOut(PageOut):
    items: list[RequestSummaryOut]
    teams: list[str] = Field(description="The codes of your services.")


class TakeNextIn(StrictIn):
    team: str = Field(
        "", max_length=50, description="A service's code; default all yours."
    )


class TakeNextOut(Schema):
    request: RequestOut | None = Field(description="Null: the queues are empty.")


class TransitionIn(StrictIn):
    status: StatusCode = Field(description="The status to move to (see `moves`).")
    text: str = Field(
        "", max_length=8000, description="Required by some moves (see `moves`)."
    )
    classification: Literal["founded", "partly_founded", "unfounded", ""] = Field(
        "", description="Required to close a complaint, refused otherwise."
    )


class NoteIn(StrictIn):
    text: str = Field(max_length=8000)


class HandoverIn(StrictIn):
    team: str = Field(max_length=50, description="The code of the receiving service.")
    reason: str = Field(max_length=8000)


class AssignIn(StrictIn):
    owner: str | None = Field(
        max_length=150,
        description="A user name of the request's service; null: unowned.",
    )


class RequestLinkIn(StrictIn):
    parent: str | None = Field(
        max_length=100, description=f"{KEY} Null: no parent any more."
    )


class MergeIn(StrictIn):
    into: str = Field(max_length=100, description=f"The surviving request. {KEY}")
    reason: str = Field(max_length=8000)


class EventOut(Schema):
    id: UUID = Field(alias="uuid")
    request: str = Field(description="The reference of the request it happened to.")
    kind: str
    agent: str | None
    from_status: str
    to_status: str
    text: str
    data: dict[str, Any]
    created_at: dt.datetime

    @staticmethod
    def resolve_request(obj: RequestEvent) -> str:
        return obj.request.reference

    @staticmethod
    def resolve_agent(obj: RequestEvent) -> str | None:
        return str(obj.agent.username) if obj.agent_id and obj.agent else None


class TimelineOut(Schema):
    items: list[EventOut]


class MyWorkOut(Schema):
    owned: list[RequestSummaryOut]
    near_deadline: list[RequestSummaryOut] = Field(
        description="Unowned requests of your queues near or past their deadline."
    )
    unowned_count: int


class OwnerCountOut(Schema):
    owner: str
    open: int


class WorkloadOut(Schema):
    team: str
    open: int
    unowned: int
    overdue: int
    by_owner: list[OwnerCountOut]


class WorkloadListOut(Schema):
    items: list[WorkloadOut]


def _team(code: str) -> Any:
    return contact_selectors.team_named("team", code) if code else None


def _seen(request: HttpRequest, key: str) -> Any:
    return selectors.request_get_for_agent(agent=actor(request), key=key)


def _get(request: HttpRequest, key: str) -> Request:
    return _seen(request, key).obj  # type: ignore[no-any-return]


def _answer(response: HttpResponse, request: Request) -> Request:
    set_etag(response, request.version)
    return request


@router.post(
    "/requests",
    response=responses({201: RequestOut}, 403),
    summary="Open a request",
    description=(
        "Routed to the queue its topic, language and priority lead to, with its due "
        "instants computed in that service's calendar."
    ),
)
def request_create(
    request: HttpRequest, response: HttpResponse, payload: RequestCreateIn
) -> Any:
    created = services.request_create(
        actor=actor(request), data=RequestIn.to_input(payload), team=_team(payload.team)
    )
    response["Location"] = f"{request.path.rstrip('/')}/{created.uuid}"
    return Status(201, _answer(response, created))


@router.post(
    "/requests/with-contact",
    response=responses({201: ContactRequestOut}, 403),
    summary="Register a contact and the request it turns into, at once",
    description="Both or neither: any invalid field refuses the whole.",
)
def request_create_with_contact(
    request: HttpRequest, response: HttpResponse, payload: ContactRequestIn
) -> Any:
    contact, created = services.contact_with_request(
        actor=actor(request),
        contact=payload.contact.to_input(),
        request=payload.request.to_input(),
        team=_team(payload.team),
    )
    response["Location"] = f"{request.path.rsplit('/', 1)[0]}/{created.uuid}"
    set_etag(response, created.version)
    return Status(201, {"contact": contact, "request": created})


@router.get(
    "/requests",
    response=responses({200: QueuePageOut}, 403),
    summary="A page of your queues, the earliest resolution due first",
)
def request_queue(request: HttpRequest, filters: Query[QueueIn]) -> Any:
    found = selectors.queue(
        agent=actor(request), filters=selectors.QueueFilter(**filters.model_dump())
    )
    return {
        "page": found.page,
        "page_size": selectors.QUEUE_PAGE,
        "has_next": found.has_next,
        "items": found.rows,
        "teams": [team.code for team in found.teams],
    }


@router.post(
    "/requests/take-next",
    response=responses({200: TakeNextOut}, 403),
    summary="Take the unowned request of your queues that is due first",
    description="Two agents taking at once never get the same request.",
)
def request_take_next(request: HttpRequest, payload: TakeNextIn) -> Any:
    taken = services.request_take_next(actor=actor(request), team=_team(payload.team))
    return {"request": taken}


@router.get(
    "/my-work",
    response=responses({200: MyWorkOut}, 403),
    summary="What waits for you",
)
def my_work(request: HttpRequest) -> Any:
    return selectors.my_work(agent=actor(request))


@router.get(
    "/workload",
    response=responses({200: WorkloadListOut}, 403),
    summary="Work in progress per service of yours and per owner",
)
def workload(request: HttpRequest) -> Any:
    return {
        "items": [
            {
                "team": row.team.code,
                "open": row.open_count,
                "unowned": row.unowned,
                "overdue": row.overdue,
                "by_owner": [
                    {"owner": owner, "open": count} for owner, count in row.by_owner
                ],
            }
            for row in selectors.workload(agent=actor(request))
        ]
    }


@router.get(
    "/requests/{key}",
    response=responses({200: RequestSeenOut}, 404),
    summary="Read a request",
    description=KEY,
)
def request_read(request: HttpRequest, response: HttpResponse, key: str) -> Any:
    seen = _seen(request, key)
    shown = _answer(response, seen.obj)
    shown.actions = sorted(seen.actions)  # type: ignore[attr-defined]  # for RequestSeenOut
    return shown


@router.get(
    "/requests/{key}/timeline",
    response=responses({200: TimelineOut}, 404),
    summary="A request's timeline, oldest first, with those merged into it",
)
def request_timeline(request: HttpRequest, key: str) -> Any:
    found = _get(request, key)
    return {"items": selectors.timeline(agent=actor(request), request=found)}


@router.post(
    "/requests/{key}/take",
    response=responses({200: RequestOut}, 403, 404, 409),
    summary="Take an unowned request (409 when another agent was faster)",
)
def request_take(request: HttpRequest, response: HttpResponse, key: str) -> Any:
    taken = services.request_take(actor=actor(request), request=_get(request, key))
    return _answer(response, taken)


@router.post(
    "/requests/{key}/transitions",
    response=responses({200: RequestOut}, 403, 404, 412, 428),
    summary="Move a request to another status (If-Match required)",
)
def request_transition(
    request: HttpRequest, response: HttpResponse, key: str, payload: TransitionIn
) -> Any:
    version = expected_version(request)
    moved = services.request_transition(
        actor=actor(request),
        request=_get(request, key),
        expected_version=version,
        to=payload.status,
        text_=payload.text,
        classification=payload.classification,
    )
    return _answer(response, moved)


@router.post(
    "/requests/{key}/notes",
    response=responses({201: EventOut}, 403, 404),
    summary="Add an internal note (never sent to the citizen)",
)
def request_note(request: HttpRequest, key: str, payload: NoteIn) -> Any:
    event = services.request_note(
        actor=actor(request), request=_get(request, key), text_=payload.text
    )
    return Status(201, event)


@router.post(
    "/requests/{key}/handover",
    response=responses({200: RequestOut}, 403, 404, 412, 428),
    summary="Hand a request to another service's queue (If-Match required)",
)
def request_handover(
    request: HttpRequest, response: HttpResponse, key: str, payload: HandoverIn
) -> Any:
    version = expected_version(request)
    handed = services.request_handover(
        actor=actor(request),
        request=_get(request, key),
        expected_version=version,
        team=contact_selectors.team_named("team", payload.team),
        reason=payload.reason,
    )
    return _answer(response, handed)


@router.post(
    "/requests/{key}/assign",
    response=responses({200: RequestOut}, 403, 404, 412, 428),
    summary="Give a request to an agent of its service, or back to the queue "
    "(supervisors; If-Match required)",
)
def request_assign(
    request: HttpRequest, response: HttpResponse, key: str, payload: AssignIn
) -> Any:
    version = expected_version(request)
    owner = selectors.agent_named("owner", payload.owner) if payload.owner else None
    assigned = services.request_assign(
        actor=actor(request),
        request=_get(request, key),
        expected_version=version,
        agent=owner,
    )
    return _answer(response, assigned)


@router.post(
    "/requests/{key}/link",
    response=responses({200: RequestOut}, 403, 404),
    summary="Make a request part of another one (or unlink it)",
)
def request_link(
    request: HttpRequest, response: HttpResponse, key: str, payload: RequestLinkIn
) -> Any:
    agent = actor(request)
    child = _get(request, key)
    parent = (
        selectors.request_named(agent=agent, field="parent", key=payload.parent)
        if payload.parent
        else None
    )
    linked = services.request_link(actor=agent, child=child, parent=parent)
    return _answer(response, linked)


@router.post(
    "/requests/{key}/merge",
    response=responses({200: RequestOut}, 403, 404, 409),
    summary="Merge a duplicate into another request; answers the survivor",
)
def request_merge(
    request: HttpRequest, response: HttpResponse, key: str, payload: MergeIn
) -> Any:
    agent = actor(request)
    duplicate = _get(request, key)
    into = selectors.request_named(agent=agent, field="into", key=payload.into)
    survivor = services.request_merge(
        actor=agent, duplicate=duplicate, into=into, reason=payload.reason
    )
    return _answer(response, survivor)


# Issue #13, the operations added beside the ones above: a request from a contact
# already registered (an anonymous caller's too), naming its person later, a
# contact about a request, and replies to the citizen (written by correspondence).


class RequestFromContactIn(StrictIn):
    kind: KindCode
    subject: str = Field(max_length=200)
    topic: str = Field(description="A topic's id or code (see /topics).")
    description: str = Field("", max_length=8000)
    priority: PriorityCode = "normal"
    requester_name: str = Field(
        "",
        max_length=200,
        description="Default, for an anonymous caller: what is known.",
    )
    reply_channel: ChannelCode | Literal[""] = Field(
        "", description="Default: the contact's channel."
    )
    language: LanguageCode | Literal[""] = Field(
        "", description="Default: the contact's language, else the service's."
    )
    complaint_about: str = Field("", max_length=8000, description="Complaints only.")
    complaint_service: str = Field(
        "", max_length=50, description="Complaints only: the code of the service."
    )
    seriousness: Literal["minor", "serious", "very_serious", ""] = Field(
        "", description="Required for a complaint, refused otherwise."
    )
    team: str = Field(
        "",
        max_length=50,
        description="The code of the service you act for (default: your only one).",
    )


@router.post(
    "/requests/from-contact/{contact_id}",
    response=responses({201: RequestOut}, 403, 404),
    summary="Open a request from a registered contact",
    description=(
        "It concerns the contact's person or organisation; from an anonymous "
        "contact it concerns nobody yet (see `/requests/{key}/identify`)."
    ),
)
def request_from_contact(
    request: HttpRequest,
    response: HttpResponse,
    contact_id: UUID,
    payload: RequestFromContactIn,
) -> Any:
    agent = actor(request)
    contact = contact_selectors.contact_get_for_agent(agent=agent, uuid=contact_id).obj
    data = payload.model_dump(exclude={"team"})
    created = services.request_from_contact(
        actor=agent,
        contact=contact,
        data=services.RequestInput(channel=contact.channel, **data),
        team=_team(payload.team),
    )
    response["Location"] = (
        f"{request.path.split('/requests/')[0]}/requests/{created.uuid}"
    )
    return Status(201, _answer(response, created))


class RequestIdentifyIn(StrictIn):
    person: UUID = Field(description="The person concerned, once known.")


@router.post(
    "/requests/{key}/identify",
    response=responses({200: RequestOut}, 403, 404, 412, 428),
    summary="Name the person concerned of a request from an anonymous caller "
    "(If-Match required)",
)
def request_identify(
    request: HttpRequest, response: HttpResponse, key: str, payload: RequestIdentifyIn
) -> Any:
    version = expected_version(request)
    identified = services.request_identify(
        actor=actor(request),
        request=_get(request, key),
        expected_version=version,
        person=str(payload.person),
    )
    return _answer(response, identified)


class RequestContactIn(StrictIn):
    contact: ContactIn = Field(
        description="Default person or organisation and topic: the request's."
    )
    team: str = Field(
        "",
        max_length=50,
        description="The code of the service you act for (default: your only one).",
    )


@router.post(
    "/requests/{key}/contacts",
    response=responses({201: ContactOut}, 403, 404),
    summary="Register a contact about a request and attach it",
)
def request_contact_add(
    request: HttpRequest, response: HttpResponse, key: str, payload: RequestContactIn
) -> Any:
    contact = services.request_contact_add(
        actor=actor(request),
        request=_get(request, key),
        contact=payload.contact.to_input(),
        team=_team(payload.team),
    )
    set_etag(response, contact.version)
    return Status(201, contact)


class ReplyIn(StrictIn):
    answer: str = Field(
        "",
        max_length=2000,
        description="Your own answer, without a standard answer (it waits for a "
        "supervisor's approval).",
    )
    standard_answer: str | None = Field(
        None,
        max_length=50,
        description="The code of the standard answer inserted (see "
        "`/requests/{key}/standard-answers`).",
    )
    free_values: dict[str, str] = Field(
        default_factory=dict, description="The standard answer's free fields."
    )
    body: str | None = Field(
        None,
        max_length=20_000,
        description="The standard answer's text as you changed it; omitted or as "
        "offered: unchanged.",
    )
    is_flagged: bool = Field(
        False, description="Out of the ordinary: a supervisor approves it first."
    )
    flag_reason: str = Field("", max_length=2000)


class StandardAnswerFieldOut(Schema):
    name: str
    type: str = Field(description="date, time, amount, text or choice.")
    label: str = Field(description="In the language of the answer.")


class StandardAnswerBrochureOut(Schema):
    title: str
    filename: str
    media_type: str
    size: int


class StandardAnswerOut(Schema):
    code: str
    title: str
    topic: str
    topic_name: str
    language: str
    version: int
    subject: str
    body: str = Field(
        description="The text with the person's and the request's values filled "
        "in; free fields stay `{{ free.name }}`."
    )
    fields: list[StandardAnswerFieldOut]
    brochures: list[StandardAnswerBrochureOut]


@router.get(
    "/requests/{key}/standard-answers",
    response=responses({200: list[StandardAnswerOut]}, 403, 404),
    summary="The standard answers to insert into a reply, prefilled",
    description=(
        "On the request's topic (or a topic above it), in the person's language. "
        "Sent unchanged, any level sends one alone; with its free fields filled, "
        "level C; with its text changed, level B; otherwise it waits for a "
        "supervisor's approval."
    ),
)
def request_standard_answers(request: HttpRequest, key: str) -> Any:
    answers = letter_selectors.standard_answers_for_request(
        agent=actor(request), request=_get(request, key)
    )
    return [
        {
            "code": answer.code,
            "title": answer.title,
            "topic": answer.topic,
            "topic_name": answer.topic_name,
            "language": answer.language,
            "version": answer.version,
            "subject": answer.subject,
            "body": answer.body,
            "fields": [
                {
                    "name": name,
                    "type": spec.type,
                    "label": spec.label_in(answer.language),
                }
                for name, spec in answer.fields.items()
            ],
            "brochures": answer.brochures,
        }
        for answer in answers
    ]


class ReplyOut(Schema):
    letter: UUID = Field(description="The reply letter (see /letters).")
    letter_status: str
    channel: Literal["email", "letter"] = Field(
        description="How it goes: e-mail to the person's address on record, or post."
    )
    dispatched: bool = Field(
        description="Sent or queued to be; false: it waits for a supervisor's "
        "approval, then `/dispatch`."
    )
    contact: UUID | None = Field(description="The outgoing contact, once it went out.")


def _reply(reply: Any) -> dict[str, Any]:
    return {
        "letter": reply.letter.uuid,
        "letter_status": reply.letter.status,
        "channel": reply.channel,
        "dispatched": reply.dispatched,
        "contact": reply.contact.uuid if reply.contact else None,
    }


@router.post(
    "/requests/{key}/replies",
    response=responses({201: ReplyOut}, 403, 404),
    summary="Reply to the citizen, by their preferred channel and language",
    description=(
        "A letter in the person's language, issued at once when your level covers "
        "it (else it waits for a supervisor), sent by e-mail to their address on "
        "record when they asked for e-mail, else by post."
    ),
)
def request_reply(request: HttpRequest, key: str, payload: ReplyIn) -> Any:
    reply = letter_services.request_reply(
        actor=actor(request),
        request=_get(request, key),
        answer=payload.answer,
        standard_answer=payload.standard_answer,
        free_values=payload.free_values,
        body=payload.body,
        is_flagged=payload.is_flagged,
        flag_reason=payload.flag_reason,
    )
    return Status(201, _reply(reply))


@router.post(
    "/requests/{key}/replies/{letter_id}/dispatch",
    response=responses({200: ReplyOut}, 403, 404, 409),
    summary="Send an approved reply (once)",
)
def request_reply_dispatch(request: HttpRequest, key: str, letter_id: UUID) -> Any:
    reply = letter_services.request_reply_dispatch(
        actor=actor(request), request=_get(request, key), letter_id=letter_id
    )
    return _reply(reply)
