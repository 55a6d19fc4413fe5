"""Reads of persons and organisations: always for an agent, always through the policy.

Missing and forbidden look the same (`NotFound`); every read of a person's data is
written to the access log.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

import phonenumbers

from guichet.access import policy
from guichet.access.policy import Seen
from guichet.agents.models import Agent
from guichet.audit.models import AuditEvent, Chain
from guichet.audit.services import access_record
from guichet.checks.bce import check_bce
from guichet.core.errors import NotFound, ValidationFailed
from guichet.core.text import digits, fold
from guichet.core.validation import parse_uuid

from . import history, merge, search
from .errors import Code
from .models import (
    EmailAddress,
    Organisation,
    PartyLink,
    Person,
    PhoneNumber,
    PostalAddress,
)
from .similarity import similarity

# Names at or above this trigram similarity, with the same birth date, are flagged
# as a likely duplicate ("Dupont Jean" and "Dupond Jean" score 0.64).
DUPLICATE_SIMILARITY = 0.5


def persons_visible(*, agent: Agent) -> QuerySet[Person]:
    """The persons the agent may see, less those merged into another one
    (parties/merge.py): those answer only "merged into" (`person_get_for_agent`)."""
    return policy.visible(agent, Person.objects.filter(merged_into__isnull=True))


def _with_contact_points(queryset: QuerySet[Person]) -> QuerySet[Person]:
    return queryset.select_related("confidential_team").prefetch_related(
        Prefetch("phones", queryset=PhoneNumber.objects.all()),
        Prefetch("emails", queryset=EmailAddress.objects.all()),
        Prefetch("addresses", queryset=PostalAddress.objects.all()),
        "links__organisation",
    )


def person_get_for_agent(
    *, agent: Agent, person_id: str | uuid_module.UUID, purpose: str = "view"
) -> Seen[Person]:
    """One person, with contact points and the actions the agent may take on them,
    if the agent may see them; the read is logged (once)."""
    key = parse_uuid(person_id)
    person = (
        _with_contact_points(persons_visible(agent=agent)).filter(uuid=key).first()
        if key
        else None
    )
    if person is None:
        raise _merged_or_missing(agent, key)
    access_record(
        actor=agent, action="person.view", obj=person, context={"purpose": purpose}
    )
    return policy.seen(agent, person)


def _merged_or_missing(agent: Agent, key: uuid_module.UUID | None) -> Exception:
    """`PersonMerged` naming the person a visible, merged id lives in now, if the
    agent sees that one too; otherwise `NotFound`."""
    merged = (
        policy.visible(agent, Person.objects.filter(merged_into__isnull=False))
        .filter(uuid=key)
        .first()
        if key
        else None
    )
    kept = merge.final_person(merged) if merged is not None else None
    if (
        merged is None
        or kept is None
        or not policy.visible(agent, Person.objects.filter(pk=kept.pk))
    ):
        return NotFound(_("No such person."))
    return merge.merged_error(merged, kept)


def person_list_for_agent(
    *, agent: Agent, person_ids: Sequence[str | uuid_module.UUID], purpose: str
) -> list[Person]:
    """The persons of `person_ids` the agent may see, by name (a duplicate
    warning's candidates, say); ids that are not visible are left out, and the
    read is logged."""
    keys = [key for key in (parse_uuid(value) for value in person_ids) if key]
    persons = list(
        persons_visible(agent=agent).filter(uuid__in=keys).order_by("search_name", "id")
    )
    if persons:
        access_record(
            actor=agent,
            action="person.search",
            objects=persons,
            context={"purpose": purpose},
        )
    return persons


def person_search(
    *,
    agent: Agent,
    national_number: str | None = None,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    page: int = 1,
    page_size: int = 20,
) -> search.Page[Person]:
    """Find persons by national number, name, e-mail or phone; the results read is logged."""
    visible = persons_visible(agent=agent)
    criteria = {
        "national_number": national_number,
        "name": name,
        "email": email,
        "phone": phone,
    }
    given = {
        key: value.strip() for key, value in criteria.items() if value and value.strip()
    }
    if not given:
        raise ValidationFailed(
            _("Give a national number, a name, an e-mail address or a phone number."),
            code=Code.NO_CRITERION,
        )
    if "national_number" in given:
        visible = visible.filter(national_number=digits(given["national_number"]))
    if "email" in given:
        # An IN over the indexed contact table, not a correlated EXISTS: SQLite
        # would run the EXISTS once per person (bench/RESULTS.md, 100k persons).
        visible = visible.filter(
            id__in=EmailAddress.objects.filter(
                address_key=given["email"].lower(), person__isnull=False
            ).values("person_id")
        )
    if "phone" in given:
        visible = visible.filter(
            id__in=PhoneNumber.objects.filter(
                e164=_phone_key(given["phone"]), person__isnull=False
            ).values("person_id")
        )
    if "name" in given:
        result = search.name_search(
            visible, given["name"], page=page, page_size=page_size
        )
    else:
        offset = (page - 1) * page_size
        rows = list(
            visible.order_by("search_name", "id")[offset : offset + page_size + 1]
        )
        result = search.Page(
            items=rows[:page_size],
            page=page,
            page_size=page_size,
            has_next=len(rows) > page_size,
        )
    access_record(
        actor=agent,
        action="person.search",
        objects=list(result.items),
        context={"criteria": sorted(given), "page": page},
    )
    return result


def _phone_key(value: str) -> str:
    try:
        parsed = phonenumbers.parse(value, "BE")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def person_find_likely_duplicates(
    *, given_names: str, surname: str, birth_date: Any, exclude_id: int | None = None
) -> list[Person]:
    """Persons born the same day whose name is close (all of them, visible or not).

    Few persons share a birth date, so the comparison runs in Python over them;
    the trigram measure is the same as the search's.
    """
    if birth_date is None:
        return []
    wanted = fold(f"{surname} {given_names}")
    same_day = Person.objects.filter(birth_date=birth_date, merged_into__isnull=True)
    if exclude_id is not None:
        same_day = same_day.exclude(id=exclude_id)
    return [
        person
        for person in same_day
        if similarity(wanted, person.search_name) >= DUPLICATE_SIMILARITY
    ]


def organisations_visible(*, agent: Agent) -> QuerySet[Organisation]:
    return policy.visible(agent, Organisation.objects.all())


def organisation_get_for_agent(
    *, agent: Agent, organisation_id: str | uuid_module.UUID
) -> Organisation:
    key = parse_uuid(organisation_id)
    organisation = (
        organisations_visible(agent=agent)
        .prefetch_related("phones", "emails", "addresses", "links__person")
        .filter(uuid=key)
        .first()
        if key
        else None
    )
    if organisation is None:
        raise NotFound(_("No such organisation."))
    return organisation


def organisation_search(
    *,
    agent: Agent,
    enterprise_number: str | None = None,
    name: str | None = None,
    page: int = 1,
    page_size: int = 20,
) -> search.Page[Organisation]:
    visible = organisations_visible(agent=agent)
    if enterprise_number and enterprise_number.strip():
        visible = visible.filter(
            enterprise_number=check_bce(enterprise_number).normalized
        )
    elif name and fold(name):
        for word in fold(name).split():
            visible = visible.filter(search_name__contains=word)
    else:
        raise ValidationFailed(
            _("Give an enterprise number or a name."), code=Code.NO_CRITERION
        )
    offset = (page - 1) * page_size
    rows = list(visible.order_by("search_name", "id")[offset : offset + page_size + 1])
    return search.Page(
        items=rows[:page_size],
        page=page,
        page_size=page_size,
        has_next=len(rows) > page_size,
    )


@dataclass(frozen=True)
class PersonChange:
    """One recorded write to a person, as the audit trail keeps it."""

    occurred_at: dt.datetime
    agent: str
    action: str
    sentence: str | Promise  # what happened, in words (`parties.history`)
    version: int | None
    changes: Mapping[str, list[Any]]
    added: str = ""
    removed: str = ""
    about: str = ""  # the object of another app it was recorded on (a debt)
    detail: str = ""  # what happened, in words (`HistoryKind.describe`)


def person_changes_for_agent(
    *,
    agent: Agent,
    person_id: str | uuid_module.UUID,
    since_version: int = 0,
    limit: int = 50,
) -> list[PersonChange]:
    """The latest writes to a visible person (newest first), from the audit trail,
    with those recorded on other apps' objects about the person that the agent
    sees (a debt's entries and comments: `parties.history`).

    `since_version` keeps only the writes that produced a later version: what
    another agent changed after the version an edit was based on. The read is
    logged like any read of the person's data.
    """
    key = parse_uuid(person_id)
    person = persons_visible(agent=agent).filter(uuid=key).first() if key else None
    if person is None:
        raise NotFound(_("No such person."))
    recorded_on = Q(object_type=Person._meta.label_lower, object_id=str(person.uuid))
    named: dict[tuple[str, str], str] = {}
    # Other apps' objects about the person (`history.HistorySource`), only those
    # the agent sees; not when asking what changed the person's own version.
    for source in [] if since_version else history.sources():
        objects = source.objects(agent, person)
        if objects:
            recorded_on |= Q(
                object_type=source.object_type, object_id__in=list(objects)
            )
            named |= {
                (source.object_type, public_id): words
                for public_id, words in objects.items()
            }
    events = (
        AuditEvent.objects.filter(recorded_on, chain=Chain.CHANGES)
        .select_related("actor")
        .order_by("-id")
    )
    found = []
    for event in events[:limit]:
        summary = event.summary
        on_person = event.object_type == Person._meta.label_lower
        # A version is the person's only on the person's own entries.
        version = summary.get("version") if on_person else None
        if since_version and (version is None or version <= since_version):
            continue
        kind = history.kind_of(event.action)
        if kind is None or not policy.may(agent, kind.needs):
            continue
        if kind.shows is not None and not kind.shows(agent, summary):
            continue
        found.append(
            PersonChange(
                occurred_at=event.occurred_at,
                agent=str(event.actor) if event.actor else event.actor_label,
                action=event.action,
                sentence=kind.sentence,
                version=version,
                changes={} if kind.describe else _changed_fields(summary),
                added=summary.get("added", ""),
                removed=summary.get("removed", ""),
                about=named.get((event.object_type, event.object_id), ""),
                detail=kind.describe(summary, event.reason) if kind.describe else "",
            )
        )
    access_record(
        actor=agent,
        action="person.history",
        obj=person,
        context={"since_version": since_version},
    )
    return found


def organisation_people_for_agent(
    *, agent: Agent, organisation: Organisation
) -> list[PartyLink]:
    """The organisation's links to persons the agent may see; the read is logged.

    `organisation_get_for_agent` prefetches every link, confidential persons
    included: a screen listing the people of an organisation uses this instead.
    """
    links = list(
        PartyLink.objects.filter(
            organisation=organisation,
            person__in=persons_visible(agent=agent),
        )
        .select_related("person")
        .order_by("person__search_name", "kind", "id")
    )
    if links:
        access_record(
            actor=agent,
            action="person.search",
            objects=[link.person for link in links],
            context={"organisation": str(organisation.uuid)},
        )
    return links


def _changed_fields(summary: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]}; a creation lists its values as after, before None."""
    if "changes" in summary:
        return dict(summary["changes"])
    created = summary.get("after") or {}
    return {
        name: [None, value]
        for name, value in created.items()
        if value not in (None, "")
    }


def organisation_list_for_agent(
    *,
    agent: Agent,
    name: str = "",
    language: str = "",
    order: str = "name",
    page: int = 1,
    page_size: int = 20,
) -> search.Page[Organisation]:
    """Organisations the agent may see, filtered, sorted and paged by the database.

    `order` is one of ORGANISATION_ORDERS (a leading "-" for descending); an
    unknown value sorts by name.
    """
    visible = organisations_visible(agent=agent)
    for word in fold(name).split():
        visible = visible.filter(search_name__contains=word)
    if language:
        visible = visible.filter(language=language)
    columns = ORGANISATION_ORDERS.get(order, ORGANISATION_ORDERS["name"])
    offset = (max(page, 1) - 1) * page_size
    rows = list(visible.order_by(*columns)[offset : offset + page_size + 1])
    return search.Page(
        items=rows[:page_size],
        page=max(page, 1),
        page_size=page_size,
        has_next=len(rows) > page_size,
    )


ORGANISATION_ORDERS: dict[str, tuple[str, ...]] = {
    "name": ("search_name", "id"),
    "-name": ("-search_name", "-id"),
    "enterprise_number": ("enterprise_number", "id"),
    "-enterprise_number": ("-enterprise_number", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
}
