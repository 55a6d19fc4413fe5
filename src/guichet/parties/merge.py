"""Merging two records of one citizen (issue #19): one person kept, the other absorbed.

`person_merge` keeps one person and moves onto it every row that pointed at the
other: contact points, links, contacts, requests, dossiers, documents, letters,
mail, debts, appointments, payments' beneficiaries, inbound e-mail. The absorbed
person's row stays, with `merged_into` and `merged_at`, so its id can be traced; it
leaves the search, the lists and the duplicates report (`parties/duplicates.py`).

Who may merge: `person.merge` (access/domains/parties.py), the supervisors and the
support agents of level C or higher, on two persons they both see.

The rows belong to apps above this one, which this app may not import
(ARCHITECTURE.md, "A lower app that must react to a higher one"): each app that
holds a foreign key to `Person` registers a `Mover` here from its `AppConfig.ready`
(its own `merge.py`), naming the fields it moves. `tests/parties/test_merge.py`
enumerates every key to `Person` in the project and fails when one has no mover, so
a new app's key cannot be forgotten.

A mover may refuse the merge with a reason (two beneficiary records of one payment
office; append-only garnishment postings of the absorbed person): then nothing is
changed. The merge is one transaction: both rows locked (in id order), both
versions checked, every mover run, one audit record `person.merge` on the kept
person (both ids, the rows moved per kind, the reason) which its History shows.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.parties import Action
from guichet.agents.models import Agent
from guichet.audit.services import audit_record
from guichet.core import clock
from guichet.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from guichet.core.validation import parse_uuid
from guichet.core.versioning import check_version, versioned_update

from .errors import Code
from .models import Person, Sex

# The rows a mover moved, per kind ("phones": 2).
Counts = Mapping[str, int]


@dataclass(frozen=True)
class Mover:
    """Moves one app's rows from an absorbed person to the kept one.

    `fields`: the keys to `Person` it takes care of, as "app_label.model.field"
    (lower case). `count(agent, person)`: the rows of this kind the agent may see
    (the comparison page); `refuse(keep, absorb)`: why the merge cannot go, if it
    cannot (empty: it can); `move(keep, absorb)`: move them, return the counts.
    """

    key: str
    label: str | Promise
    fields: frozenset[str]
    move: Callable[[Person, Person], Counts]
    count: Callable[[Agent, Person], int] | None = None
    refuse: Callable[[Person, Person], list[str | Promise]] = field(
        default=lambda keep, absorb: []
    )
    order: int = 100


_MOVERS: dict[str, Mover] = {}


def register(mover: Mover) -> Mover:
    known = _MOVERS.get(mover.key)
    if known is not None and known.fields != mover.fields:
        raise ValueError(f"merge mover {mover.key!r} is registered twice")
    _MOVERS[mover.key] = mover
    return mover


def movers() -> list[Mover]:
    return sorted(_MOVERS.values(), key=lambda mover: (mover.order, mover.key))


def covered_fields() -> frozenset[str]:
    """Every key to `Person` some mover takes care of."""
    return frozenset().union(*(mover.fields for mover in _MOVERS.values()))


def field_name(model: type[models.Model], name: str) -> str:
    return f"{model._meta.label_lower}.{name}"


def repoint(model: type[models.Model], name: str, keep: Person, absorb: Person) -> int:
    """Point every `model` row whose `name` is the absorbed person at the kept one;
    a versioned row gets its next version (an edit based on the old one is stale)."""
    values: dict[str, Any] = {name: keep}
    if any(f.name == "version" for f in model._meta.concrete_fields):
        values["version"] = F("version") + 1
    return model._default_manager.filter(**{name: absorb}).update(**values)


def visible_count(
    model: type[models.Model], *names: str
) -> Callable[[Agent, Person], int]:
    """Count of `model` rows pointing at the person through any of `names`, among
    those the agent may see."""

    def count(agent: Agent, person: Person) -> int:
        condition = models.Q()
        for name in names:
            condition |= models.Q(**{name: person})
        return policy.visible(agent, model._default_manager.filter(condition)).count()

    return count


def foreign_key_mover(
    key: str,
    label: str | Promise,
    model: type[models.Model],
    *names: str,
    refuse: Callable[[Person, Person], list[str | Promise]] | None = None,
    order: int = 100,
) -> Mover:
    """The mover of plain keys: every row repointed, counted under `key`."""

    def move(keep: Person, absorb: Person) -> Counts:
        return {key: sum(repoint(model, name, keep, absorb) for name in names)}

    return Mover(
        key=key,
        label=label,
        fields=frozenset(field_name(model, name) for name in names),
        move=move,
        count=visible_count(model, *names),
        refuse=refuse or (lambda keep, absorb: []),
        order=order,
    )


class PersonMerged(Conflict):
    """The person was merged into another one: `extra["merged_into"]` is its id."""

    default_code = Code.PERSON_MERGED


class MergeRefused(Conflict):
    default_code = Code.MERGE_REFUSED


def merged_error(person: Person, kept: Person) -> PersonMerged:
    return PersonMerged(
        _("This person was merged into %(kept)s; their records are there now."),
        params={"kept": str(kept)},
        extra={"merged_into": str(kept.uuid)},
    )


def final_person(person: Person) -> Person:
    """The person a chain of merges ends at (the person itself if never merged)."""
    seen: set[int] = set()
    while person.merged_into_id is not None and person.pk not in seen:
        seen.add(person.pk)
        person = Person.objects.get(pk=person.merged_into_id)
    return person


def _locked_pair(actor: Agent, keep: Any, absorb: Any) -> tuple[Person, Person]:
    first, second = parse_uuid(keep), parse_uuid(absorb)
    if first is None or second is None:
        raise NotFound(_("No such person."))
    keys = [first, second]
    if keys[0] == keys[1]:
        raise ValidationFailed(
            _("A person cannot be merged with themselves."), code=Code.SAME_PERSON
        )
    rows = {
        person.uuid: person
        for person in policy.visible(actor, Person.objects.filter(uuid__in=keys))
        .order_by("id")
        .select_for_update()
    }
    if len(rows) != 2:
        raise NotFound(_("No such person."))
    return rows[keys[0]], rows[keys[1]]


def _identity_taken(keep: Person, absorb: Person) -> dict[str, Any]:
    """What the kept person lacks and the absorbed one knows: its national number
    (with its type), birth date, sex."""
    values: dict[str, Any] = {}
    if absorb.national_number and not keep.national_number:
        values["national_number"] = absorb.national_number
        values["national_number_type"] = absorb.national_number_type
    if absorb.birth_date and not keep.birth_date:
        values["birth_date"] = absorb.birth_date
    if absorb.sex != Sex.UNKNOWN and keep.sex == Sex.UNKNOWN:
        values["sex"] = absorb.sex
    return values


def merge_refusals(keep: Person, absorb: Person) -> list[str | Promise]:
    """Why these two cannot be merged (empty: they can), as the screen shows it."""
    reasons: list[str | Promise] = []
    if keep.merged_into_id or absorb.merged_into_id:
        reasons.append(_("One of the two persons was merged already."))
    if (
        keep.national_number
        and absorb.national_number
        and keep.national_number != absorb.national_number
    ):
        reasons.append(
            _(
                "Both persons have a national number, and they differ: they are "
                "two people."
            )
        )
    if keep.confidential_team_id != absorb.confidential_team_id:
        reasons.append(
            _(
                "The two persons are not restricted in the same way: align their "
                "access first."
            )
        )
    for mover in movers():
        reasons.extend(mover.refuse(keep, absorb))
    return reasons


@transaction.atomic
def person_merge(
    *,
    actor: Agent,
    keep: Any,
    absorb: Any,
    reason: str,
    keep_version: int,
    absorb_version: int,
) -> Person:
    """Merge `absorb` into `keep` (public ids): every row moves to `keep`.

    Refused, with nothing changed: the same person twice, one of them merged
    already or not visible (404), the actor without `person.merge` (403), a stale
    version of either (412), two different national numbers, a different
    restriction, a mover's refusal (409), no reason (422).
    """
    policy.require(actor, Action.PERSON_MERGE)
    kept, absorbed = _locked_pair(actor, keep, absorb)
    policy.require(actor, Action.PERSON_MERGE, kept)
    policy.require(actor, Action.PERSON_MERGE, absorbed)
    check_version(kept, keep_version)
    check_version(absorbed, absorb_version)
    if not reason.strip():
        raise ValidationFailed(
            _("Some fields are not valid; nothing was saved."),
            errors=[
                FieldError("reason", Code.REQUIRED, _("Say why these are one person."))
            ],
        )
    refusals = merge_refusals(kept, absorbed)
    if refusals:
        raise MergeRefused(
            _("These persons cannot be merged: %(reasons)s"),
            params={"reasons": " ".join(str(text) for text in refusals)},
        )
    taken = _identity_taken(kept, absorbed)
    moved: dict[str, int] = {}
    for mover in movers():
        for key, count in mover.move(kept, absorbed).items():
            moved[key] = moved.get(key, 0) + count
    now = clock.now()
    absorbed_values: dict[str, Any] = {"merged_into": kept, "merged_at": now}
    if "national_number" in taken:
        absorbed_values.update(national_number=None, national_number_type="")
    versioned_update(absorbed, expected_version=absorb_version, **absorbed_values)
    versioned_update(kept, expected_version=keep_version, **taken)
    audit_record(
        actor=actor,
        action="person.merge",
        obj=kept,
        summary={
            "kept": str(kept.uuid),
            "absorbed": str(absorbed.uuid),
            "moved": {key: count for key, count in sorted(moved.items()) if count},
            "taken": sorted(taken),
            "version": kept.version,
        },
        reason=reason.strip(),
    )
    return kept


def merge_trace(person_id: str | uuid_module.UUID) -> Person | None:
    """The person a merged id now lives in (None: not merged, or unknown)."""
    key = parse_uuid(person_id)
    person = Person.objects.filter(uuid=key).first() if key else None
    if person is None or person.merged_into_id is None:
        return None
    return final_person(person)


# The parties' own rows: contact points, links to organisations, earlier merges.

MAX_CONTACT_POINTS = 20


def _address_key(row: Any) -> tuple[str, ...]:
    from guichet.core.text import fold

    return (
        row.country,
        row.postal_code.strip(),
        fold(row.street),
        fold(row.house_number),
        fold(row.box),
        fold(row.municipality) if row.country != "BE" else "",
        fold(row.lines),
    )


_CONTACT_POINT_KEYS: dict[str, Callable[[Any], Any]] = {
    "phones": lambda row: row.e164,
    "emails": lambda row: row.address_key,
    "addresses": _address_key,
}


def _split(keep: Person, absorb: Person, kind: str) -> tuple[list[Any], list[Any]]:
    """The absorbed person's contact points of `kind`: (new to the kept person,
    identical to one of theirs)."""
    key = _CONTACT_POINT_KEYS[kind]
    held = {key(row) for row in getattr(keep, kind).all()}
    new: list[Any] = []
    identical: list[Any] = []
    for row in getattr(absorb, kind).all():
        (identical if key(row) in held else new).append(row)
        held.add(key(row))
    return new, identical


def _contact_points_refuse(keep: Person, absorb: Person) -> list[str | Promise]:
    from .validation import _CONTACT_KINDS

    reasons: list[str | Promise] = []
    for kind in _CONTACT_POINT_KEYS:
        new, _identical = _split(keep, absorb, kind)
        total = getattr(keep, kind).count() + len(new)
        if total > MAX_CONTACT_POINTS:
            reasons.append(
                _(
                    "Together they would have %(count)d %(kind)s, more than %(max)d: "
                    "remove those no longer used first."
                )
                % {
                    "count": total,
                    "kind": _CONTACT_KINDS[kind],
                    "max": MAX_CONTACT_POINTS,
                }
            )
    return reasons


def _contact_points_move(keep: Person, absorb: Person) -> Counts:
    counts: dict[str, int] = {}
    for kind in _CONTACT_POINT_KEYS:
        new, identical = _split(keep, absorb, kind)
        model = getattr(Person, kind).field.model
        has_primary = getattr(keep, kind).filter(is_primary=True).exists()
        if new:
            model.objects.filter(pk__in=[row.pk for row in new]).update(person=keep)
            if has_primary:
                model.objects.filter(
                    pk__in=[row.pk for row in new], is_primary=True
                ).update(is_primary=False)
        if identical:
            model.objects.filter(pk__in=[row.pk for row in identical]).delete()
        counts[kind] = len(new)
        counts[f"{kind}_identical"] = len(identical)
    return counts


def _links_move(keep: Person, absorb: Person) -> Counts:
    from .models import PartyLink

    held = set(keep.links.values_list("organisation_id", "kind"))
    moved = identical = 0
    for link in absorb.links.all():
        if (link.organisation_id, link.kind) in held:
            link.delete()
            identical += 1
        else:
            PartyLink.objects.filter(pk=link.pk).update(person=keep)
            moved += 1
    return {"links": moved, "links_identical": identical}


def _earlier_merges_move(keep: Person, absorb: Person) -> Counts:
    """Persons merged into the absorbed one earlier now point at the kept one."""
    return {"merged_persons": repoint(Person, "merged_into", keep, absorb)}


def register_parties_movers() -> None:
    from .models import EmailAddress, PartyLink, PhoneNumber, PostalAddress

    register(
        Mover(
            key="contact_points",
            label=_("Contact points"),
            fields=frozenset(
                field_name(model, "person")
                for model in (PhoneNumber, EmailAddress, PostalAddress)
            ),
            move=_contact_points_move,
            refuse=_contact_points_refuse,
            order=0,
        )
    )
    register(
        Mover(
            key="links",
            label=_("Links to organisations"),
            fields=frozenset({field_name(PartyLink, "person")}),
            move=_links_move,
            count=lambda agent, person: person.links.count(),
            order=1,
        )
    )
    register(
        Mover(
            key="merged_persons",
            label=_("Records merged earlier"),
            fields=frozenset({field_name(Person, "merged_into")}),
            move=_earlier_merges_move,
            order=2,
        )
    )
