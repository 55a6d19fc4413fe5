"""Creating, routing and working on requests (docs/adr/0005-contacts-and-requests.md).

Every service validates all of its input before writing and raises one error with
every problem; identifiers of persons and topics are looked up among what the agent
sees, so a refusal never reveals a hidden record. Edits name the version they were
based on (`core.versioning`); taking a request is a conditional update, so two agents
taking at once never both get it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.contacts import Action as ContactAction
from guichet.access.domains.servicerequests import Action
from guichet.agents import substitutions
from guichet.agents.models import Agent, Language, RoleCode, Team
from guichet.audit.services import Entry, audit_record, audit_record_many
from guichet.calendars import business_time
from guichet.calendars.selectors import calendar_for_team
from guichet.contacts import services as contact_services
from guichet.contacts.models import Channel, Contact, Direction, Outcome, Topic
from guichet.core import clock
from guichet.core.errors import Conflict, ValidationFailed
from guichet.core.models import BaseModel
from guichet.core.validation import Problems, choice, text
from guichet.core.versioning import check_version, versioned_update
from guichet.parties.models import Organisation, Person

from . import rules, transitions
from .errors import Code
from .models import (
    OPEN_STATUSES,
    Classification,
    Deadline,
    EventKind,
    Kind,
    Priority,
    Request,
    RequestContact,
    RequestEvent,
    RequestPause,
    RoutingRule,
    Seriousness,
    ServiceLevelRule,
    ServiceLevelSignal,
    SignalKind,
    Status,
)
from .reference import Reference, reference

SUBJECT_MAX = 200
TEXT_MAX = 8000

# Called, inside the creating transaction, with each new complaint: apps above this
# one register here (correspondence sends the acknowledgement of receipt), so this
# app never imports them.
complaint_registered: list[Callable[[Agent, Request], None]] = []


@dataclass(frozen=True)
class RequestInput:
    """What an agent types to open a request. Identifiers are public UUIDs (text);
    the topic is a UUID or a code."""

    kind: str
    subject: str
    topic: str
    channel: str
    description: str = ""
    priority: str = Priority.NORMAL
    person: str = ""
    organisation: str = ""
    requester_person: str = ""
    requester_name: str = ""
    reply_channel: str = ""
    language: str = ""
    complaint_about: str = ""
    complaint_service: str = ""
    seriousness: str = ""


def _event(
    request: Request,
    kind: str,
    agent: Agent | None,
    *,
    text_: str = "",
    from_status: str = "",
    to_status: str = "",
    data: dict[str, object] | None = None,
) -> RequestEvent:
    return RequestEvent(
        request=request,
        kind=kind,
        agent=agent,
        text=text_,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )


def _team_by_code(problems: Problems, field: str, code: str) -> Team | None:
    if not code:
        return None
    team = Team.objects.filter(code=code, is_active=True).first()
    if team is None:
        problems.add(field, Code.NOT_FOUND, _("No such service."))
    return team


@dataclass(frozen=True)
class _Cleaned:
    kind: str
    subject: str
    description: str
    topic: Topic
    priority: str
    channel: str
    reply_channel: str
    language: str
    person: Person | None
    organisation: Organisation | None
    requester: Person | None
    requester_name: str
    complaint_about: str
    complaint_service: Team | None
    seriousness: str


def _clean(
    problems: Problems,
    actor: Agent,
    data: RequestInput,
    acting: Team | None,
    cached: Reference | None = None,
    *,
    anonymous: bool = False,
) -> _Cleaned | None:
    """`anonymous`: the request comes from a contact whose caller is not known yet,
    so it may name nobody (`request_identify` names them later)."""
    kind = choice(problems, "kind", data.kind, Kind.values)
    subject = text(
        problems, "subject", data.subject, required=True, max_length=SUBJECT_MAX
    )
    description = text(
        problems,
        "description",
        data.description,
        required=False,
        max_length=TEXT_MAX,
        multiline=True,
    )
    topic = None
    if acting is not None and data.topic:
        topic = (cached or reference()).topic(data.topic, acting)
        if topic is None:
            contact_services.unknown_topic(problems, "topic")
    if not data.topic:
        problems.add("topic", "required", _("This field is required."))
    priority = choice(problems, "priority", data.priority, Priority.values)
    channel = choice(problems, "channel", data.channel, Channel.values)
    reply_channel = choice(
        problems, "reply_channel", data.reply_channel, Channel.values, required=False
    )
    language = choice(
        problems, "language", data.language, Language.values, required=False
    )
    visible_one = contact_services.visible_one
    person = visible_one(problems, "person", actor, Person, data.person)
    organisation = visible_one(
        problems, "organisation", actor, Organisation, data.organisation
    )
    requester = visible_one(
        problems, "requester_person", actor, Person, data.requester_person
    )
    requester_name = text(
        problems, "requester_name", data.requester_name, required=False, max_length=200
    )
    if (
        not anonymous
        and person is None
        and organisation is None
        and not data.person
        and not data.organisation
    ):
        problems.add(
            "person",
            Code.NO_CONCERNED_PARTY,
            _("Name the person or the organisation the request concerns."),
        )
    complaint_about = text(
        problems,
        "complaint_about",
        data.complaint_about,
        required=False,
        max_length=TEXT_MAX,
        multiline=True,
    )
    complaint_service = _team_by_code(
        problems, "complaint_service", data.complaint_service
    )
    seriousness = choice(
        problems,
        "seriousness",
        data.seriousness,
        Seriousness.values,
        required=kind == Kind.COMPLAINT,
    )
    if kind != Kind.COMPLAINT and (complaint_about or complaint_service or seriousness):
        problems.add(
            "complaint_about",
            Code.COMPLAINT_ONLY,
            _("Only a complaint says what it is about, whom and how serious."),
        )
    if (
        problems.errors
        or topic is None
        or kind is None
        or priority is None
        or channel is None
    ):
        return None
    return _Cleaned(
        kind=kind,
        subject=subject,
        description=description,
        topic=topic,
        priority=priority,
        channel=channel,
        reply_channel=reply_channel or channel,
        language=language
        or (person.language if person is not None and person.language else "")
        or (acting.language if acting is not None else "")
        or Language.FR,
        person=person,
        organisation=organisation,
        requester=requester,
        requester_name=requester_name,
        complaint_about=complaint_about,
        complaint_service=complaint_service,
        seriousness=seriousness or "",
    )


def _insert(
    actor: Agent,
    cleaned: _Cleaned,
    acting: Team,
    contact: Contact | None,
    cached: Reference | None = None,
    audited_with: Sequence[Entry] = (),
) -> Request:
    """Insert the request, routed by the rules or, when none matches, into the
    queue of the service that opened it (a request always lands in a queue).
    `audited_with`: records to append to the audit trail before the request's, in
    the same append."""
    cached = cached or reference()
    team = rules.route(
        topic=cleaned.topic,
        language=cleaned.language,
        priority=cleaned.priority,
        rules=cached.routing,
    )
    team = team or acting
    level = rules.service_level_for(
        kind=cleaned.kind,
        topic=cleaned.topic,
        priority=cleaned.priority,
        rules=cached.levels.get(cleaned.kind, ()),
    )
    now = clock.now()
    first_due = resolution_due = None
    if level is not None:
        calendar = calendar_for_team(team=team)
        first_due = business_time.due(now, level.first_answer_hours, calendar)
        resolution_due = business_time.due(now, level.resolution_hours, calendar)
    request = Request(
        kind=cleaned.kind,
        subject=cleaned.subject,
        description=cleaned.description,
        person=cleaned.person,
        organisation=cleaned.organisation,
        requester_person=cleaned.requester,
        requester_name=cleaned.requester_name,
        topic=cleaned.topic,
        priority=cleaned.priority,
        channel=cleaned.channel,
        reply_channel=cleaned.reply_channel,
        language=cleaned.language,
        team=team,
        created_by=actor,
        received_at=now,
        service_level_rule=level,
        first_answer_due=first_due,
        resolution_due=resolution_due,
        complaint_about=cleaned.complaint_about,
        complaint_service=cleaned.complaint_service,
        seriousness=cleaned.seriousness,
    )
    request.save(force_insert=True)
    events = [
        _event(
            request,
            EventKind.CREATED,
            actor,
            to_status=Status.NEW,
            data={"team": team.code, "rule": level.pk if level else None},
        )
    ]
    if contact is not None:
        RequestContact.objects.create(request=request, contact=contact)
        events.append(
            _event(
                request, EventKind.CONTACT, actor, data={"contact": str(contact.uuid)}
            )
        )
    RequestEvent.objects.bulk_create(events)
    audit_record_many(
        actor=actor,
        entries=[
            *audited_with,
            Entry(
                action="request.create",
                obj=request,
                summary={
                    "kind": request.kind,
                    "team": team.code,
                    "contact": bool(contact),
                },
            ),
        ],
    )
    if request.kind == Kind.COMPLAINT:
        for hook in complaint_registered:
            hook(actor, request)
    return request


def request_create(
    *,
    actor: Agent,
    data: RequestInput,
    team: Team | None = None,
    contact: Contact | None = None,
) -> Request:
    """Open a request, routed to the queue its topic, language and priority lead to,
    with its due instants computed in that team's calendar."""
    policy.require(actor, Action.REQUEST_CREATE)
    problems = Problems()
    acting = contact_services.acting_team(problems, actor, team)
    cleaned = _clean(problems, actor, data, acting)
    problems.raise_if_any()
    assert cleaned is not None  # noqa: S101 - problems raised otherwise
    assert acting is not None  # noqa: S101
    with transaction.atomic():
        return _insert(actor, cleaned, acting, contact)


def contact_with_request(
    *,
    actor: Agent,
    contact: contact_services.ContactInput,
    request: RequestInput,
    team: Team | None = None,
) -> tuple[Contact, Request]:
    """Register a contact and the request it turns into, at once (the first line's
    one screen): both or neither."""
    policy.require(actor, Action.REQUEST_CREATE)
    problems = Problems()
    cached = reference()
    acting = contact_services.acting_team(problems, actor, team, known=cached.teams)
    cleaned = _clean(problems, actor, request, acting, cached)
    problems.raise_if_any()
    assert cleaned is not None  # noqa: S101 - problems raised otherwise
    assert acting is not None  # noqa: S101
    with transaction.atomic():
        registered = contact_services.contact_register(
            actor=actor,
            data=_with_outcome(contact, Outcome.REQUEST_CREATED),
            team=acting,
            known=_known(request, cleaned),
            audited=False,
        )
        created = _insert(
            actor,
            cleaned,
            acting,
            registered,
            cached,
            audited_with=[contact_services.contact_register_entry(registered)],
        )
        return registered, created


def _known(data: RequestInput, cleaned: _Cleaned) -> dict[str, BaseModel]:
    """What the request's validation found, by the id or code it was given."""
    pairs = (
        (data.person, cleaned.person),
        (data.organisation, cleaned.organisation),
        (data.requester_person, cleaned.requester),
        (data.topic, cleaned.topic),
    )
    return {value: found for value, found in pairs if value and found is not None}


def _with_outcome(
    data: contact_services.ContactInput, outcome: str
) -> contact_services.ContactInput:
    return replace(data, outcome=outcome)


def _locked(request: Request) -> Request:
    """The request's row, locked until the transaction ends (its rule and team are
    read after the lock: FOR UPDATE cannot cover an outer join's nullable side)."""
    return Request.objects.select_for_update(of=("self",)).get(pk=request.pk)


def _pauses(request: Request) -> list[business_time.Pause]:
    spans = RequestPause.objects.filter(request=request, ended_at__isnull=False)
    return [
        (started, ended)
        for started, ended in spans.values_list("started_at", "ended_at")
        if ended is not None
    ]


def request_transition(
    *,
    actor: Agent,
    request: Request,
    expected_version: int,
    to: str,
    text_: str = "",
    classification: str = "",
) -> Request:
    """Move a request to another status, as the transition table allows."""
    policy.require(actor, Action.REQUEST_WORK, request)
    problems = Problems()
    move = transitions.move(request.status, to)
    if move is None:
        problems.add(
            "status",
            Code.TRANSITION_NOT_ALLOWED,
            _("A request that is %(current)s cannot become %(target)s."),
            current=request.get_status_display(),
            target=dict(Status.choices).get(to, to),
        )
        problems.raise_if_any()
    assert move is not None  # noqa: S101
    written = text(
        problems,
        "text",
        text_,
        required=move.needs_text,
        max_length=TEXT_MAX,
        multiline=True,
    )
    cleaned_class = choice(
        problems,
        "classification",
        classification,
        Classification.values,
        required=request.kind == Kind.COMPLAINT and move.to == Status.CLOSED,
    )
    if cleaned_class and request.kind != Kind.COMPLAINT:
        problems.add(
            "classification", Code.COMPLAINT_ONLY, _("Only a complaint is classified.")
        )
    problems.raise_if_any()
    now = clock.now()
    with transaction.atomic():
        locked = _locked(request)
        check_version(locked, expected_version)
        values: dict[str, object] = {"status": move.to}
        if move.to in transitions.ANSWERING and locked.first_answered_at is None:
            values["first_answered_at"] = now
        if move.to in transitions.RESOLVING and locked.resolved_at is None:
            values["resolved_at"] = now
        if move.to == Status.REOPENED:
            values["resolved_at"] = None
        if cleaned_class:
            values["classification"] = cleaned_class
        if move.to in transitions.PAUSED and locked.paused_since is None:
            values["paused_since"] = now
            RequestPause.objects.create(request=locked, started_at=now)
        elif move.to not in transitions.PAUSED and locked.paused_since is not None:
            values["paused_since"] = None
            RequestPause.objects.filter(request=locked, ended_at__isnull=True).update(
                ended_at=now
            )
            values.update(_recomputed_dues(locked))
        versioned_update(
            locked, expected_version=expected_version, refresh=False, **values
        )
        RequestEvent.objects.bulk_create(
            [
                _event(
                    locked,
                    EventKind.STATUS,
                    actor,
                    text_=written,
                    from_status=request.status,
                    to_status=move.to,
                    data={"classification": cleaned_class} if cleaned_class else {},
                )
            ]
        )
        audit_record(
            actor=actor,
            action="request.transition",
            obj=locked,
            summary={"from": request.status, "to": move.to},
        )
    request.refresh_from_db()
    return request


def _recomputed_dues(request: Request) -> dict[str, object]:
    """The due instants, pauses so far taken out, of deadlines not yet met."""
    level = request.service_level_rule
    if level is None:
        return {}
    calendar = calendar_for_team(team=request.team)
    pauses = _pauses(request)
    values: dict[str, object] = {}
    if request.first_answered_at is None:
        values["first_answer_due"] = business_time.due(
            request.received_at, level.first_answer_hours, calendar, pauses
        )
    if request.resolved_at is None:
        values["resolution_due"] = business_time.due(
            request.received_at, level.resolution_hours, calendar, pauses
        )
    return values


def request_note(*, actor: Agent, request: Request, text_: str) -> RequestEvent:
    """Add an internal note (agents only; never sent to the citizen)."""
    policy.require(actor, Action.REQUEST_WORK, request)
    problems = Problems()
    written = text(
        problems, "text", text_, required=True, max_length=TEXT_MAX, multiline=True
    )
    problems.raise_if_any()
    with transaction.atomic():
        (event,) = RequestEvent.objects.bulk_create(
            [_event(request, EventKind.NOTE, actor, text_=written)]
        )
        audit_record(actor=actor, action="request.note", obj=request)
    return event


def _claim(request_id: int, agent: Agent) -> bool:
    """Make `agent` the owner if nobody is: exactly one of two agents wins."""
    return (
        Request.objects.filter(pk=request_id, owner__isnull=True).update(
            owner=agent, version=F("version") + 1, updated_at=clock.now()
        )
        == 1
    )


def _taken(actor: Agent, request: Request) -> None:
    RequestEvent.objects.bulk_create([_event(request, EventKind.TAKEN, actor)])
    audit_record(actor=actor, action="request.take", obj=request)


def request_take(*, actor: Agent, request: Request) -> Request:
    """Take an unowned request of the agent's queues."""
    policy.require(actor, Action.REQUEST_WORK, request)
    with transaction.atomic():
        if not _claim(request.pk, actor):
            raise Conflict(
                _("Another agent took this request meanwhile."), code=Code.ALREADY_TAKEN
            )
        _taken(actor, request)
    request.refresh_from_db()
    return request


def request_take_next(*, actor: Agent, team: Team | None = None) -> Request | None:
    """Take the unowned open request of the agent's queues (or of `team`) whose
    resolution is due first; None when the queues are empty. Candidates another
    agent wins meanwhile are skipped."""
    policy.require(actor, Action.REQUEST_WORK)
    teams = actor.team_ids if team is None else actor.team_ids & {team.pk}
    candidates = policy.visible(
        actor,
        Request.objects.filter(
            team_id__in=teams, owner__isnull=True, status__in=OPEN_STATUSES
        ).order_by(F("resolution_due").asc(nulls_last=True), "id"),
    ).values_list("pk", flat=True)
    for _attempt in range(5):
        ids = list(candidates[:20])
        if not ids:
            return None
        for pk in ids:
            with transaction.atomic():
                if _claim(pk, actor):
                    request = Request.objects.get(pk=pk)
                    _taken(actor, request)
                    return request
    return None


def request_assign(
    *, actor: Agent, request: Request, expected_version: int, agent: Agent | None
) -> Request:
    """A supervisor gives the request to an agent of its team (or back to the
    queue). An agent who is away today gets nothing new: the request goes to their
    substitute, and the timeline says for whom."""
    policy.require(actor, Action.REQUEST_ASSIGN, request)
    problems = Problems()
    if agent is not None and request.team_id not in agent.team_ids:
        problems.add(
            "owner", Code.NOT_A_MEMBER, _("This agent is not in the request's service.")
        )
    problems.raise_if_any()
    owner = agent
    standing_in_for = None
    if agent is not None:
        substitute = substitutions.substitute_of(agent)
        if substitute is not None:
            owner, standing_in_for = substitute, agent
    with transaction.atomic():
        versioned_update(
            request, expected_version=expected_version, refresh=False, owner=owner
        )
        data: dict[str, object] = {"owner": owner.username if owner else None}
        if standing_in_for is not None:
            data["standing_in_for"] = standing_in_for.username
        RequestEvent.objects.bulk_create(
            [_event(request, EventKind.ASSIGNED, actor, data=data)]
        )
        audit_record(
            actor=actor,
            action="request.assign",
            obj=request,
            summary={
                "owner": owner.pk if owner else None,
                "standing_in_for": standing_in_for.pk if standing_in_for else None,
            },
        )
    request.refresh_from_db()
    return request


def request_topic_set(
    *, actor: Agent, request: Request, expected_version: int, topic: str
) -> Request:
    """Reclassify the request: `topic` (a UUID or a code) among the active topics
    its service uses. The request stays in its queue (a handover moves it)."""
    policy.require(actor, Action.REQUEST_WORK, request)
    problems = Problems()
    chosen = contact_services.topic_for(problems, "topic", topic, request.team)
    if not topic:
        problems.add("topic", "required", _("This field is required."))
    problems.raise_if_any()
    assert chosen is not None  # noqa: S101 - topic_for added a problem otherwise
    before = request.topic.code
    with transaction.atomic():
        versioned_update(
            request, expected_version=expected_version, refresh=False, topic=chosen
        )
        audit_record(
            actor=actor,
            action="request.topic",
            obj=request,
            summary={"from": before, "to": chosen.code},
        )
    request.refresh_from_db()
    return request


def request_handover(
    *, actor: Agent, request: Request, expected_version: int, team: Team, reason: str
) -> Request:
    """Hand the request to another team's queue, with the reason; it arrives
    unowned, its contacts, notes and timeline with it."""
    policy.require(actor, Action.REQUEST_HANDOVER, request)
    problems = Problems()
    written = text(
        problems, "reason", reason, required=True, max_length=TEXT_MAX, multiline=True
    )
    if team.pk == request.team_id:
        problems.add("team", Code.SAME_TEAM, _("The request is already in this queue."))
    if not team.is_active:
        problems.add("team", Code.NOT_FOUND, _("No such service."))
    problems.raise_if_any()
    with transaction.atomic():
        previous = request.team
        versioned_update(
            request,
            expected_version=expected_version,
            refresh=False,
            team=team,
            owner=None,
        )
        RequestEvent.objects.bulk_create(
            [
                _event(
                    request,
                    EventKind.HANDOVER,
                    actor,
                    text_=written,
                    data={"from": previous.code, "to": team.code},
                )
            ]
        )
        audit_record(
            actor=actor,
            action="request.handover",
            obj=request,
            summary={"from": previous.code, "to": team.code},
        )
    request.refresh_from_db()
    return request


def request_attach_contact(*, actor: Agent, request: Request, contact: Contact) -> None:
    """Attach a contact (one the agent sees) to a request they work on."""
    policy.require(actor, Action.REQUEST_WORK, request)
    if not policy.may(actor, "contact.view", contact):
        raise ValidationFailed(
            _("No such contact."),
            errors=[],
            code=Code.NOT_FOUND,
        )
    with transaction.atomic():
        _link, created = RequestContact.objects.get_or_create(
            request=request, contact=contact
        )
        if created:
            RequestEvent.objects.bulk_create(
                [
                    _event(
                        request,
                        EventKind.CONTACT,
                        actor,
                        data={"contact": str(contact.uuid)},
                    )
                ]
            )
            audit_record(actor=actor, action="request.attach_contact", obj=request)


def request_link(*, actor: Agent, child: Request, parent: Request | None) -> Request:
    """Make `child` a part of `parent` (or unlink it with None); no cycle."""
    policy.require(actor, Action.REQUEST_WORK, child)
    problems = Problems()
    if parent is not None:
        ancestor: Request | None = parent
        seen: set[int] = set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == child.pk:
                problems.add(
                    "parent", Code.LINK_CYCLE, _("A request cannot be part of itself.")
                )
                break
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
    problems.raise_if_any()
    with transaction.atomic():
        versioned_update(child, expected_version=None, refresh=False, parent=parent)
        RequestEvent.objects.bulk_create(
            [
                _event(
                    child,
                    EventKind.LINKED,
                    actor,
                    data={"parent": parent.reference if parent else None},
                )
            ]
        )
        audit_record(actor=actor, action="request.link", obj=child)
    child.refresh_from_db()
    return child


def request_merge(
    *, actor: Agent, duplicate: Request, into: Request, reason: str
) -> Request:
    """Merge a duplicate into another request: its contacts move over, it is closed
    and points to the survivor; both timelines say so and keep their history."""
    policy.require(actor, Action.REQUEST_WORK, duplicate)
    policy.require(actor, Action.REQUEST_WORK, into)
    problems = Problems()
    written = text(
        problems, "reason", reason, required=True, max_length=TEXT_MAX, multiline=True
    )
    if duplicate.pk == into.pk:
        problems.add(
            "into", Code.MERGE_ITSELF, _("A request cannot be merged into itself.")
        )
    if duplicate.merged_into_id is not None or into.merged_into_id is not None:
        problems.add(
            "into", Code.ALREADY_MERGED, _("This request has already been merged.")
        )
    problems.raise_if_any()
    with transaction.atomic():
        locked = _locked(duplicate)
        if locked.merged_into_id is not None:
            raise Conflict(
                _("This request has already been merged."), code=Code.ALREADY_MERGED
            )
        moved = [
            RequestContact(request=into, contact_id=contact_id)
            for contact_id in RequestContact.objects.filter(request=locked)
            .exclude(
                contact_id__in=RequestContact.objects.filter(request=into).values(
                    "contact_id"
                )
            )
            .values_list("contact_id", flat=True)
        ]
        RequestContact.objects.bulk_create(moved)
        RequestPause.objects.filter(request=locked, ended_at__isnull=True).update(
            ended_at=clock.now()
        )
        versioned_update(
            locked,
            expected_version=None,
            refresh=False,
            merged_into=into,
            status=Status.CLOSED,
            paused_since=None,
        )
        RequestEvent.objects.bulk_create(
            [
                _event(
                    locked,
                    EventKind.MERGED,
                    actor,
                    text_=written,
                    from_status=locked.status,
                    to_status=Status.CLOSED,
                    data={"into": into.reference},
                ),
                _event(
                    into,
                    EventKind.MERGED,
                    actor,
                    text_=written,
                    data={"from": locked.reference, "contacts": len(moved)},
                ),
            ]
        )
        audit_record(
            actor=actor, action="request.merge", obj=locked, summary={"into": into.pk}
        )
    into.refresh_from_db()
    return into


def _signal_rows(
    now: dt.datetime,
) -> list[tuple[Request, str, str, dt.datetime]]:
    """(request, deadline, kind, due) of every warning and breach due at `now`."""
    found: list[tuple[Request, str, str, dt.datetime]] = []
    open_ = Request.objects.filter(
        status__in=OPEN_STATUSES, merged_into__isnull=True, paused_since__isnull=True
    ).select_related("service_level_rule", "team")
    horizon = now + dt.timedelta(days=14)
    for deadline, due_field, met_field in (
        (Deadline.FIRST_ANSWER, "first_answer_due", "first_answered_at"),
        (Deadline.RESOLUTION, "resolution_due", "resolved_at"),
    ):
        rows = open_.filter(
            **{f"{met_field}__isnull": True, f"{due_field}__lte": horizon}
        ).exclude(
            signals__deadline=deadline,
            signals__kind=SignalKind.ESCALATION,
        )
        for request in rows.iterator(chunk_size=500):
            due: dt.datetime = getattr(request, due_field)
            level = request.service_level_rule
            warn = (
                dt.timedelta(hours=float(level.warn_before_hours))
                if level
                else dt.timedelta(0)
            )
            if due <= now:
                found.append((request, deadline, SignalKind.BREACH, due))
                found.append((request, deadline, SignalKind.ESCALATION, due))
            elif due - warn <= now:
                found.append((request, deadline, SignalKind.WARNING, due))
    return found


_SIGNAL_EVENT: dict[str, str] = {
    SignalKind.WARNING: EventKind.WARNING,
    SignalKind.BREACH: EventKind.BREACH,
    SignalKind.ESCALATION: EventKind.ESCALATED,
}


def service_levels_check(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Record each warning before a deadline, each breach and its escalation to the
    team's supervisors, once per request, deadline and due instant (run by the
    worker every few minutes; running it twice records nothing twice). A breach is
    never removed, even when the deadline later moves."""
    moment = now or clock.now()
    counts = {kind.value: 0 for kind in SignalKind}
    for request, deadline, kind, due in _signal_rows(moment):
        with transaction.atomic():
            _, created = ServiceLevelSignal.objects.get_or_create(
                request=request, deadline=deadline, kind=kind, due_at=due
            )
            if not created:
                continue
            data: dict[str, object] = {"deadline": deadline, "due": due.isoformat()}
            if kind == SignalKind.ESCALATION:
                data["supervisors"] = sorted(
                    Agent.objects.filter(
                        memberships__team=request.team,
                        roles__code=RoleCode.SUPERVISOR,
                        is_active=True,
                    ).values_list("username", flat=True)
                )
            RequestEvent.objects.bulk_create(
                [_event(request, _SIGNAL_EVENT[kind], None, data=data)]
            )
            audit_record(
                actor=None, action=f"request.sla_{kind}", obj=request, summary=data
            )
            counts[kind] += 1
    return counts


def routing_rule_ensure(
    *,
    actor: Agent | None,
    team: Team,
    topic: Topic | None = None,
    language: str = "",
    priority: str = "",
    order: int = 100,
) -> RoutingRule:
    """Create an active routing rule, or return the one that already routes this
    topic, language and priority to `team` (idempotent: reference data loaders)."""
    rule, created = RoutingRule.objects.get_or_create(
        team=team,
        topic=topic,
        language=language,
        priority=priority,
        is_active=True,
        defaults={"order": order},
    )
    if created:
        audit_record(
            actor=actor,
            action="routing_rule.create",
            obj=rule,
            summary={"team": team.code, "topic": topic.code if topic else None},
        )
    return rule


def service_level_rule_ensure(
    *,
    actor: Agent | None,
    kind: str,
    first_answer_hours: Decimal,
    resolution_hours: Decimal,
    topic: Topic | None = None,
    priority: str = "",
) -> ServiceLevelRule:
    """Create an active service-level rule, or return the active one with these
    figures (idempotent: a rule is never edited, a change is a new rule)."""
    rule, created = ServiceLevelRule.objects.get_or_create(
        kind=kind,
        topic=topic,
        priority=priority,
        first_answer_hours=first_answer_hours,
        resolution_hours=resolution_hours,
        is_active=True,
    )
    if created:
        audit_record(
            actor=actor,
            action="service_level_rule.create",
            obj=rule,
            summary={"kind": kind, "topic": topic.code if topic else None},
        )
    return rule


def _contact_event(request: Request, actor: Agent, contact: Contact) -> None:
    RequestContact.objects.create(request=request, contact=contact)
    RequestEvent.objects.bulk_create(
        [_event(request, EventKind.CONTACT, actor, data={"contact": str(contact.uuid)})]
    )


def _is_anonymous(contact: Contact) -> bool:
    return contact.person_id is None and contact.organisation_id is None


def request_from_contact(
    *,
    actor: Agent,
    contact: Contact,
    data: RequestInput,
    team: Team | None = None,
) -> Request:
    """Open a request from a contact already registered, which the actor sees. The
    person and organisation concerned are the contact's unless `data` names them. A
    contact from an anonymous caller opens a request about nobody yet (issue #13,
    item 2: anonymous "with what is known", kept as the requester's name when none
    is given), named later with `request_identify`."""
    policy.require(actor, Action.REQUEST_CREATE)
    policy.require(actor, ContactAction.CONTACT_VIEW, contact)
    anonymous = _is_anonymous(contact)
    wanted = replace(
        data,
        person=data.person or (str(contact.person.uuid) if contact.person else ""),
        organisation=data.organisation
        or (str(contact.organisation.uuid) if contact.organisation else ""),
        requester_name=data.requester_name
        or (
            contact.anonymous_details.splitlines()[0][:200]
            if anonymous and contact.anonymous_details
            else ""
        ),
        language=data.language or contact.language,
    )
    problems = Problems()
    acting = contact_services.acting_team(problems, actor, team)
    cleaned = _clean(problems, actor, wanted, acting, anonymous=anonymous)
    problems.raise_if_any()
    assert cleaned is not None  # noqa: S101 - problems raised otherwise
    assert acting is not None  # noqa: S101
    with transaction.atomic():
        return _insert(actor, cleaned, acting, contact)


def anonymous_contact_with_request(
    *,
    actor: Agent,
    contact: contact_services.ContactInput,
    request: RequestInput,
    team: Team | None = None,
) -> tuple[Contact, Request]:
    """Register a contact from a caller nobody identified and the request it turns
    into, at once (the first line's screen for an anonymous caller): both or
    neither. `contact_with_request` is the path of an identified caller."""
    policy.require(actor, Action.REQUEST_CREATE)
    with transaction.atomic():
        registered = contact_services.contact_register(
            actor=actor,
            data=_with_outcome(contact, Outcome.REQUEST_CREATED),
            team=team,
        )
        if not _is_anonymous(registered):
            raise ValidationFailed(
                _("This contact names whom it concerns: it is not anonymous."),
                errors=[],
                code=Code.NOT_ANONYMOUS,
            )
        return registered, request_from_contact(
            actor=actor, contact=registered, data=request, team=team
        )


def request_identify(
    *, actor: Agent, request: Request, expected_version: int, person: str
) -> Request:
    """Name the person concerned of a request opened from an anonymous contact,
    once they are known: one the actor sees (a hidden one is "not found"), on a
    request that names nobody yet. Audited, and on the timeline; from then on the
    request is seen only by who sees that person."""
    policy.require(actor, Action.REQUEST_WORK, request)
    problems = Problems()
    if not person:
        problems.add("person", "required", _("This field is required."))
    found = contact_services.visible_one(problems, "person", actor, Person, person)
    if request.person_id is not None or request.organisation_id is not None:
        problems.add(
            "person",
            Code.ALREADY_IDENTIFIED,
            _("This request already names whom it concerns."),
        )
    problems.raise_if_any()
    assert found is not None  # noqa: S101 - problems raised otherwise
    with transaction.atomic():
        versioned_update(
            request, expected_version=expected_version, refresh=False, person=found
        )
        RequestEvent.objects.bulk_create(
            [
                _event(
                    request,
                    EventKind.IDENTIFIED,
                    actor,
                    data={"person": str(found.uuid)},
                )
            ]
        )
        audit_record(
            actor=actor,
            action="request.identify",
            obj=request,
            summary={"person": str(found.uuid), "was_anonymous": True},
        )
    request.refresh_from_db()
    return request


def request_contact_add(
    *,
    actor: Agent,
    request: Request,
    contact: contact_services.ContactInput,
    team: Team | None = None,
) -> Contact:
    """Register a contact about a request the actor works on (a call about it) and
    attach it: both or neither. It concerns the request's person or organisation
    unless the contact names them, and its topic is the request's unless given."""
    policy.require(actor, Action.REQUEST_WORK, request)
    data = replace(
        contact,
        person=contact.person or (str(request.person.uuid) if request.person else ""),
        organisation=contact.organisation
        or (str(request.organisation.uuid) if request.organisation else ""),
        topic=contact.topic or str(request.topic.uuid),
    )
    with transaction.atomic():
        registered = contact_services.contact_register(
            actor=actor, data=data, team=team, known=_request_known(request)
        )
        _contact_event(request, actor, registered)
        audit_record(
            actor=actor,
            action="request.attach_contact",
            obj=request,
            summary={"contact": str(registered.uuid)},
        )
    return registered


REPLY_CHANNELS = (Channel.EMAIL, Channel.LETTER)


def request_reply_record(
    *,
    actor: Agent,
    request: Request,
    channel: str,
    letter: str,
    text_: str,
    dispatched: bool,
    team: Team | None = None,
) -> Contact | None:
    """Write a reply to the citizen into the request's timeline; once it goes out
    (`dispatched`), register it as an outgoing contact attached to the request,
    and count it as the first answer when the request had none.

    The reply itself (a letter of the correspondence app, sent by e-mail or post)
    is written above this app (`correspondence.services.replies`), which calls this
    to keep the request's side of it here."""
    policy.require(actor, Action.REQUEST_WORK, request)
    problems = Problems()
    if channel not in REPLY_CHANNELS:
        problems.add(
            "channel", Code.REPLY_CHANNEL, _("A reply goes by e-mail or by letter.")
        )
    problems.raise_if_any()
    now = clock.now()
    with transaction.atomic():
        registered = None
        if dispatched:
            registered = contact_services.contact_register(
                actor=actor,
                data=contact_services.ContactInput(
                    channel=channel,
                    direction=Direction.OUTBOUND,
                    started_at=now,
                    ended_at=now,
                    person=str(request.person.uuid) if request.person else "",
                    organisation=str(request.organisation.uuid)
                    if request.organisation
                    else "",
                    topic=str(request.topic.uuid),
                    summary=text_,
                    outcome=Outcome.ANSWERED,
                    language=request.language,
                ),
                team=team
                or (request.team if request.team_id in actor.team_ids else None),
                known=_request_known(request),
            )
            RequestContact.objects.create(request=request, contact=registered)
            # A reply that reached the citizen is their first answer (issue #13,
            # item 7: time to first answer), if no status move gave one before.
            if request.first_answered_at is None:
                versioned_update(request, expected_version=None, first_answered_at=now)
        RequestEvent.objects.bulk_create(
            [
                _event(
                    request,
                    EventKind.REPLY,
                    actor,
                    text_=text_,
                    data={
                        "letter": letter,
                        "channel": channel,
                        "dispatched": dispatched,
                        "contact": str(registered.uuid) if registered else None,
                    },
                )
            ]
        )
        audit_record(
            actor=actor,
            action="request.reply",
            obj=request,
            summary={"letter": letter, "channel": channel, "dispatched": dispatched},
        )
    return registered


def _request_known(request: Request) -> dict[str, BaseModel]:
    """The request's own records, by public id, for a contact registered about it
    (they were read through the policy with the request)."""
    known: dict[str, BaseModel] = {str(request.topic.uuid): request.topic}
    for party in (request.person, request.organisation):
        if party is not None:
            known[str(party.uuid)] = party
    return known
