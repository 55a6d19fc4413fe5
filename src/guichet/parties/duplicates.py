"""Likely duplicate persons: pairs of records that may be one citizen, with a score.

Scoring (pure: `score`, `name_match`) adds the points of each reason found and
keeps the total between 0 and 100:

- names: the same once folded (`core.text.fold`: case, accents, punctuation; the
  given names and surname swapped counts as the same) 40, or one edit apart
  (`parties.similarity.within_one_edit` on the surname or the given names, the
  other part the same: a typo) 30;
- birth date: the same 30; both known and different -40 (two people, unless a
  typo in the date, which the agent then sees in the comparison);
- the same e-mail address 20, phone number 20, postal address (postal code, folded
  street, house number and box) 15.

Two persons with a national number each are never proposed: the number is unique,
so theirs differ, and two different national register numbers are two people (the
merge refuses them too). A pair is reported from `MINIMUM_SCORE` (50): a name and a
birth date, a name and a contact point, ...

Blocking: pairs are never formed from all persons. Candidates share something
found with indexed queries: a birth date (`parties_person_birth_idx`; within one
day, only names that match are paired), a folded name (`search_name` index), an
e-mail address (`address_key`), a phone number (`e164`) or a postal code and house
number. A value shared by more than `BLOCK_LIMIT` persons (an office's switchboard,
a shelter's address) pairs nobody: it says nothing about identity. Measured in
docs/merge.md.

Only persons the agent may see are read (`policy.visible`), both of a pair, and
never a merged one; the persons shown are written to the access log.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.agents.models import Agent
from guichet.audit.services import access_record
from guichet.core.text import fold

from .models import EmailAddress, Person, PhoneNumber, PostalAddress
from .similarity import within_one_edit

MINIMUM_SCORE = 50
BLOCK_LIMIT = 50  # persons sharing one contact point, one name, or one birth date block
BIRTH_DATE_BLOCK_LIMIT = 2000


@dataclass(frozen=True)
class Reason:
    code: str
    label: str | Promise
    points: int


REASONS: dict[str, Reason] = {
    reason.code: reason
    for reason in (
        Reason("same_name", _("same name"), 40),
        Reason("name_one_edit", _("names one letter apart"), 30),
        Reason("same_birth_date", _("same birth date"), 30),
        Reason("different_birth_date", _("different birth dates"), -40),
        Reason("same_email", _("same e-mail address"), 20),
        Reason("same_phone", _("same phone number"), 20),
        Reason("same_address", _("same postal address"), 15),
    )
}


@dataclass(frozen=True)
class Facts:
    """What the scoring reads of one person."""

    id: int
    surname: str  # folded
    given_names: str  # folded
    birth_date: dt.date | None
    has_national_number: bool


@dataclass(frozen=True)
class Pair:
    first: Person
    second: Person
    score: int
    reasons: tuple[Reason, ...]


def facts_of(person: Any) -> Facts:
    return Facts(
        id=person.id,
        surname=fold(person.surname),
        given_names=fold(person.given_names),
        birth_date=person.birth_date,
        has_national_number=bool(person.national_number),
    )


def name_match(a: Facts, b: Facts) -> str | None:
    """ "same_name", "name_one_edit" or None."""
    if (a.surname, a.given_names) in {
        (b.surname, b.given_names),
        (b.given_names, b.surname),
    }:
        return "same_name"
    if (a.given_names == b.given_names and within_one_edit(a.surname, b.surname)) or (
        a.surname == b.surname and within_one_edit(a.given_names, b.given_names)
    ):
        return "name_one_edit"
    return None


def score(
    a: Facts, b: Facts, shared: Iterable[str] = ()
) -> tuple[int, tuple[Reason, ...]]:
    """The pair's score (0-100) and its reasons; `shared`: the contact points they
    share ("same_email", "same_phone", "same_address"). Two national numbers: 0."""
    if a.has_national_number and b.has_national_number:
        return 0, ()
    codes: list[str] = []
    name = name_match(a, b)
    if name:
        codes.append(name)
    if a.birth_date and b.birth_date:
        codes.append(
            "same_birth_date"
            if a.birth_date == b.birth_date
            else "different_birth_date"
        )
    codes.extend(
        code
        for code in ("same_email", "same_phone", "same_address")
        if code in set(shared)
    )
    reasons = tuple(REASONS[code] for code in codes)
    total = sum(reason.points for reason in reasons)
    return max(0, min(100, total)), reasons


def _pairs_in(groups: Iterable[list[int]]) -> Iterable[tuple[int, int]]:
    for members in groups:
        if 1 < len(members) <= BLOCK_LIMIT:
            yield from itertools.combinations(sorted(set(members)), 2)


def _shared_values(
    rows: QuerySet[Any], visible_ids: QuerySet[Any], *keys: str
) -> dict[tuple[Any, ...], list[int]]:
    """person ids per value of `keys`, for values at least two visible persons share."""
    mine = rows.filter(person_id__in=visible_ids)
    shared = (
        mine.values(*keys)
        .annotate(persons=Count("person_id", distinct=True))
        .filter(persons__gt=1, persons__lte=BLOCK_LIMIT)
    )
    wanted = set(shared.values_list(*keys))
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    if not wanted:
        return groups
    first_key = keys[0]
    for row in mine.filter(
        **{f"{first_key}__in": shared.values(first_key)}
    ).values_list("person_id", *keys):
        if row[1:] in wanted:
            groups[row[1:]].append(row[0])
    return groups


def _contact_point_pairs(visible_ids: QuerySet[Any]) -> dict[tuple[int, int], set[str]]:
    shared: dict[tuple[int, int], set[str]] = defaultdict(set)
    emails = _shared_values(EmailAddress.objects.all(), visible_ids, "address_key")
    phones = _shared_values(PhoneNumber.objects.all(), visible_ids, "e164")
    for code, groups in (("same_email", emails), ("same_phone", phones)):
        for pair in _pairs_in(groups.values()):
            shared[pair].add(code)
    # Addresses: one postal code and house number, then the folded street and box.
    places = _shared_values(
        PostalAddress.objects.exclude(house_number=""),
        visible_ids,
        "postal_code",
        "house_number",
    )
    if places:
        streets: dict[tuple[str, ...], list[int]] = defaultdict(list)
        ids = {person for members in places.values() for person in members}
        for person_id, code, number, street, box in PostalAddress.objects.filter(
            person_id__in=ids
        ).values_list("person_id", "postal_code", "house_number", "street", "box"):
            streets[(code, fold(number), fold(street), fold(box))].append(person_id)
        for pair in _pairs_in(streets.values()):
            shared[pair].add("same_address")
    return shared


def _birth_date_pairs(
    visible: QuerySet[Person],
) -> tuple[set[tuple[int, int]], dict[int, Facts]]:
    """Pairs born the same day whose names match, and the facts read."""
    days = (
        visible.filter(birth_date__isnull=False)
        .values("birth_date")
        .annotate(persons=Count("id"))
        .filter(persons__gt=1, persons__lte=BIRTH_DATE_BLOCK_LIMIT)
        .values("birth_date")
    )
    by_day: dict[dt.date, list[Facts]] = defaultdict(list)
    facts: dict[int, Facts] = {}
    for row in visible.filter(birth_date__in=days).only(
        "id", "surname", "given_names", "birth_date", "national_number"
    ):
        item = facts_of(row)
        facts[item.id] = item
        by_day[item.birth_date].append(item)  # type: ignore[index]
    pairs: set[tuple[int, int]] = set()
    for members in by_day.values():
        # Within a day, pair by a name key first: the same surname, the same given
        # names, or one of them within one edit (their shared deletions).
        keys: dict[tuple[str, str], list[int]] = defaultdict(list)
        for item in members:
            for part, value in (("s", item.surname), ("g", item.given_names)):
                keys[(part, value)].append(item.id)
        for group in keys.values():
            for a, b in itertools.combinations(sorted(set(group)), 2):
                if name_match(facts[a], facts[b]):
                    pairs.add((a, b))
    return pairs, facts


def _name_pairs(visible: QuerySet[Person]) -> set[tuple[int, int]]:
    names = (
        visible.values("search_name")
        .annotate(persons=Count("id"))
        .filter(persons__gt=1, persons__lte=BLOCK_LIMIT)
        .values("search_name")
    )
    groups: dict[str, list[int]] = defaultdict(list)
    for person_id, name in visible.filter(search_name__in=names).values_list(
        "id", "search_name"
    ):
        groups[name].append(person_id)
    return set(_pairs_in(groups.values()))


def candidate_pairs(
    visible: QuerySet[Person],
) -> list[tuple[int, int, int, tuple[Reason, ...]]]:
    """(first id, second id, score, reasons) of every pair at or above the minimum
    score among `visible`, best first."""
    visible_ids = visible.values("id")
    shared = _contact_point_pairs(visible_ids)
    birth_pairs, facts = _birth_date_pairs(visible)
    pairs = set(shared) | birth_pairs | _name_pairs(visible)
    missing = {person for pair in pairs for person in pair} - set(facts)
    for row in visible.filter(id__in=missing).only(
        "id", "surname", "given_names", "birth_date", "national_number"
    ):
        facts[row.id] = facts_of(row)
    found = []
    for a, b in pairs:
        if a not in facts or b not in facts:
            continue
        total, reasons = score(facts[a], facts[b], shared.get((a, b), ()))
        if total >= MINIMUM_SCORE:
            found.append((a, b, total, reasons))
    found.sort(key=lambda item: (-item[2], item[0], item[1]))
    return found


def duplicate_candidates(
    *, agent: Agent, limit: int = 200, minimum: int = MINIMUM_SCORE
) -> list[Pair]:
    """Likely duplicates among the persons the agent sees (not merged), best
    first, at most `limit` pairs; the persons shown are written to the access log."""
    visible = policy.visible(agent, Person.objects.filter(merged_into__isnull=True))
    found = [item for item in candidate_pairs(visible) if item[2] >= minimum][:limit]
    ids = {person for a, b, _score, _reasons in found for person in (a, b)}
    persons = {person.pk: person for person in visible.filter(id__in=ids)}
    pairs = [
        Pair(first=persons[a], second=persons[b], score=total, reasons=reasons)
        for a, b, total, reasons in found
        if a in persons and b in persons
    ]
    if persons:
        access_record(
            actor=agent,
            action="person.search",
            objects=list(persons.values()),
            context={"purpose": "duplicates"},
        )
    return pairs


def pair_score(first: Person, second: Person) -> tuple[int, tuple[Reason, ...]]:
    """The score of one pair, with the contact points they share (the comparison
    page), for two persons already read for an agent."""
    shared: set[str] = set()
    checks: Mapping[str, Any] = {
        "same_email": lambda p: {row.address_key for row in p.emails.all()},
        "same_phone": lambda p: {row.e164 for row in p.phones.all()},
        "same_address": lambda p: {
            (row.postal_code, fold(row.house_number), fold(row.street), fold(row.box))
            for row in p.addresses.all()
            if row.house_number
        },
    }
    for code, values in checks.items():
        if values(first) & values(second):
            shared.add(code)
    return score(facts_of(first), facts_of(second), shared)
