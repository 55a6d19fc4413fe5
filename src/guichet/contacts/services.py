"""Registering and correcting contacts (docs/adr/0005-contacts-and-requests.md).

Every identifier an agent gives (a person, an organisation, a topic) is looked up
among what this agent may see: a person they may not see is "not found", exactly as
one that does not exist, so a refusal never reveals that a hidden record exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.contacts import Action
from guichet.agents.models import Agent, Language, Team
from guichet.audit.services import Entry, audit_record, audit_record_many, changes
from guichet.core import clock
from guichet.core.models import BaseModel
from guichet.core.validation import Problems, choice, parse_uuid, text
from guichet.core.versioning import versioned_update
from guichet.parties.models import Organisation, Person

from .errors import Code
from .models import CallerRelation, Channel, Contact, Direction, Outcome, Topic

# A contact is registered while it happens or just after: a start further back is
# a typing error (a contact of yesterday is registered with its own date, by hand).
M = TypeVar("M", bound=BaseModel)

LONGEST_CONTACT = dt.timedelta(hours=12)
SUMMARY_MAX = 4000


@dataclass(frozen=True)
class ContactInput:
    """What an agent types (or a screen measures) about one contact. Identifiers are
    the public UUIDs (as text) of the person, organisation and topic."""

    channel: str
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    direction: str = Direction.INBOUND
    person: str = ""
    organisation: str = ""
    caller_person: str = ""
    caller_organisation: str = ""
    caller_name: str = ""
    caller_relation: str = ""
    anonymous_details: str = ""
    address_used: str = ""
    topic: str = ""
    summary: str = ""
    outcome: str = ""
    language: str = ""
    # A visit at the counter: when the visitor took their ticket.
    waiting_since: dt.datetime | None = None


def visible_one(
    problems: Problems, field: str, actor: Agent, model: type[M], value: str
) -> M | None:
    """The object of `model` with public id `value` that the actor sees, or None
    with a problem that reads the same for a missing and a hidden object."""
    if not value:
        return None
    uuid = parse_uuid(value)
    found = (
        policy.visible(actor, model._default_manager.filter(uuid=uuid)).first()
        if uuid is not None
        else None
    )
    if found is None:
        problems.add(field, Code.NOT_FOUND, _("No such record was found."))
    return found


def topic_for(problems: Problems, field: str, value: str, team: Team) -> Topic | None:
    """An active topic the team uses (its own or a shared one), by UUID or code."""
    if not value:
        return None
    topics = Topic.objects.filter(Q(team__isnull=True) | Q(team=team), is_active=True)
    uuid = parse_uuid(value)
    found = (
        topics.filter(uuid=uuid).first()
        if uuid is not None
        else topics.filter(code=value).order_by("team_id").first()
    )
    if found is None:
        unknown_topic(problems, field)
    return found


def unknown_topic(problems: Problems, field: str) -> None:
    """The problem of a topic that does not exist, is not in use or not the team's."""
    problems.add(
        field, Code.UNKNOWN_TOPIC, _("This topic does not exist or is not in use.")
    )


def acting_team(
    problems: Problems,
    actor: Agent,
    team: Team | None,
    *,
    known: Mapping[int, Team] | None = None,
) -> Team | None:
    """The service the agent acts for: the one given, if theirs, else their only
    one. `known`: every team by id, when the caller already holds them (the
    request creation's cached reference data), so that none is read again."""
    if team is not None:
        if team.pk not in actor.team_ids:
            problems.add("team", Code.NOT_YOUR_TEAM, _("You are not in this service."))
            return None
        return team
    if known is not None:
        teams = [
            known[pk]
            for pk in sorted(actor.team_ids)
            if pk in known and known[pk].is_active
        ][:2]
    else:
        teams = list(Team.objects.filter(pk__in=actor.team_ids, is_active=True)[:2])
    if len(teams) != 1:
        problems.add(
            "team",
            Code.TEAM_REQUIRED,
            _("Choose the service you act for."),
        )
        return None
    return teams[0]


def _clean_times(
    problems: Problems, started_at: dt.datetime | None, ended_at: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime | None]:
    now = clock.now()
    start = started_at or now
    if start.tzinfo is None:
        problems.add("started_at", Code.NAIVE_TIME, _("Give the time with its zone."))
        return now, None
    if start > now + dt.timedelta(minutes=1):
        problems.add("started_at", Code.IN_FUTURE, _("A contact cannot start later."))
    elif now - start > LONGEST_CONTACT:
        problems.add(
            "started_at",
            Code.TOO_OLD,
            _("A contact is registered within %(hours)d hours of its start."),
            hours=int(LONGEST_CONTACT.total_seconds() // 3600),
        )
    if ended_at is not None and (ended_at.tzinfo is None or ended_at < start):
        problems.add("ended_at", Code.ENDS_BEFORE, _("The end is before the start."))
    return start, ended_at


def _clean_wait(
    problems: Problems, waiting_since: dt.datetime | None, start: dt.datetime
) -> dt.datetime | None:
    """The instant a visitor started waiting: with its zone, not after the start."""
    if waiting_since is None:
        return None
    if waiting_since.tzinfo is None:
        problems.add(
            "waiting_since", Code.NAIVE_TIME, _("Give the time with its zone.")
        )
        return None
    if waiting_since > start:
        problems.add(
            "waiting_since",
            Code.WAIT_AFTER_START,
            _("The visitor waited before the contact started, not after."),
        )
        return None
    return waiting_since


@transaction.atomic
def contact_register(
    *,
    actor: Agent,
    data: ContactInput,
    team: Team | None = None,
    known: Mapping[str, BaseModel] | None = None,
    audited: bool = True,
) -> Contact:
    """Register one contact of `actor`, for their service. The duration is measured:
    the start is when the agent opened the contact (now, when not given), the end is
    given by the screen that closes it (or later, `contact_end`).

    `known`: records the caller has already found among what `actor` sees (persons,
    organisations) or the team uses (topics), by the id or code it was given, so that
    a contact registered with its request does not look them up twice.
    `audited=False`: the caller, in its transaction, appends
    `contact_register_entry(contact)` to the audit trail with its own records, in
    one append (a contact registered with its request)."""
    policy.require(actor, Action.CONTACT_REGISTER)
    problems = Problems()
    found = known or {}

    def seen(field: str, model: type[M], value: str) -> M | None:
        already = found.get(value) if value else None
        if isinstance(already, model):
            return already
        return visible_one(problems, field, actor, model, value)

    acting = acting_team(problems, actor, team)
    channel = choice(problems, "channel", data.channel, Channel.values)
    direction = choice(problems, "direction", data.direction, Direction.values)
    start, end = _clean_times(problems, data.started_at, data.ended_at)
    waiting_since = _clean_wait(problems, data.waiting_since, start)
    person = seen("person", Person, data.person)
    organisation = seen("organisation", Organisation, data.organisation)
    caller = seen("caller_person", Person, data.caller_person)
    caller_org = seen("caller_organisation", Organisation, data.caller_organisation)
    caller_name = text(
        problems, "caller_name", data.caller_name, required=False, max_length=200
    )
    relation = choice(
        problems,
        "caller_relation",
        data.caller_relation,
        CallerRelation.values,
        required=False,
    )
    if (
        (caller or caller_org or caller_name)
        and person is None
        and organisation is None
    ):
        problems.add(
            "person",
            Code.CALLER_WITHOUT_CONCERNED,
            _("Name the person or organisation the caller acts for."),
        )
    if caller is not None and caller == person:
        problems.add(
            "caller_person",
            Code.CALLER_IS_CONCERNED,
            _("The caller is the person concerned: leave the caller empty."),
        )
    anonymous = text(
        problems,
        "anonymous_details",
        data.anonymous_details,
        required=False,
        max_length=1000,
        multiline=True,
    )
    address_used = text(
        problems, "address_used", data.address_used, required=False, max_length=254
    )
    known_topic = found.get(data.topic) if data.topic else None
    topic = (
        known_topic
        if isinstance(known_topic, Topic)
        else (topic_for(problems, "topic", data.topic, acting) if acting else None)
    )
    summary = text(
        problems,
        "summary",
        data.summary,
        required=False,
        max_length=SUMMARY_MAX,
        multiline=True,
    )
    outcome = choice(problems, "outcome", data.outcome, Outcome.values, required=False)
    language = choice(
        problems, "language", data.language, Language.values, required=False
    )
    problems.raise_if_any()
    assert acting is not None  # noqa: S101 - problems raised otherwise
    assert channel is not None  # noqa: S101
    assert direction is not None  # noqa: S101
    contact = Contact(
        channel=channel,
        direction=direction,
        started_at=start,
        ended_at=end,
        agent=actor,
        team=acting,
        person=person,
        organisation=organisation,
        caller_person=caller,
        caller_organisation=caller_org,
        caller_name=caller_name,
        caller_relation=relation or "",
        anonymous_details=anonymous,
        address_used=address_used,
        topic=topic,
        summary=summary,
        outcome=outcome or "",
        language=language or (person.language if person is not None else ""),
        waiting_since=waiting_since,
    )
    contact.save(force_insert=True)
    if audited:
        audit_record_many(actor=actor, entries=[contact_register_entry(contact)])
    return contact


def contact_register_entry(contact: Contact) -> Entry:
    """The audit record of a contact's registration."""
    return Entry(
        action="contact.register",
        obj=contact,
        summary={"channel": contact.channel, "outcome": contact.outcome},
    )


@dataclass(frozen=True)
class ContactCorrection:
    topic: str = ""
    summary: str = ""
    outcome: str = ""


def _snapshot(contact: Contact) -> dict[str, object]:
    return {
        "topic": contact.topic.code if contact.topic_id and contact.topic else None,
        "summary_length": len(contact.summary),
        "outcome": contact.outcome,
        "ended_at": contact.ended_at,
    }


@transaction.atomic
def contact_correct(
    *,
    actor: Agent,
    contact: Contact,
    expected_version: int,
    data: ContactCorrection,
) -> Contact:
    """Correct the topic, summary and outcome of a contact the actor sees."""
    policy.require(actor, Action.CONTACT_EDIT, contact)
    problems = Problems()
    topic = topic_for(problems, "topic", data.topic, contact.team)
    summary = text(
        problems,
        "summary",
        data.summary,
        required=False,
        max_length=SUMMARY_MAX,
        multiline=True,
    )
    outcome = choice(problems, "outcome", data.outcome, Outcome.values, required=False)
    problems.raise_if_any()
    before = _snapshot(contact)
    versioned_update(
        contact,
        expected_version=expected_version,
        topic=topic,
        summary=summary,
        outcome=outcome or "",
    )
    audit_record(
        actor=actor,
        action="contact.correct",
        obj=contact,
        summary={"changes": changes(before, _snapshot(contact))},
    )
    return contact


@transaction.atomic
def contact_end(
    *,
    actor: Agent,
    contact: Contact,
    outcome: str = "",
    at: dt.datetime | None = None,
) -> Contact:
    """Close a contact that is still open, now or `at` (the end a telephone
    system reports): its duration is then known."""
    policy.require(actor, Action.CONTACT_EDIT, contact)
    problems = Problems()
    cleaned = choice(problems, "outcome", outcome, Outcome.values, required=False)
    if contact.ended_at is not None:
        problems.add(
            "ended_at", Code.ALREADY_ENDED, _("This contact has already ended.")
        )
    problems.raise_if_any()
    versioned_update(
        contact,
        expected_version=contact.version,
        ended_at=max(at or clock.now(), contact.started_at),
        outcome=cleaned or contact.outcome,
    )
    audit_record(
        actor=actor,
        action="contact.end",
        obj=contact,
        summary={"outcome": contact.outcome},
    )
    return contact


def contact_identify(
    *, actor: Agent, contact: Contact, expected_version: int, person: str
) -> Contact:
    """Name the person concerned of a contact registered as anonymous, once they
    are known (issue #13, item 2: an anonymous contact "with what is known"). What
    was known of the caller stays; the person must be one the actor sees (a hidden
    one is "not found", as a missing one), and a contact that already names a person
    or an organisation is not re-identified (a wrong person is corrected by hand)."""
    policy.require(actor, Action.CONTACT_EDIT, contact)
    problems = Problems()
    if not person:
        problems.add("person", "required", _("This field is required."))
    found = visible_one(problems, "person", actor, Person, person)
    if contact.person_id is not None or contact.organisation_id is not None:
        problems.add(
            "person",
            Code.ALREADY_IDENTIFIED,
            _("This contact already names whom it concerns."),
        )
    if found is not None and found.pk == contact.caller_person_id:
        problems.add(
            "person",
            Code.CALLER_IS_CONCERNED,
            _("The caller is the person concerned: leave the caller empty."),
        )
    problems.raise_if_any()
    assert found is not None  # noqa: S101 - problems raised otherwise
    with transaction.atomic():
        versioned_update(
            contact,
            expected_version=expected_version,
            person=found,
            language=contact.language or found.language,
        )
        audit_record(
            actor=actor,
            action="contact.identify",
            obj=contact,
            summary={"person": str(found.uuid), "was_anonymous": True},
        )
    return contact
