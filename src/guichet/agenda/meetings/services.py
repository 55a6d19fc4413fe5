"""Meetings, rooms and equipment, events: every write (issue #17, parts 2 and 3).

- **Meetings.** `meeting_create`, `meeting_update` and `meeting_cancel` are the
  organiser's; each change grows the meeting's `sequence` and, once the
  transaction commits, a retried background task sends every participant an
  iCalendar e-mail (METHOD REQUEST with the meeting's UID and the new SEQUENCE, or
  METHOD CANCEL: `meeting_ical`, `meeting_invitations_deliver`). An agent answers
  in Guichet (`meeting_answer`); an external person through the link of their
  invitation (`meeting_answer_public`), whose token is kept only as its SHA-256.
- **Rooms and equipment.** Two bookings of one resource never overlap, even when
  made at the same instant: the resource's row is locked (PostgreSQL; SQLite's
  transactions are IMMEDIATE, so writers come one after the other) and the
  overlap checked; on PostgreSQL the exclusion constraint is the last line, and
  its IntegrityError becomes the same `Conflict` (`resource_taken`).
- **Events.** Registrations up to the capacity, then a waiting list in the order
  of arrival; a cancelled registration gives its seat to the first waiting one,
  who is told by e-mail.

Every write is one transaction with its audit record; bad input raises a
`GuichetError` and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.meetings import Action
from guichet.agenda.errors import Code
from guichet.agenda.meetings import ical as meeting_ical
from guichet.agenda.meetings import tokens as meeting_tokens
from guichet.agenda.meetings.tokens import key_of
from guichet.agenda.models import (
    Answer,
    Booking,
    Event,
    EventKind,
    Meeting,
    Participant,
    Registration,
    RegistrationStatus,
    Resource,
    ResourceKind,
)
from guichet.agents.models import Agent
from guichet.audit.services import audit_record
from guichet.core import clock
from guichet.core.errors import Conflict, NotFound
from guichet.core.validation import Problems, choice, parse_uuid, text
from guichet.core.versioning import check_version

logger = logging.getLogger(__name__)

LANGUAGES = ("fr", "nl", "de", "en")
MAX_PARTICIPANTS = 200
MAX_LENGTH = dt.timedelta(days=7)
# Instants outside these years are typing errors (and overflow in time zones).
FIRST_YEAR, LAST_YEAR = 1900, 2999
ANSWERS = (Answer.ACCEPTED, Answer.DECLINED, Answer.TENTATIVE)
# `sent_sequence` of a removed participant once told: nothing more to send them.
TOLD_FOR_GOOD = 2_000_000_000


@dataclass(frozen=True)
class Guest:
    """An external person invited or registered by e-mail."""

    email: str
    name: str = ""
    language: str = "fr"


# ---------------------------------------------------------------- validation


def _times(
    problems: Problems,
    start: object,
    end: object,
    *,
    future: bool = True,
) -> tuple[dt.datetime | None, dt.datetime | None]:
    clean: list[dt.datetime | None] = []
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, dt.datetime) or timezone.is_naive(value):
            problems.add(name, "required", _("A date and a time are required."))
            clean.append(None)
            continue
        try:
            instant = value.astimezone(dt.UTC)
        except OverflowError:
            instant = None
        if instant is None or not FIRST_YEAR <= instant.year <= LAST_YEAR:
            problems.add(name, "required", _("A date and a time are required."))
        clean.append(
            instant
            if instant is not None and FIRST_YEAR <= instant.year <= LAST_YEAR
            else None
        )
    begin, finish = clean
    if begin is not None and finish is not None:
        if finish <= begin:
            problems.add("end", Code.ENDS_BEFORE_START, _("It ends before it starts."))
        elif finish - begin > MAX_LENGTH:
            problems.add("end", Code.ENDS_BEFORE_START, _("At most seven days long."))
    if future and begin is not None and begin < clock.now():
        problems.add("start", Code.IN_THE_PAST, _("This moment is in the past."))
    return begin, finish


def _guests(problems: Problems, guests: Iterable[Guest | str]) -> list[Guest]:
    found: dict[str, Guest] = {}
    for item in guests:
        guest = item if isinstance(item, Guest) else Guest(email=str(item))
        address = guest.email.strip().lower()
        try:
            validate_email(address)
        except Exception:
            problems.add(
                "emails",
                "invalid_email",
                _("Not an e-mail address: %(address)s."),
                address=address[:100],
            )
            continue
        name = text(problems, "emails", guest.name, required=False, max_length=200)
        language = guest.language if guest.language in LANGUAGES else "fr"
        found[address] = Guest(email=address, name=name, language=language)
    return list(found.values())


def _agents(problems: Problems, agents: Iterable[Agent | UUID | str]) -> list[Agent]:
    keys: list[UUID] = []
    chosen: list[Agent] = []
    for item in agents:
        if isinstance(item, Agent):
            chosen.append(item)
            continue
        key = parse_uuid(item)
        if key is None:
            problems.add("agents", Code.NOT_AN_AGENT, _("Choose agents of the list."))
        else:
            keys.append(key)
    if keys:
        loaded = list(Agent.objects.filter(uuid__in=keys, is_active=True))
        if len(loaded) != len(set(keys)):
            problems.add("agents", Code.NOT_AN_AGENT, _("Choose agents of the list."))
        chosen.extend(loaded)
    unique: dict[int, Agent] = {agent.pk: agent for agent in chosen}
    return list(unique.values())


def _resources(
    problems: Problems, resources: Iterable[Resource | UUID | str]
) -> list[Resource]:
    chosen: list[Resource] = []
    for item in resources:
        if isinstance(item, Resource):
            chosen.append(item)
            continue
        key = parse_uuid(item)
        found = Resource.objects.filter(uuid=key).first() if key else None
        if found is None:
            problems.add(
                "resources", "not_found", _("Choose rooms or equipment of the list.")
            )
        else:
            chosen.append(found)
    for resource in chosen:
        if not resource.is_active:
            problems.add(
                "resources",
                Code.RESOURCE_INACTIVE,
                _("%(name)s is no longer in use."),
                name=resource.name,
            )
    return list({resource.pk: resource for resource in chosen}.values())


def _described(
    problems: Problems, title: str, place: str, description: str
) -> tuple[str, str, str]:
    """The title, place and description of a meeting or an event, cleaned."""
    return (
        text(problems, "title", title, required=True, max_length=200),
        text(problems, "place", place, required=False, max_length=200),
        text(
            problems,
            "description",
            description,
            required=False,
            max_length=4000,
            multiline=True,
        ),
    )


def _invited(
    problems: Problems,
    agents: Iterable[Agent | UUID | str],
    guests: Iterable[Guest | str],
) -> tuple[list[Agent], list[Guest]]:
    chosen_agents = _agents(problems, agents)
    chosen_guests = _guests(problems, guests)
    if len(chosen_agents) + len(chosen_guests) > MAX_PARTICIPANTS:
        problems.add("agents", "too_many", _("At most 200 participants."))
    return chosen_agents, chosen_guests


# ---------------------------------------------------------------- bookings


def _taken(resource: Resource, start: dt.datetime, end: dt.datetime) -> Conflict:
    local_start = timezone.localtime(start)
    local_end = timezone.localtime(end)
    return Conflict(
        _(
            "%(resource)s is already booked between %(start)s and %(end)s: "
            "choose another time or another room or equipment."
        ),
        code=Code.RESOURCE_TAKEN,
        params={
            "resource": resource.name,
            "start": local_start.strftime("%d/%m/%Y %H:%M"),
            "end": local_end.strftime("%H:%M"),
        },
    )


def _lock_resources(resources: Sequence[Resource]) -> None:
    """Lock the resources' rows, in id order (the same order for every writer)."""
    ids = sorted(resource.pk for resource in resources)
    if ids:
        list(Resource.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _check_free(
    resource: Resource,
    start: dt.datetime,
    end: dt.datetime,
    *,
    ignore: Q | None = None,
) -> None:
    overlapping = Booking.objects.filter(
        resource=resource, cancelled_at__isnull=True, start__lt=end, end__gt=start
    )
    if ignore is not None:
        overlapping = overlapping.exclude(ignore)
    clash = overlapping.order_by("start").first()
    if clash is not None:
        raise _taken(resource, clash.start, clash.end)


def _book(
    *,
    actor: Agent,
    resource: Resource,
    start: dt.datetime,
    end: dt.datetime,
    meeting: Meeting | None = None,
    event: Event | None = None,
) -> Booking:
    """Book `resource` (already locked) inside the caller's transaction: the locked
    check first, the exclusion constraint (PostgreSQL) last."""
    _check_free(resource, start, end)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                resource=resource,
                meeting=meeting,
                event=event,
                booked_by=actor,
                start=start,
                end=end,
            )
    except IntegrityError as error:
        if "agenda_booking_no_overlap" not in str(error):
            raise
        raise _taken(resource, start, end) from error
    audit_record(
        actor=actor,
        action="agenda.booking_create",
        obj=booking,
        summary={
            "resource": resource.code,
            "meeting": str(meeting.uuid) if meeting else None,
            "event": str(event.uuid) if event else None,
        },
    )
    return booking


def _move_bookings(
    *, actor: Agent, bookings: Sequence[Booking], start: dt.datetime, end: dt.datetime
) -> None:
    _lock_resources([booking.resource for booking in bookings])
    for booking in bookings:
        _check_free(booking.resource, start, end, ignore=Q(pk=booking.pk))
        try:
            with transaction.atomic():
                Booking.objects.filter(pk=booking.pk).update(start=start, end=end)
        except IntegrityError as error:
            if "agenda_booking_no_overlap" not in str(error):
                raise
            raise _taken(booking.resource, start, end) from error


def _cancel_bookings(*, actor: Agent, bookings: Iterable[Booking]) -> None:
    now = clock.now()
    for booking in bookings:
        Booking.objects.filter(pk=booking.pk).update(cancelled_at=now)
        audit_record(actor=actor, action="agenda.booking_cancel", obj=booking)


def resource_book(
    *,
    actor: Agent,
    resource_id: UUID | str,
    meeting_id: UUID | str | None = None,
    event_id: UUID | str | None = None,
) -> Booking:
    """Book a room or equipment for the whole time of a meeting (its organiser)
    or an event (who manages it)."""
    policy.require(actor, Action.RESOURCE_BOOK)
    resource = Resource.objects.filter(uuid=key_of(resource_id)).first()
    if resource is None:
        raise NotFound(_("No such room or equipment."))
    with transaction.atomic():
        meeting = event = None
        if meeting_id is not None:
            meeting = _meeting_locked(actor, meeting_id)
            policy.require(actor, Action.MEETING_EDIT, meeting)
            if meeting.is_cancelled:
                raise Conflict(
                    _("This meeting is cancelled."), code=Code.MEETING_CANCELLED
                )
            start, end = meeting.start, meeting.end
        elif event_id is not None:
            event = _event_locked(actor, event_id)
            policy.require(actor, Action.EVENT_MANAGE, event)
            start, end = event.start, event.end
        else:
            raise NotFound(_("No such meeting or event."))
        _lock_resources([resource])
        resource.refresh_from_db()
        if not resource.is_active:
            raise Conflict(
                _("%(name)s is no longer in use."),
                code=Code.RESOURCE_INACTIVE,
                params={"name": resource.name},
            )
        return _book(
            actor=actor,
            resource=resource,
            start=start,
            end=end,
            meeting=meeting,
            event=event,
        )


def booking_release(
    *,
    actor: Agent,
    resource_id: UUID | str,
    meeting_id: UUID | str | None = None,
    event_id: UUID | str | None = None,
) -> Booking:
    """Free the room or equipment booked for a meeting (its organiser) or an
    event (who manages it)."""
    with transaction.atomic():
        if meeting_id is not None:
            meeting = _meeting_locked(actor, meeting_id)
            policy.require(actor, Action.MEETING_EDIT, meeting)
            rows = Booking.objects.filter(meeting=meeting)
        elif event_id is not None:
            event = _event_locked(actor, event_id)
            policy.require(actor, Action.EVENT_MANAGE, event)
            rows = Booking.objects.filter(event=event)
        else:
            raise NotFound(_("No such booking."))
        booking = (
            rows.select_for_update()
            .filter(resource__uuid=key_of(resource_id), cancelled_at__isnull=True)
            .first()
        )
        if booking is None:
            raise NotFound(_("No such booking."))
        _cancel_bookings(actor=actor, bookings=[booking])
    booking.refresh_from_db()
    return booking


# ---------------------------------------------------------------- resources


def resource_create(
    *,
    actor: Agent,
    code: str,
    name: str,
    kind: str,
    capacity: int | None = None,
    features: Sequence[str] = (),
    location: str = "",
) -> Resource:
    """A new room or piece of equipment (supervisors, administrators)."""
    policy.require(actor, Action.RESOURCE_MANAGE)
    problems = Problems()
    clean_code = text(problems, "code", code, required=True, max_length=50)
    clean = _resource_fields(problems, name, kind, capacity, features, location)
    if clean_code and Resource.objects.filter(code=clean_code).exists():
        problems.add(
            "code", Code.RESOURCE_CODE_TAKEN, _("A room or equipment has this code.")
        )
    problems.raise_if_any()
    with transaction.atomic():
        resource = Resource.objects.create(code=clean_code, **clean)
        audit_record(actor=actor, action="agenda.resource_create", obj=resource)
    return resource


def _resource_fields(
    problems: Problems,
    name: str,
    kind: str,
    capacity: int | None,
    features: Sequence[str],
    location: str,
) -> dict[str, Any]:
    clean_name = text(problems, "name", name, required=True, max_length=150)
    clean_kind = choice(
        problems, "kind", kind, [value for value, _l in ResourceKind.choices]
    )
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
        problems.add("capacity", "invalid", _("At least 1, or empty."))
    clean_features = sorted(
        {
            text(problems, "features", feature, required=False, max_length=60)
            for feature in features
        }
        - {""}
    )
    clean_location = text(
        problems, "location", location, required=False, max_length=200
    )
    return {
        "name": clean_name,
        "kind": clean_kind or "",
        "capacity": capacity,
        "features": clean_features,
        "location": clean_location,
    }


def resource_update(
    *,
    actor: Agent,
    resource_id: UUID | str,
    expected_version: int,
    name: str,
    kind: str,
    capacity: int | None = None,
    features: Sequence[str] = (),
    location: str = "",
    is_active: bool = True,
) -> Resource:
    """Change a room or equipment; `is_active=False` takes it out of use (its
    existing bookings stay)."""
    policy.require(actor, Action.RESOURCE_MANAGE)
    problems = Problems()
    clean = _resource_fields(problems, name, kind, capacity, features, location)
    problems.raise_if_any()
    with transaction.atomic():
        resource = (
            Resource.objects.select_for_update()
            .filter(uuid=key_of(resource_id))
            .first()
        )
        if resource is None:
            raise NotFound(_("No such room or equipment."))
        check_version(resource, expected_version)
        before = {"name": resource.name, "active": resource.is_active}
        Resource.objects.filter(pk=resource.pk).update(
            **clean,
            is_active=bool(is_active),
            version=F("version") + 1,
            updated_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="agenda.resource_update",
            obj=resource,
            summary={
                "before": before,
                "after": {"name": clean["name"], "active": bool(is_active)},
            },
        )
    resource.refresh_from_db()
    return resource


# ---------------------------------------------------------------- meetings


def _meeting_locked(actor: Agent, meeting_id: UUID | str) -> Meeting:
    meeting = (
        Meeting.objects.select_for_update().filter(uuid=key_of(meeting_id)).first()
    )
    if meeting is None or not policy.may(actor, Action.MEETING_VIEW, meeting):
        raise NotFound(_("No such meeting."))
    return meeting


def _after_commit_send(meeting: Meeting) -> None:
    # Enqueued inside the writing transaction (the database task backend is
    # transactional): the mail leaves only for a change that was stored.
    from guichet.agenda.tasks import send_meeting_mail

    send_meeting_mail.enqueue(str(meeting.uuid))


def _add_participants(
    meeting: Meeting, agents: Sequence[Agent], guests: Sequence[Guest]
) -> list[Participant]:
    added: list[Participant] = []
    for agent in agents:
        if agent.pk == meeting.organiser_id:
            continue
        participant, created = Participant.objects.get_or_create(
            meeting=meeting,
            agent=agent,
            defaults={"language": agent.language or "fr"},
        )
        if not created and participant.removed_at is not None:
            participant.removed_at = None
            participant.answer = Answer.NEEDS_ACTION
            participant.sent_sequence = -1
            participant.save(
                update_fields=["removed_at", "answer", "sent_sequence", "updated_at"]
            )
        added.append(participant)
    for guest in guests:
        participant, created = Participant.objects.get_or_create(
            meeting=meeting,
            agent=None,
            email=guest.email,
            defaults={"name": guest.name, "language": guest.language},
        )
        if created:
            participant.token_digest = meeting_tokens.token_digest(
                meeting_tokens.token_for(participant)
            )
            participant.save(update_fields=["token_digest"])
        elif participant.removed_at is not None:
            participant.removed_at = None
            participant.answer = Answer.NEEDS_ACTION
            participant.sent_sequence = -1
            participant.save(
                update_fields=["removed_at", "answer", "sent_sequence", "updated_at"]
            )
        added.append(participant)
    return added


def meeting_create(
    *,
    actor: Agent,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    place: str = "",
    description: str = "",
    agents: Sequence[Agent | UUID | str] = (),
    guests: Sequence[Guest | str] = (),
    resources: Sequence[Resource | UUID | str] = (),
    link_base: str = "",
) -> Meeting:
    """Plan a meeting, invite agents and external people, book its rooms and
    equipment; the invitations leave once it is stored."""
    policy.require(actor, Action.MEETING_ORGANISE)
    problems = Problems()
    clean_title, clean_place, clean_description = _described(
        problems, title, place, description
    )
    begin, finish = _times(problems, start, end)
    chosen_agents, chosen_guests = _invited(problems, agents, guests)
    chosen_resources = _resources(problems, resources)
    problems.raise_if_any()
    assert begin is not None  # noqa: S101 - checked above
    assert finish is not None  # noqa: S101
    with transaction.atomic():
        _lock_resources(chosen_resources)
        meeting = Meeting.objects.create(
            organiser=actor,
            title=clean_title,
            place=clean_place,
            description=clean_description,
            start=begin,
            end=finish,
            link_base=link_base[:300],
        )
        participants = _add_participants(meeting, chosen_agents, chosen_guests)
        for resource in chosen_resources:
            _book(
                actor=actor, resource=resource, start=begin, end=finish, meeting=meeting
            )
        audit_record(
            actor=actor,
            action="agenda.meeting_create",
            obj=meeting,
            summary={
                "participants": len(participants),
                "resources": sorted(resource.code for resource in chosen_resources),
            },
        )
        _after_commit_send(meeting)
    return meeting


def meeting_update(
    *,
    actor: Agent,
    meeting_id: UUID | str,
    expected_version: int,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    place: str = "",
    description: str = "",
    agents: Sequence[Agent | UUID | str] = (),
    guests: Sequence[Guest | str] = (),
) -> Meeting:
    """Change a meeting (its organiser): the fields and the whole list of
    participants; its bookings move with it. Every participant, and whoever was
    removed, is told (REQUEST, or CANCEL to the removed) with the next SEQUENCE."""
    problems = Problems()
    clean_title, clean_place, clean_description = _described(
        problems, title, place, description
    )
    begin, finish = _times(problems, start, end)
    chosen_agents, chosen_guests = _invited(problems, agents, guests)
    with transaction.atomic():
        meeting = _meeting_locked(actor, meeting_id)
        policy.require(actor, Action.MEETING_EDIT, meeting)
        problems.raise_if_any()
        assert begin is not None  # noqa: S101 - checked above
        assert finish is not None  # noqa: S101
        check_version(meeting, expected_version)
        if meeting.is_cancelled:
            raise Conflict(_("This meeting is cancelled."), code=Code.MEETING_CANCELLED)
        if (begin, finish) != (meeting.start, meeting.end):
            _move_bookings(
                actor=actor,
                bookings=list(
                    meeting.bookings.filter(cancelled_at__isnull=True).select_related(
                        "resource"
                    )
                ),
                start=begin,
                end=finish,
            )
        kept = _add_participants(meeting, chosen_agents, chosen_guests)
        removed = meeting.participants.filter(removed_at__isnull=True).exclude(
            pk__in=[participant.pk for participant in kept]
        )
        removed_count = removed.update(removed_at=clock.now())
        Meeting.objects.filter(pk=meeting.pk).update(
            title=clean_title,
            place=clean_place,
            description=clean_description,
            start=begin,
            end=finish,
            sequence=F("sequence") + 1,
            version=F("version") + 1,
            updated_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="agenda.meeting_update",
            obj=meeting,
            summary={
                "before": {
                    "start": meeting.start.isoformat(),
                    "end": meeting.end.isoformat(),
                },
                "after": {"start": begin.isoformat(), "end": finish.isoformat()},
                "participants": len(kept),
                "removed": removed_count,
            },
        )
        _after_commit_send(meeting)
    meeting.refresh_from_db()
    return meeting


def meeting_cancel(
    *, actor: Agent, meeting_id: UUID | str, expected_version: int
) -> Meeting:
    """Cancel a meeting (its organiser): its rooms and equipment are freed and
    every participant receives a CANCEL."""
    with transaction.atomic():
        meeting = _meeting_locked(actor, meeting_id)
        policy.require(actor, Action.MEETING_EDIT, meeting)
        check_version(meeting, expected_version)
        if meeting.is_cancelled:
            raise Conflict(_("This meeting is cancelled."), code=Code.MEETING_CANCELLED)
        _cancel_bookings(
            actor=actor, bookings=meeting.bookings.filter(cancelled_at__isnull=True)
        )
        Meeting.objects.filter(pk=meeting.pk).update(
            cancelled_at=clock.now(),
            sequence=F("sequence") + 1,
            version=F("version") + 1,
            updated_at=clock.now(),
        )
        audit_record(actor=actor, action="agenda.meeting_cancel", obj=meeting)
        _after_commit_send(meeting)
    meeting.refresh_from_db()
    return meeting


def _answer(participant: Participant, answer: str, actor: Agent | None) -> Participant:
    problems = Problems()
    clean = choice(problems, "answer", answer, list(ANSWERS))
    problems.raise_if_any()
    meeting = participant.meeting
    if meeting.is_cancelled:
        raise Conflict(_("This meeting is cancelled."), code=Code.MEETING_CANCELLED)
    Participant.objects.filter(pk=participant.pk).update(
        answer=clean, answered_at=clock.now(), updated_at=clock.now()
    )
    audit_record(
        actor=actor,
        action="agenda.meeting_answer",
        obj=meeting,
        summary={"participant": str(participant.uuid), "answer": clean},
    )
    participant.refresh_from_db()
    return participant


def meeting_answer(*, actor: Agent, meeting_id: UUID | str, answer: str) -> Participant:
    """An invited agent accepts, declines or answers maybe."""
    with transaction.atomic():
        meeting = _meeting_locked(actor, meeting_id)
        policy.require(actor, Action.MEETING_ANSWER, meeting)
        participant = meeting.participants.filter(
            agent=actor, removed_at__isnull=True
        ).first()
        if participant is None:  # pragma: no cover - the policy refused already
            raise Conflict(
                _("You are not invited to this meeting."), code=Code.NOT_INVITED
            )
        participant.meeting = meeting
        return _answer(participant, answer, actor)


def meeting_answer_public(*, token: str, answer: str) -> Participant:
    """An external person answers through the link of their invitation."""
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update()
            .select_related("meeting")
            .filter(
                token_digest=meeting_tokens.token_digest(token),
                removed_at__isnull=True,
            )
            .first()
            if meeting_tokens.is_token_shaped(token)
            else None
        )
        if participant is None:
            raise NotFound(_("No such invitation."))
        return _answer(participant, answer, None)


# ---------------------------------------------------------------- the mail


def _mail_for(meeting: Meeting, participant: Participant, method: str) -> EmailMessage:
    link = ""
    if participant.agent_id is None and meeting.link_base:
        link = meeting.link_base + meeting_tokens.token_for(participant) + "/"
    with translation.override(participant.language or "fr"):
        return meeting_ical.invitation_mail(
            meeting=meeting, participant=participant, method=method, link=link
        )


def meeting_invitations_deliver(*, meeting_id: str) -> int:
    """Send each participant the meeting's current state, once per SEQUENCE (a
    system task; safe to run twice). Returns how many e-mails were sent; raises
    `OSError` when some could not be (the task tries again)."""
    meeting = (
        Meeting.objects.select_related("organiser").filter(uuid=meeting_id).first()
    )
    if meeting is None:
        return 0
    pending = (
        meeting.participants.select_related("agent")
        .filter(sent_sequence__lt=meeting.sequence)
        .order_by("pk")
    )
    sent = 0
    failed: list[str] = []
    for participant in pending:
        if participant.removed_at is not None and participant.sent_sequence < 0:
            # Removed before anything was sent: nothing to cancel.
            Participant.objects.filter(pk=participant.pk).update(
                sent_sequence=TOLD_FOR_GOOD
            )
            continue
        if not participant.address:
            continue
        cancelled = meeting.is_cancelled or participant.removed_at is not None
        method = "CANCEL" if cancelled else "REQUEST"
        try:
            _mail_for(meeting, participant, method).send()
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("Invitation to %s failed: %s", participant.uuid, error)
            failed.append(str(error)[:200])
            continue
        with transaction.atomic():
            Participant.objects.filter(
                pk=participant.pk, sent_sequence__lt=meeting.sequence
            ).update(
                sent_sequence=TOLD_FOR_GOOD
                if participant.removed_at is not None
                else meeting.sequence
            )
            audit_record(
                actor=None,
                action="agenda.meeting_mail",
                obj=meeting,
                summary={
                    "participant": str(participant.uuid),
                    "method": method,
                    "sequence": meeting.sequence,
                },
            )
        sent += 1
    if failed:
        raise OSError(f"{len(failed)} invitation(s) not sent: {failed[0]}")
    return sent


# ---------------------------------------------------------------- events


def _event_locked(actor: Agent | None, event_id: UUID | str) -> Event:
    event = Event.objects.select_for_update().filter(uuid=key_of(event_id)).first()
    if event is None or (
        actor is not None and not policy.may(actor, Action.EVENT_REGISTER, event)
    ):
        raise NotFound(_("No such event."))
    return event


def event_create(
    *,
    actor: Agent,
    kind: str,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    capacity: int,
    place: str = "",
    description: str = "",
    resources: Sequence[Resource | UUID | str] = (),
) -> Event:
    """Organise a training or an information session, booking its rooms and
    equipment."""
    policy.require(actor, Action.EVENT_ORGANISE)
    problems = Problems()
    clean_kind = choice(
        problems, "kind", kind, [value for value, _l in EventKind.choices]
    )
    clean_title, clean_place, clean_description = _described(
        problems, title, place, description
    )
    begin, finish = _times(problems, start, end)
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 1:
        problems.add("capacity", "invalid", _("At least 1."))
    chosen_resources = _resources(problems, resources)
    problems.raise_if_any()
    assert begin is not None  # noqa: S101 - checked above
    assert finish is not None  # noqa: S101
    with transaction.atomic():
        _lock_resources(chosen_resources)
        event = Event.objects.create(
            organiser=actor,
            kind=clean_kind or EventKind.TRAINING,
            title=clean_title,
            place=clean_place,
            description=clean_description,
            start=begin,
            end=finish,
            capacity=capacity,
        )
        for resource in chosen_resources:
            _book(actor=actor, resource=resource, start=begin, end=finish, event=event)
        audit_record(
            actor=actor,
            action="agenda.event_create",
            obj=event,
            summary={"capacity": capacity},
        )
    return event


def event_register(
    *,
    actor: Agent,
    event_id: UUID | str,
    agent: Agent | None = None,
    guest: Guest | None = None,
) -> Registration:
    """Register an agent (the actor themselves by default; another agent or an
    external person: who manages the event) for an event: a seat while there is
    one, else the waiting list."""
    policy.require(actor, Action.EVENT_REGISTER)
    problems = Problems()
    guests = _guests(problems, [guest]) if guest is not None else []
    problems.raise_if_any()
    chosen_guest = guests[0] if guests else None
    with transaction.atomic():
        event = _event_locked(actor, event_id)
        if event.cancelled_at is not None:
            raise Conflict(_("This event is cancelled."), code=Code.EVENT_CANCELLED)
        if chosen_guest is not None or (agent is not None and agent.pk != actor.pk):
            policy.require(actor, Action.EVENT_MANAGE, event)
        who = None if chosen_guest is not None else (agent or actor)
        active = event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        existing = (
            active.filter(agent=who)
            if who is not None
            else active.filter(
                agent__isnull=True, email=chosen_guest.email if chosen_guest else ""
            )
        )
        if existing.exists():
            raise Conflict(
                _("Already registered for this event."), code=Code.ALREADY_REGISTERED
            )
        seated = active.filter(status=RegistrationStatus.REGISTERED).count()
        last = event.registrations.aggregate(last=Max("position"))["last"] or 0
        registration = Registration.objects.create(
            event=event,
            agent=who,
            email=chosen_guest.email if chosen_guest else "",
            name=chosen_guest.name if chosen_guest else "",
            language=(
                chosen_guest.language if chosen_guest else who.language if who else "fr"
            )
            or "fr",
            status=(
                RegistrationStatus.REGISTERED
                if seated < event.capacity
                else RegistrationStatus.WAITING
            ),
            position=last + 1,
        )
        audit_record(
            actor=actor,
            action="agenda.event_register",
            obj=event,
            summary={
                "registration": str(registration.uuid),
                "status": registration.status,
            },
        )
    return registration


def event_unregister(*, actor: Agent, registration_id: UUID | str) -> Registration:
    """Cancel a registration (the registered agent, or who manages the event); a
    freed seat goes to the first on the waiting list, who is told by e-mail."""
    key = key_of(registration_id)
    with transaction.atomic():
        found = (
            Registration.objects.filter(uuid=key)
            .values_list("event_id", flat=True)
            .first()
        )
        if found is None:
            raise NotFound(_("No such registration."))
        event = Event.objects.select_for_update().get(pk=found)
        registration = Registration.objects.get(uuid=key)
        if not (
            registration.agent_id == actor.pk
            or policy.may(actor, Action.EVENT_MANAGE, event)
        ):
            raise NotFound(_("No such registration."))
        if registration.status == RegistrationStatus.CANCELLED:
            raise Conflict(
                _("This registration is cancelled already."), code=Code.NOT_REGISTERED
            )
        freed = registration.status == RegistrationStatus.REGISTERED
        Registration.objects.filter(pk=registration.pk).update(
            status=RegistrationStatus.CANCELLED, updated_at=clock.now()
        )
        promoted = None
        if freed and event.cancelled_at is None:
            promoted = (
                event.registrations.filter(status=RegistrationStatus.WAITING)
                .order_by("position")
                .first()
            )
            if promoted is not None:
                Registration.objects.filter(pk=promoted.pk).update(
                    status=RegistrationStatus.REGISTERED, updated_at=clock.now()
                )
        audit_record(
            actor=actor,
            action="agenda.event_unregister",
            obj=event,
            summary={
                "registration": str(registration.uuid),
                "promoted": str(promoted.uuid) if promoted else None,
            },
        )
        if promoted is not None:
            from guichet.agenda.tasks import send_seat_mail

            send_seat_mail.enqueue(str(promoted.uuid))
    registration.refresh_from_db()
    return registration


def event_cancel(*, actor: Agent, event_id: UUID | str, expected_version: int) -> Event:
    """Cancel an event (its organiser or a supervisor): its rooms and equipment are
    freed, and everyone registered or waiting is told by e-mail."""
    with transaction.atomic():
        event = _event_locked(actor, event_id)
        policy.require(actor, Action.EVENT_MANAGE, event)
        check_version(event, expected_version)
        if event.is_cancelled:
            raise Conflict(_("This event is cancelled."), code=Code.EVENT_CANCELLED)
        _cancel_bookings(
            actor=actor, bookings=event.bookings.filter(cancelled_at__isnull=True)
        )
        now = clock.now()
        Event.objects.filter(pk=event.pk).update(
            cancelled_at=now, version=F("version") + 1, updated_at=now
        )
        told = [
            str(key)
            for key in event.registrations.exclude(
                status=RegistrationStatus.CANCELLED
            ).values_list("uuid", flat=True)
        ]
        audit_record(
            actor=actor,
            action="agenda.event_cancel",
            obj=event,
            summary={"told": len(told)},
        )
        from guichet.agenda.tasks import send_event_cancelled_mail

        for key in told:
            send_event_cancelled_mail.enqueue(key)
    event.refresh_from_db()
    return event


def _registration_mail_deliver(
    registrations: QuerySet[Registration],
    registration_id: str,
    mail: Callable[[Registration], EmailMessage],
    action: str,
) -> bool:
    """Send one registration its e-mail (a system task) and record it; False when
    the registration is no longer concerned or has no address. Raises `OSError`
    when the mail could not leave (the task tries again)."""
    registration = (
        registrations.select_related("event", "agent")
        .filter(uuid=registration_id)
        .first()
    )
    if registration is None or not registration.address:
        return False
    with translation.override(registration.language or "fr"):
        mail(registration).send()
    with transaction.atomic():
        audit_record(
            actor=None,
            action=action,
            obj=registration.event,
            summary={"registration": str(registration.uuid)},
        )
    return True


def event_cancelled_mail_deliver(*, registration_id: str) -> bool:
    """Tell one person registered for (or waiting for) an event that it is cancelled."""
    return _registration_mail_deliver(
        Registration.objects.filter(event__cancelled_at__isnull=False).exclude(
            status=RegistrationStatus.CANCELLED
        ),
        registration_id,
        meeting_ical.event_cancelled_mail,
        "agenda.event_cancelled_mail",
    )


def seat_mail_deliver(*, registration_id: str) -> bool:
    """Tell a registration promoted from the waiting list that it has a seat."""
    return _registration_mail_deliver(
        Registration.objects.filter(status=RegistrationStatus.REGISTERED),
        registration_id,
        meeting_ical.seat_mail,
        "agenda.event_seat_mail",
    )


__all__ = [
    "Guest",
    "booking_release",
    "event_cancel",
    "event_cancelled_mail_deliver",
    "event_create",
    "event_register",
    "event_unregister",
    "meeting_answer",
    "meeting_answer_public",
    "meeting_cancel",
    "meeting_create",
    "meeting_invitations_deliver",
    "meeting_update",
    "resource_book",
    "resource_create",
    "resource_update",
    "seat_mail_deliver",
]
