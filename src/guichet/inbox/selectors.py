"""Reads of the inbox: always for an agent, through the policy and the access log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.inbox import Action
from guichet.access.policy import Seen
from guichet.agents.models import Agent, RoleCode
from guichet.audit.services import access_record
from guichet.core.errors import NotFound
from guichet.core.validation import parse_uuid
from guichet.documents import storage
from guichet.parties.models import Person

from .models import ACTIONABLE, PROBLEMS, InboundAttachment, InboundMessage

LISTED = 200


def messages_to_handle(*, agent: Agent) -> list[InboundMessage]:
    """Messages of the agent's services waiting for an agent, oldest first."""
    policy.require(agent, Action.INBOX_VIEW)
    rows = list(
        policy.visible(
            agent,
            InboundMessage.objects.filter(state__in=ACTIONABLE, contact__isnull=True)
            .defer("raw", "html", "text")
            .select_related("sender_person", "request")
            .order_by("created_at", "id"),
        )[:LISTED]
    )
    if rows:
        access_record(actor=agent, action="inbox.list", objects=rows)
    return rows


def message_get_for_agent(*, agent: Agent, key: object) -> Seen[InboundMessage]:
    """One message the agent sees; a missing and a hidden one both raise NotFound."""
    parsed = parse_uuid(key)
    message = (
        policy.visible(agent, InboundMessage.objects.all())
        .defer("raw")
        .select_related("sender_person", "request", "team")
        .filter(uuid=parsed)
        .first()
        if parsed
        else None
    )
    if message is None:
        raise NotFound(_("No such message."))
    access_record(actor=agent, action="inbox.read", obj=message)
    return policy.seen(agent, message)


def senders_on_record(*, agent: Agent, message: InboundMessage) -> list[Person]:
    """Persons the agent sees who have the sender's address on record."""
    if not message.from_address:
        return []
    return list(
        policy.visible(
            agent,
            Person.objects.filter(
                emails__address_key=message.from_address.lower()
            ).distinct(),
        )[:20]
    )


@dataclass(frozen=True)
class Problem:
    """What an administrator sees of a message that could not be read: no sender,
    subject or text (they see no citizen data)."""

    uuid: Any
    source: str
    team: str
    state: str
    state_label: str
    attempts: int
    reason: str
    received_at: Any
    next_attempt_at: Any


def messages_with_problems(*, agent: Agent) -> list[Problem]:
    """Messages in retry or failed: every service's for an administrator, their
    own services' for a supervisor."""
    policy.require(agent, Action.INBOX_PROBLEMS)
    rows: QuerySet[InboundMessage] = InboundMessage.objects.filter(
        state__in=PROBLEMS
    ).select_related("team")
    if RoleCode.ADMIN not in agent.role_codes:
        rows = rows.filter(team_id__in=agent.team_ids)
    return [
        Problem(
            uuid=row.uuid,
            source=row.source,
            team=row.team.name,
            state=row.state,
            state_label=str(row.get_state_display()),
            attempts=row.attempts,
            reason=row.reason,
            received_at=row.created_at,
            next_attempt_at=row.next_attempt_at,
        )
        for row in rows.only(
            "uuid",
            "source",
            "team__name",
            "state",
            "attempts",
            "reason",
            "created_at",
            "next_attempt_at",
        ).order_by("-created_at")[:LISTED]
    ]


def attachment_for_agent(
    *, agent: Agent, message: InboundMessage, attachment_id: object
) -> tuple[InboundAttachment, IO[bytes]]:
    """A kept attachment of a message the agent sees (`message_get_for_agent`),
    and its bytes; logged. A refused one was never stored: not found."""
    key = parse_uuid(attachment_id)
    found = (
        message.attachments.filter(uuid=key, refused="").exclude(sha256="").first()
        if key
        else None
    )
    if found is None:
        raise NotFound(_("No such file."))
    access_record(actor=agent, action="inbox.attachment_download", obj=found)
    return found, storage.open_content(found.sha256)
