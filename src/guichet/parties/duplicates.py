"""Likely duplicate persons: pairs of records that may be one citizen, with a score.

Scoring (pure: `score`, `name_match`) adds the points of each reason found and
keeps the total between 0 and 100:

- names (`Person.search_name`, folded by `core.text.fold`: case, accents,
  punctuation): the same words, in any order (given names and surname swapped) 40,
  or one edit apart (`parties.similarity.within_one_edit`: a letter substituted,
  added, missing, two swapped, in the surname or the given names: a typo) 30;
- birth date: the same 30; both known and different -40 (two people, unless a
  typo in the date, which the agent then sees in the comparison);
- the same e-mail address 20, phone number 20, postal address (postal code, folded
  street, house number and box) 15.

Two persons with a national number each are never proposed: the number is unique,
so theirs differ, and two different national register numbers are two people (the
merge refuses them too). A pair is reported from `MINIMUM_SCORE` (50): a name and a
birth date, a name and a contact point, ...

Blocking: pairs are never formed from all persons. Only a pair where at least
one person has no national number can score, so every block starts from those
persons (the anchors) and finds, with indexed queries, the persons that share
something with them: a birth date (one self-join on `parties_person_birth_idx`,
names whose lengths differ by more than a letter left out by the database), a
folded name (`search_name` index), an e-mail address (`address_key`), a phone
number (`e164`) or a postal code and house number. A value shared by more than
`BLOCK_LIMIT` persons (an office's switchboard, a shelter's address) pairs nobody:
it says nothing about identity. Measured in docs/merge.md.

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

from django.db import connection
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.agents.models import Agent
from guichet.audit.services import access_record
from guichet.core.text import fold

from .models import EmailAddress, Person, PhoneNumber, PostalAddress
from .similarity import within_one_edit

MINIMUM_SCORE = 50
BLOCK_LIMIT = 50  # persons sharing one contact point or one name


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
    name: str  # folded "surname given names" (`Person.search_name`)
    birth_date: dt.date | None
    has_national_number: bool


@dataclass(frozen=True)
class Pair:
    first: Person
    second: Person
    score: int
    reasons: tuple[Reason, ...]


_FACT_COLUMNS = ("id", "search_name", "birth_date", "national_number")


def _facts(id: int, name: str, birth_date: Any, number: Any) -> Facts:
    return Facts(
        id=id, name=name, birth_date=birth_date, has_national_number=bool(number)
    )


def facts_of(person: Any) -> Facts:
    return _facts(
        person.id, person.search_name, person.birth_date, person.national_number
    )


def name_match(a: Facts, b: Facts) -> str | None:
    """ "same_name" (the same folded words, in any order), "name_one_edit" (one
    letter substituted, added, missing or two swapped, in the surname or the given
    names), or None."""
    if a.name == b.name or sorted(a.name.split()) == sorted(b.name.split()):
        return "same_name"
    if within_one_edit(a.name, b.name):
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
    given = set(shared)
    codes.extend(
        code for code in ("same_email", "same_phone", "same_address") if code in given
    )
    reasons = tuple(REASONS[code] for code in codes)
    total = sum(reason.points for reason in reasons)
    return max(0, min(100, total)), reasons


# Blocking. Only a pair with at least one person without a national number can
# score (two numbers: two people), so every block starts from those persons (the
# "anchors"): their birth dates, names and contact points, looked up by index
# among every person the agent sees.


def _pairs_in(groups: Iterable[list[int]]) -> Iterable[tuple[int, int]]:
    for members in groups:
        unique = sorted(set(members))
        if 1 < len(unique) <= BLOCK_LIMIT:
            yield from itertools.combinations(unique, 2)


def _groups(rows: Iterable[tuple[Any, ...]]) -> dict[Any, list[int]]:
    """person ids per value, from (person id, value...) rows."""
    groups: dict[Any, list[int]] = defaultdict(list)
    for person_id, *value in rows:
        groups[tuple(value)].append(person_id)
    return groups


def _contact_point_pairs(
    visible_ids: QuerySet[Any], anchor_ids: QuerySet[Any]
) -> dict[tuple[int, int], set[str]]:
    shared: dict[tuple[int, int], set[str]] = defaultdict(set)
    for code, model, key in (
        ("same_email", EmailAddress, "address_key"),
        ("same_phone", PhoneNumber, "e164"),
    ):
        wanted = model.objects.filter(person_id__in=anchor_ids).values(key)
        rows = model.objects.filter(
            person_id__in=visible_ids, **{f"{key}__in": wanted}
        ).values_list("person_id", key)
        for pair in _pairs_in(_groups(rows).values()):
            shared[pair].add(code)
    # Addresses: the anchors' postal codes and house numbers, then the folded
    # street and box.
    anchored = PostalAddress.objects.filter(person_id__in=anchor_ids).exclude(
        house_number=""
    )
    places = {
        (code, number)
        for code, number in anchored.values_list("postal_code", "house_number")
    }
    if places:
        streets: dict[tuple[str, ...], list[int]] = defaultdict(list)
        address_rows = PostalAddress.objects.filter(
            person_id__in=visible_ids,
            postal_code__in=anchored.values("postal_code"),
            house_number__in=anchored.values("house_number"),
        ).values_list("person_id", "postal_code", "house_number", "street", "box")
        for person_id, code, number, street, box in address_rows:
            if (code, number) in places:
                streets[(code, fold(number), fold(street), fold(box))].append(person_id)
        for pair in _pairs_in(streets.values()):
            shared[pair].add("same_address")
    return shared


def _birth_date_pairs(
    visible: QuerySet[Person],
) -> tuple[set[tuple[int, int]], dict[int, Facts]]:
    """Pairs born the same day, one of them without a national number, whose
    names match; and the facts read. One self-join from the persons without a
    national number (`a`) on the birth date's index;
    names whose lengths differ by more than one letter cannot match, the
    database leaves them out."""
    table = Person._meta.db_table
    ids_sql, ids_params = visible.order_by().values("id").query.sql_with_params()
    sql = (
        f"SELECT a.id, a.search_name, a.birth_date, a.national_number, "  # noqa: S608  # our own table, the policy's own subquery
        f"b.id, b.search_name, b.birth_date, b.national_number "
        f"FROM {table} a JOIN {table} b ON b.birth_date = a.birth_date AND b.id <> a.id "
        f"WHERE a.national_number IS NULL "
        f"AND (b.national_number IS NOT NULL OR a.id < b.id) "
        f"AND abs(length(a.search_name) - length(b.search_name)) <= 1 "
        f"AND a.id IN ({ids_sql}) AND b.id IN ({ids_sql})"
    )
    pairs: set[tuple[int, int]] = set()
    facts: dict[int, Facts] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids_params, *ids_params])
        for row in cursor.fetchall():
            a, b = sorted((_facts(*row[:4]), _facts(*row[4:])), key=lambda f: f.id)
            if name_match(a, b):
                pairs.add((a.id, b.id))
                facts[a.id], facts[b.id] = a, b
    return pairs, facts


def _name_pairs(
    visible: QuerySet[Person], anchors: QuerySet[Person]
) -> set[tuple[int, int]]:
    rows = visible.filter(search_name__in=anchors.values("search_name")).values_list(
        "id", "search_name"
    )
    return set(_pairs_in(_groups(rows).values()))


def candidate_pairs(
    visible: QuerySet[Person],
) -> list[tuple[int, int, int, tuple[Reason, ...]]]:
    """(first id, second id, score, reasons) of every pair at or above the minimum
    score among `visible`, best first."""
    anchors = visible.filter(national_number__isnull=True)
    shared = _contact_point_pairs(visible.values("id"), anchors.values("id"))
    birth_pairs, facts = _birth_date_pairs(visible)
    pairs = set(shared) | birth_pairs | _name_pairs(visible, anchors)
    missing = {person for pair in pairs for person in pair} - set(facts)
    if missing:
        for row in visible.filter(id__in=missing).values_list(*_FACT_COLUMNS):
            facts[row[0]] = _facts(*row)
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
