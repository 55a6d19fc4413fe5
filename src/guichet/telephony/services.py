"""Applying the telephone system's call events, and linking a call to the contact
the agent registers (docs/telephony.md).

`call_event_receive` is called only by the webhook once the request's signature is
verified (`signing.check`): the telephone system is authenticated by the shared
secret, not by an agent's roles, so it asks no policy. It validates the whole
payload first (every field error at once), then writes in one transaction: the
event row (whose unique event id and signature refuse a replay, even from another
process at the same moment), the call's times and agent, and its audit record.
A refused event changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.administration import Action as AdminAction
from guichet.agents.models import Agent
from guichet.agents.services import agent_extension_set
from guichet.audit.services import audit_record
from guichet.contacts.models import Contact
from guichet.contacts.services import contact_end
from guichet.core import clock
from guichet.core.errors import NotFound, ValidationFailed
from guichet.core.validation import Problems, choice, text
from guichet.parties import validation as party_validation

from .errors import Code, Replayed, UnknownAgent
from .models import Call, CallEvent, EventKind

T = TypeVar("T")

ID_MAX = 100


@dataclass(frozen=True)
class CallEventData:
    """A call event, validated."""

    event_id: str
    call_id: str
    kind: str
    number: str
    agent: Agent | None
    at: dt.datetime


def _instant(problems: Problems, field: str, value: object) -> dt.datetime:
    now = clock.now()
    if value in (None, ""):
        return now
    parsed = None
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None or parsed.tzinfo is None:
        problems.add(
            field,
            Code.INVALID_TIME,
            _("Give the time in ISO 8601 with its zone (2026-12-05T09:30:00+01:00)."),
        )
        return now
    return parsed


def _agent(problems: Problems, payload: Mapping[str, object]) -> Agent | None:
    """The agent named by username, else by extension (inactive ones are unknown)."""
    username = payload.get("agent")
    extension = payload.get("extension")
    if username not in (None, ""):
        found = Agent.objects.filter(
            username__iexact=str(username), is_active=True
        ).first()
        field = "agent"
    elif extension not in (None, ""):
        found = Agent.objects.filter(
            phone_extension=str(extension), is_active=True
        ).first()
        field = "extension"
    else:
        return None
    if found is None:
        problems.add(
            field,
            Code.UNKNOWN_AGENT,
            _("No active agent has this username or extension."),
        )
    return found


def call_event_validate(payload: object) -> CallEventData:
    """Every problem of a payload at once, or the event it describes."""
    if not isinstance(payload, Mapping):
        raise ValidationFailed(
            _("The body must be a JSON object describing one call event."),
            code=Code.MALFORMED,
        )
    problems = Problems()
    event_id = text(
        problems, "event_id", payload.get("event_id"), required=True, max_length=ID_MAX
    )
    call_id = text(
        problems, "call_id", payload.get("call_id"), required=True, max_length=ID_MAX
    )
    kind = choice(problems, "event", payload.get("event"), EventKind.values)
    raw_number = text(
        problems, "caller", payload.get("caller"), required=False, max_length=40
    )
    number = (
        party_validation.phone(problems, "caller", raw_number) if raw_number else ""
    )
    at = _instant(problems, "at", payload.get("at"))
    agent = _agent(problems, payload)
    if (
        kind == EventKind.ANSWERED
        and agent is None
        and not any(error.field in {"agent", "extension"} for error in problems.errors)
    ):
        problems.add(
            "agent",
            Code.UNKNOWN_AGENT,
            _("Name the agent who answered, by username or extension."),
        )
    if problems.errors:
        if all(error.code == Code.UNKNOWN_AGENT for error in problems.errors):
            raise UnknownAgent(
                _("The telephone system named an agent Guichet does not know."),
                errors=problems.errors,
            )
        problems.raise_if_any()
    assert kind is not None  # noqa: S101 - problems raised otherwise
    return CallEventData(
        event_id=event_id,
        call_id=call_id,
        kind=kind,
        number=number,
        agent=agent,
        at=at,
    )


@transaction.atomic
def call_event_receive(*, payload: object, signature: str) -> CallEvent:
    """Apply one signed call event (see the module's docstring)."""
    data = call_event_validate(payload)
    call, _created = Call.objects.get_or_create(call_id=data.call_id)
    call = Call.objects.select_for_update().get(pk=call.pk)
    try:
        with transaction.atomic():
            event = CallEvent.objects.create(
                event_id=data.event_id,
                signature=signature,
                call=call,
                kind=data.kind,
                occurred_at=data.at,
            )
    except IntegrityError:
        raise Replayed() from None
    changed: dict[str, object] = {}
    if data.number and not call.number:
        changed["number"] = data.number
    if data.kind == EventKind.RINGING and call.rang_at is None:
        changed["rang_at"] = data.at
    elif data.kind == EventKind.ANSWERED:
        # A transfer is answered again, by another agent: their screen opens it.
        changed["agent"] = data.agent
        changed["answered_at"] = data.at
        changed["noted_at"] = clock.now()
    elif data.kind == EventKind.ENDED and call.ended_at is None:
        changed["ended_at"] = data.at
    if data.kind == EventKind.RINGING and data.agent and call.agent_id is None:
        changed["agent"] = data.agent
    for name, value in changed.items():
        setattr(call, name, value)
    if changed:
        call.save(update_fields=list(changed))
    if data.kind == EventKind.ENDED:
        _end_contact(call)
    audit_record(
        actor=data.agent or call.agent,
        action=f"telephony.call_{data.kind}",
        obj=call,
        summary={"event_id": data.event_id, "call_id": data.call_id},
    )
    return event


def _end_contact(call: Call) -> None:
    """The end of the call is the end of the contact registered during it."""
    if call.contact_id is None or call.agent is None or call.ended_at is None:
        return
    contact = Contact.objects.select_for_update().get(pk=call.contact_id)
    if contact.ended_at is None:
        contact_end(actor=call.agent, contact=contact, at=call.ended_at)


@transaction.atomic
def call_contact_register(
    *,
    actor: Agent,
    call: Call,
    register: Callable[[Call], T],
    contact_of: Callable[[T], Contact],
) -> T:
    """Register the contact of a call the actor answered, in one transaction:
    `register` receives the call locked (its end, if it has ended, is the
    contact's), and the contact it registered is linked to the call, so the
    call's end, when it comes later, closes it."""
    locked = Call.objects.select_for_update().filter(pk=call.pk).first()
    if locked is None or locked.agent_id != actor.pk:
        raise NotFound(_("This call does not exist."), code=Code.NOT_YOUR_CALL)
    if locked.contact_id is not None:
        raise ValidationFailed(
            _("The contact of this call is already registered."),
            code=Code.ALREADY_REGISTERED,
        )
    done = register(locked)
    contact = contact_of(done)
    locked.contact = contact
    locked.save(update_fields=["contact"])
    audit_record(
        actor=actor,
        action="telephony.call_contact",
        obj=locked,
        summary={"contact": str(contact.uuid)},
    )
    return done


@transaction.atomic
def extension_assign(*, actor: Agent | None, agent: Agent, extension: str) -> Agent:
    """Give an agent their extension on the telephone system (empty: none).
    `actor` None: the demo and the command line, run by the operator."""
    if actor is not None:
        policy.require(actor, AdminAction.AGENT_MANAGE)
    before = agent.phone_extension
    agent_extension_set(agent=agent, extension=extension)
    audit_record(
        actor=actor,
        action="telephony.extension_assign",
        obj=agent,
        summary={"before": before, "after": agent.phone_extension},
    )
    return agent
