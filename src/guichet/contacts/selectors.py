"""Reads of contacts and topics: always for an agent, always through the policy."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.policy import Seen
from guichet.agents.models import Agent, Team
from guichet.audit.services import access_record
from guichet.core.errors import NotFound
from guichet.core.validation import parse_uuid
from guichet.parties.models import Person

from .models import Contact, Topic


def contacts_visible(*, agent: Agent) -> QuerySet[Contact]:
    return policy.visible(agent, Contact.objects.all()).select_related(
        "agent", "team", "topic", "person", "organisation", "caller_person"
    )


def contacts_of_person(
    *, agent: Agent, person: Person, limit: int = 50
) -> list[Contact]:
    """The contacts that concern `person` or that they made for someone else, newest
    first (the caller of the 360° view has already checked the person is seen)."""
    rows = list(
        contacts_visible(agent=agent).filter(
            Q(person=person) | Q(caller_person=person)
        )[:limit]
    )
    if rows:
        access_record(actor=agent, action="contact.list", objects=rows, obj=person)
    return rows


def contact_get_for_agent(*, agent: Agent, uuid: object) -> Seen[Contact]:
    """One contact the agent sees, with what they may do on it; else `NotFound`."""
    parsed = parse_uuid(uuid)
    contact = (
        contacts_visible(agent=agent).filter(uuid=parsed).first() if parsed else None
    )
    if contact is None:
        raise NotFound(_("No such contact."))
    access_record(actor=agent, action="contact.read", obj=contact)
    return policy.seen(agent, contact)


@dataclass(frozen=True)
class TopicOption:
    uuid: str
    code: str
    label: str
    depth: int


def topic_options(*, team: Team | None, language: str) -> list[TopicOption]:
    """The active topics a service uses, as a tree in display order, named in
    `language` ("Consular matters > Legalisation")."""
    topics = list(
        Topic.objects.filter(Q(team__isnull=True) | Q(team=team), is_active=True)
    )
    children: dict[int | None, list[Topic]] = {}
    by_id = {topic.pk: topic for topic in topics}
    for topic in topics:
        parent = topic.parent_id if topic.parent_id in by_id else None
        children.setdefault(parent, []).append(topic)
    options: list[TopicOption] = []

    def walk(parent: int | None, trail: list[str]) -> None:
        for topic in sorted(children.get(parent, []), key=lambda t: (t.order, t.code)):
            path = [*trail, topic.name(language)]
            options.append(
                TopicOption(str(topic.uuid), topic.code, " > ".join(path), len(trail))
            )
            walk(topic.pk, path)

    walk(None, [])
    return options
