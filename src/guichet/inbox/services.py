"""E-mail in: receive (commit the raw source first), process, and the agent's
actions on a message (issue #16, item 1).

`message_receive` stores a message's bytes under its Message-ID in its own
transaction and nothing else: from then on it is never lost, and the same message
fetched or imported twice is stored once. `message_process` reads it
(`reading.read`) and records what it found, in one transaction: an automatic reply,
a delivery report or one of our own messages coming back is recorded as such and
never answered nor turned into a request; a citizen's message gets its language,
its sender (a person on record with that address, when exactly one has it), its
attachments (stored by the documents app's content store, type read from the
bytes, size limited) and, when it answers one of our e-mails (`In-Reply-To` or
`References` naming a dispatch's Message-ID) or names a request's reference in its
subject, is added to that request, which reopens when it was answered or closed.
Any error leaves the message in `retry` with its reason, tried again later
(`messages_process_due`), `failed` after `ATTEMPTS`.

Threading acts for the agent who owns the request (else the agent whose reply the
citizen answers): a contact is an agent's record, and it is their request that the
citizen writes back on. When the policy no longer lets that agent work on it, the
message waits for an agent of the service instead (state `new`, the request named).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.inbox import Action
from guichet.access.domains.parties import Action as PersonAction
from guichet.access.domains.servicerequests import Action as RequestAction
from guichet.agents.models import Agent, RoleCode, Team
from guichet.audit.services import audit_record
from guichet.contacts.models import Channel, Contact, Direction
from guichet.contacts.services import SUMMARY_MAX, ContactInput
from guichet.core import clock
from guichet.core.errors import NotFound, ValidationFailed
from guichet.core.validation import Problems
from guichet.correspondence.models import LetterDispatch, LetterReference
from guichet.documents import sniffing, storage
from guichet.parties.models import EmailAddress, Person
from guichet.servicerequests import services as request_services
from guichet.servicerequests.models import Request, Status
from guichet.suggest.language import language_guess

from . import reading
from .models import (
    ACTIONABLE,
    InboundAttachment,
    InboundMessage,
    RefusedReason,
    State,
)

logger = logging.getLogger(__name__)

ATTEMPTS = 5
RETRY_AFTER = dt.timedelta(minutes=5)
REOPENING = (Status.ANSWERED, Status.CLOSED)


class Code:
    WRONG_STATE = "inbox_wrong_state"
    NO_PERSON = "inbox_no_person"


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    created: bool


def message_receive(*, raw: bytes, source: str, team: Team) -> Received:
    """Commit a message's raw source, once per Message-ID (a system action: the
    mailbox's fetch, or an import run by an administrator on the server)."""
    message_id = reading.message_id_of(raw)
    existing = InboundMessage.objects.filter(message_id=message_id).first()
    if existing is not None:
        return Received(existing, False)
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                message_id=message_id,
                raw=raw,
                raw_size=len(raw),
                source=source[:200],
                team=team,
            )
            audit_record(
                actor=None,
                action="inbox.receive",
                obj=message,
                summary={"source": source[:200], "size": len(raw)},
            )
    except IntegrityError:
        # Another fetch stored it meanwhile: theirs is the one.
        return Received(InboundMessage.objects.get(message_id=message_id), False)
    return Received(message, True)


def _our_address() -> str:
    import email.utils

    return email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def _store_attachments(
    message: InboundMessage, attachments: Iterable[reading.Attachment]
) -> None:
    limit = settings.INBOX_ATTACHMENT_MAX_BYTES
    rows = []
    for item in attachments:
        found = sniffing.sniff(item.data[: sniffing.HEAD_SIZE])
        row = InboundAttachment(
            message=message,
            filename=item.filename,
            declared_type=item.declared_type,
            content_type=found.content_type if found else "",
            size=len(item.data),
        )
        if len(item.data) > limit:
            row.refused = RefusedReason.TOO_LARGE
        elif found is None:
            row.refused = RefusedReason.TYPE_NOT_ACCEPTED
        else:
            row.sha256 = storage.store([item.data], max_bytes=limit).sha256
        rows.append(row)
    InboundAttachment.objects.bulk_create(rows)


def _sender(address: str) -> Person | None:
    """The one person on record with this address (None for none or several)."""
    if not address:
        return None
    people = list(
        EmailAddress.objects.filter(
            address_key=address.lower(), person__isnull=False
        ).values_list("person_id", flat=True)[:2]
    )
    if len(set(people)) != 1:
        return None
    return Person.objects.get(pk=people[0])


def _request_for_year(year: int, number: int) -> Request | None:
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC) - dt.timedelta(days=1)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=1)
    return Request.objects.filter(
        pk=number, created_at__gte=start, created_at__lt=end
    ).first()


@dataclass(frozen=True)
class Thread:
    request: Request
    # The agent whose e-mail was answered, when it was one of ours.
    replied_to: Agent | None


def thread_of(read: reading.Read) -> Thread | None:
    """The request a message answers: by the Message-ID of one of our dispatches in
    its In-Reply-To or References, else by a request reference in its subject."""
    ids = [f"<{item}>" for item in (*read.in_reply_to, *read.references)]
    if ids:
        dispatch = (
            LetterDispatch.objects.filter(message_id__in=ids)
            .select_related("requested_by")
            .order_by("-created_at")
            .first()
        )
        if dispatch is not None:
            reference = (
                LetterReference.objects.filter(
                    letter_id=dispatch.letter_id, kind="request"
                )
                .values_list("object_id", flat=True)
                .first()
            )
            if reference:
                written_year, written_number = reference.split("-")[1:3]
                found = _request_for_year(int(written_year), int(written_number))
                if found is not None:
                    return Thread(found, dispatch.requested_by)
    for year, number in read.request_references():
        found = _request_for_year(year, number)
        if found is not None:
            return Thread(found, None)
    return None


def _summary(message: InboundMessage) -> str:
    head = message.subject or str(_("(no subject)"))
    return f"{head}\n\n{message.text}"[:SUMMARY_MAX]


def _thread_into(message: InboundMessage, thread: Thread) -> bool:
    """Add the message to its request as the owner (or the agent answered);
    False when neither may work on it any more (an agent will)."""
    request = thread.request
    candidates = [agent for agent in (request.owner, thread.replied_to) if agent]
    actor = next(
        (
            agent
            for agent in candidates
            if agent.is_active
            and policy.may(agent, RequestAction.REQUEST_WORK, request)
        ),
        None,
    )
    if actor is None:
        return False
    contact = request_services.request_contact_add(
        actor=actor,
        request=request,
        contact=ContactInput(
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            started_at=(now := clock.now()),
            ended_at=now,
            address_used=message.from_address,
            summary=_summary(message),
            language=message.language,
        ),
        team=request.team if request.team_id in actor.team_ids else None,
    )
    if request.status in REOPENING:
        request.refresh_from_db()
        request_services.request_transition(
            actor=actor,
            request=request,
            expected_version=request.version,
            to=Status.REOPENED,
            text_=str(_("The citizen wrote back by e-mail.")),
        )
    message.contact = contact
    message.handled_by = actor
    return True


def _processed(message: InboundMessage) -> None:
    read = reading.read(bytes(message.raw), our_address=_our_address())
    message.from_address = read.from_address
    message.from_name = read.from_name
    message.subject = read.subject
    message.sent_at = read.sent_at
    message.recipients = read.recipients
    message.in_reply_to = " ".join(read.in_reply_to)[:2000]
    message.text = read.text
    message.html = read.html
    message.remote_images = read.remote_images
    message.reason = ""
    if read.kind:
        message.state = read.kind
        message.reason = read.kind_reason
        return
    message.language = language_guess(f"{read.subject}\n{read.text}").language
    message.sender_person = _sender(read.from_address)
    _store_attachments(message, read.attachments)
    thread = thread_of(read)
    message.state = State.NEW
    if thread is not None:
        message.request = thread.request
        if _thread_into(message, thread):
            message.state = State.THREADED


def message_process(*, message_id: int) -> InboundMessage:
    """Read one received message and record what it is (a system task; a message
    already read is left as it is)."""
    message = InboundMessage.objects.get(pk=message_id)
    if message.state not in (State.RECEIVED, State.RETRY):
        return message
    try:
        with transaction.atomic():
            message = InboundMessage.objects.select_for_update().get(pk=message_id)
            if message.state not in (State.RECEIVED, State.RETRY):
                return message
            message.attempts += 1
            _processed(message)
            message.next_attempt_at = None
            message.save()
            audit_record(
                actor=None,
                action="inbox.process",
                obj=message,
                summary={
                    "state": message.state,
                    "request": message.request.reference if message.request else "",
                },
            )
    except Exception as error:  # any failure: the message is kept, tried again
        logger.warning("Inbound message %s not processed: %s", message_id, error)
        _failed(message_id, error)
    message.refresh_from_db()
    return message


def _failed(message_id: int, error: BaseException) -> None:
    with transaction.atomic():
        message = InboundMessage.objects.select_for_update().get(pk=message_id)
        attempts = message.attempts + 1
        final = attempts >= ATTEMPTS
        InboundMessage.objects.filter(pk=message_id).update(
            attempts=attempts,
            state=State.FAILED if final else State.RETRY,
            reason=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=None if final else clock.now() + RETRY_AFTER * attempts,
        )
        audit_record(
            actor=None,
            action="inbox.process_failed",
            obj=message,
            summary={"attempts": attempts, "error": type(error).__name__},
        )


def messages_process_due(*, now: dt.datetime | None = None) -> int:
    """Process what was received and not read yet, and retries that are due."""
    moment = now or clock.now()
    due = InboundMessage.objects.filter(
        Q(state=State.RECEIVED) | Q(state=State.RETRY, next_attempt_at__lte=moment)
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due[:200]):
        message_process(message_id=pk)
        count += 1
    return count


def message_retry(*, actor: Agent, message: InboundMessage) -> InboundMessage:
    """Try a message that could not be read again now (after its cause was fixed)."""
    policy.require(actor, Action.INBOX_PROBLEMS)
    if RoleCode.ADMIN not in actor.role_codes and message.team_id not in actor.team_ids:
        raise NotFound(_("No such message."))
    with transaction.atomic():
        updated = InboundMessage.objects.filter(
            pk=message.pk, state__in=[State.RETRY, State.FAILED]
        ).update(state=State.RETRY, next_attempt_at=clock.now(), attempts=0)
        if not updated:
            raise ValidationFailed(
                _("This message was read: there is nothing to try again."),
                errors=[],
                code=Code.WRONG_STATE,
            )
        audit_record(actor=actor, action="inbox.retry", obj=message, summary={})
    return message_process(message_id=message.pk)


# ---------------------------------------------------------------- agent actions


def _actionable(actor: Agent, message: InboundMessage) -> None:
    policy.require(actor, Action.INBOX_HANDLE, message)
    if message.state not in ACTIONABLE or message.contact_id is not None:
        raise ValidationFailed(
            _(
                "This message was already handled, or is an automatic message that "
                "is never answered."
            ),
            errors=[],
            code=Code.WRONG_STATE,
        )


def _person(
    problems: Problems, actor: Agent, message: InboundMessage, person: str
) -> str:
    """The person concerned: the one chosen, else the sender matched on record."""
    if person:
        return person
    if message.sender_person is not None and policy.may(
        actor, PersonAction.PERSON_VIEW, message.sender_person
    ):
        return str(message.sender_person.uuid)
    return ""


def _contact_input(message: InboundMessage, person: str) -> ContactInput:
    # The contact is the agent's reading of the message, measured now (a contact is
    # registered within hours of its start; the message's own date is on it).
    return ContactInput(
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        started_at=(now := clock.now()),
        ended_at=now,
        person=person,
        anonymous_details=""
        if person
        else f"{message.from_name} <{message.from_address}>"[:1000],
        address_used=message.from_address,
        summary=_summary(message),
        language=message.language,
    )


def _handled(
    actor: Agent,
    message: InboundMessage,
    contact: Contact,
    request: Request,
    action: str,
) -> InboundMessage:
    InboundMessage.objects.filter(pk=message.pk).update(
        state=State.HANDLED,
        contact=contact,
        request=request,
        handled_by=actor,
        updated_at=clock.now(),
    )
    audit_record(
        actor=actor,
        action=action,
        obj=message,
        summary={"request": request.reference, "contact": str(contact.uuid)},
    )
    message.refresh_from_db()
    return message


def message_open_request(
    *,
    actor: Agent,
    message: InboundMessage,
    data: request_services.RequestInput,
    person: str = "",
) -> InboundMessage:
    """Register the message as an inbound e-mail contact and open a request from it
    (both or neither), for the person chosen or the sender on record."""
    _actionable(actor, message)
    problems = Problems()
    who = _person(problems, actor, message, person)
    problems.raise_if_any()
    with transaction.atomic():
        locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
        _actionable(actor, locked)
        contact_input = _contact_input(locked, who)
        if who:
            contact, request = request_services.contact_with_request(
                actor=actor,
                contact=contact_input,
                request=data_with(data, who, locked),
                team=locked.team if locked.team_id in actor.team_ids else None,
            )
        else:
            contact, request = request_services.anonymous_contact_with_request(
                actor=actor,
                contact=contact_input,
                request=data_with(data, "", locked),
                team=locked.team if locked.team_id in actor.team_ids else None,
            )
        return _handled(actor, locked, contact, request, "inbox.open_request")


def data_with(
    data: request_services.RequestInput, person: str, message: InboundMessage
) -> request_services.RequestInput:
    from dataclasses import replace

    return replace(
        data,
        person=data.person or person,
        channel=Channel.EMAIL,
        reply_channel=data.reply_channel or Channel.EMAIL,
        language=data.language or message.language,
        description=data.description or message.text[:4000],
        requester_name=data.requester_name
        or ("" if person else (message.from_name or message.from_address)[:200]),
    )


def message_attach(
    *, actor: Agent, message: InboundMessage, request: Request
) -> InboundMessage:
    """Add the message to a request the actor works on, as an inbound e-mail
    contact about it; a request that was answered or closed reopens."""
    _actionable(actor, message)
    with transaction.atomic():
        locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
        _actionable(actor, locked)
        contact = request_services.request_contact_add(
            actor=actor,
            request=request,
            contact=_contact_input(locked, ""),
            team=request.team if request.team_id in actor.team_ids else None,
        )
        if request.status in REOPENING:
            request.refresh_from_db()
            request_services.request_transition(
                actor=actor,
                request=request,
                expected_version=request.version,
                to=Status.REOPENED,
                text_=str(_("The citizen wrote back by e-mail.")),
            )
        return _handled(actor, locked, contact, request, "inbox.attach")
