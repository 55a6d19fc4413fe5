"""Merging two records of one citizen (parties/merge.py): nothing lost, refusals
change nothing, the absorbed id traces to the kept person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.agents.models import Team
from guichet.audit.models import AuditEvent
from guichet.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from guichet.correspondence.models import LetterBatch
from guichet.debts.models import AllocationPosting
from guichet.parties import merge, selectors
from guichet.parties.merge import MergeRefused, PersonMerged, person_merge
from guichet.parties.models import EmailAddress, Person, PhoneNumber
from guichet.payments.models import Beneficiary
from tests.factories import AgentFactory, PersonFactory, TeamFactory
from tests.parties.merge_rows import one_of_each, person_keys, rows_per_key


def test_every_key_to_a_person_has_a_mover() -> None:
    keys = {f"{model._meta.label_lower}.{name}" for model, name in person_keys()}
    assert keys, "no key to Person found"
    assert keys - merge.covered_fields() == set(), "a key to Person has no mover"
    assert merge.covered_fields() - keys == set(), "a mover names no real key"
    generic = [
        f"{model._meta.label_lower}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.private_fields
        if isinstance(field, GenericForeignKey)
    ]
    # A generic key may point at a person: it needs a mover too.
    assert set(generic) - merge.covered_fields() == set()


@pytest.fixture
def team(db: Any) -> Team:
    return TeamFactory(code="support")


@pytest.fixture
def merger(team: Team) -> Any:
    return AgentFactory(roles=["support_agent"], level="C", teams=[team])


def _merge(actor: Any, keep: Person, absorb: Person, **kwargs: Any) -> Person:
    keep.refresh_from_db()
    absorb.refresh_from_db()
    values = {
        "actor": actor,
        "keep": keep.uuid,
        "absorb": absorb.uuid,
        "reason": "Same citizen, registered twice.",
        "keep_version": keep.version,
        "absorb_version": absorb.version,
    }
    values.update(kwargs)
    return person_merge(**values)


def test_the_merge_moves_every_kind_of_row(merger: Any, team: Team) -> None:
    keep, absorb = PersonFactory(), PersonFactory(anonymous=True)
    one_of_each(keep, merger, team)
    one_of_each(absorb, merger, team)
    before = rows_per_key(keep, absorb)
    _merge(merger, keep, absorb)
    # ... and the absorbed person itself now points at the kept one.
    before["parties.person.merged_into"] += 1
    assert rows_per_key(keep) == before
    assert all(count == 0 for count in rows_per_key(absorb).values())
    absorb.refresh_from_db()
    assert absorb.merged_into_id == keep.pk
    assert absorb.merged_at is not None
    event = AuditEvent.objects.get(action="person.merge")
    assert event.summary["absorbed"] == str(absorb.uuid)
    assert event.summary["kept"] == str(keep.uuid)
    assert event.summary["moved"]["contacts"] == 2  # person and caller
    assert event.summary["moved"]["appointments"] == 1
    assert event.reason == "Same citizen, registered twice."


def test_the_kept_person_takes_the_national_number_it_lacked(merger: Any) -> None:
    keep, absorb = PersonFactory(anonymous=True), PersonFactory()
    number = absorb.national_number
    _merge(merger, keep, absorb)
    keep.refresh_from_db()
    absorb.refresh_from_db()
    assert keep.national_number == number
    assert absorb.national_number is None
    found = selectors.person_search(agent=merger, national_number=number)
    assert [person.pk for person in found.items] == [keep.pk]


def test_identical_contact_points_are_not_doubled(merger: Any) -> None:
    keep, absorb = PersonFactory(), PersonFactory(anonymous=True)
    PhoneNumber.objects.create(person=keep, e164="+32470000001", is_primary=True)
    PhoneNumber.objects.create(person=absorb, e164="+32470000001")
    PhoneNumber.objects.create(person=absorb, e164="+32470000002", is_primary=True)
    _merge(merger, keep, absorb)
    phones = PhoneNumber.objects.filter(person=keep)
    assert sorted(phone.e164 for phone in phones) == ["+32470000001", "+32470000002"]
    assert phones.filter(is_primary=True).count() == 1


def test_too_many_contact_points_together_are_refused(merger: Any) -> None:
    keep, absorb = PersonFactory(), PersonFactory(anonymous=True)
    for n in range(15):
        EmailAddress.objects.create(
            person=keep, address=f"k{n}@x.be", address_key=f"k{n}@x.be"
        )
        EmailAddress.objects.create(
            person=absorb, address=f"a{n}@x.be", address_key=f"a{n}@x.be"
        )
    with pytest.raises(MergeRefused, match="more than 20"):
        _merge(merger, keep, absorb)
    assert EmailAddress.objects.filter(person=absorb).count() == 15


def _unchanged(*persons: Person) -> Any:
    return [
        (p.pk, p.version, p.merged_into_id)
        for p in Person.objects.filter(pk__in=[x.pk for x in persons])
    ]


@pytest.mark.parametrize(
    "case",
    [
        "numbers",
        "self",
        "role",
        "level",
        "hidden",
        "stale",
        "merged",
        "restricted",
        "reason",
        "beneficiaries",
        "postings",
        "batch",
    ],
)
def test_refusals_change_nothing(case: str, merger: Any, team: Team) -> None:
    keep, absorb = PersonFactory(), PersonFactory(anonymous=True)
    one_of_each(absorb, merger, team)
    actor, kwargs, error = merger, {}, MergeRefused
    if case == "numbers":
        absorb = PersonFactory()
        one_of_each(absorb, merger, team)
    elif case == "self":
        absorb, error = keep, ValidationFailed
    elif case == "role":
        actor, error = (
            AgentFactory(roles=["first_line"], level="B", teams=[team]),
            Forbidden,
        )
    elif case == "level":
        actor, error = (
            AgentFactory(roles=["support_agent"], level="D", teams=[team]),
            Forbidden,
        )
    elif case == "hidden":
        Person.objects.filter(pk=absorb.pk).update(
            confidential_team=TeamFactory(code="hr")
        )
        error = NotFound
    elif case == "stale":
        kwargs, error = {"absorb_version": absorb.version + 1}, StaleVersion
    elif case == "merged":
        Person.objects.filter(pk=absorb.pk).update(
            merged_into=PersonFactory(),
            merged_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        )
    elif case == "restricted":
        Person.objects.filter(pk=absorb.pk).update(confidential_team=team)
    elif case == "reason":
        kwargs, error = {"reason": "  "}, ValidationFailed
    elif case == "beneficiaries":
        Beneficiary.objects.create(
            person=keep, team=Beneficiary.objects.get(person=absorb).team
        )
    elif case == "postings":
        AllocationPosting.objects.create(
            person=absorb,
            team=team,
            period="2025-01",
            paid_on=dt.date(2025, 1, 25),
            children=0,
            table_code="t",
            to_beneficiary=1,
        )
    elif case == "batch":
        from tests.correspondence.factories import LetterTypeFactory

        LetterBatch.objects.create(
            team=team,
            letter_type=LetterTypeFactory(),
            started_by=merger,
            query="x",
            selection=[absorb.pk],
        )
    before = rows_per_key(keep), rows_per_key(absorb), _unchanged(keep, absorb)
    with pytest.raises(error):
        _merge(actor, keep, absorb, **kwargs)
    assert (
        rows_per_key(keep),
        rows_per_key(absorb),
        _unchanged(keep, absorb),
    ) == before
    assert not AuditEvent.objects.filter(action="person.merge").exists()


def test_the_absorbed_id_answers_merged_into(merger: Any, api_for: Any) -> None:
    keep, absorb = (
        PersonFactory(surname="Dupont"),
        PersonFactory(surname="Dupond", anonymous=True),
    )
    _merge(merger, keep, absorb)
    with pytest.raises(PersonMerged) as raised:
        selectors.person_get_for_agent(agent=merger, person_id=absorb.uuid)
    assert raised.value.extra["merged_into"] == str(keep.uuid)
    assert [
        p.pk for p in selectors.person_search(agent=merger, name="Marie").items
    ] == [keep.pk]
    response = api_for(merger).get(f"/persons/{absorb.uuid}")
    assert response.status_code == 409
    assert response.json()["code"] == "person_merged"
    assert response.json()["merged_into"] == str(keep.uuid)
    history = selectors.person_changes_for_agent(agent=merger, person_id=keep.uuid)
    assert any(str(absorb.uuid) in change.detail for change in history)


@settings(max_examples=15)
@given(
    kept_phones=st.lists(st.integers(1, 6), max_size=5, unique=True),
    absorbed_phones=st.lists(st.integers(1, 6), max_size=5, unique=True),
    contacts=st.tuples(st.integers(0, 3), st.integers(0, 3)),
)
@pytest.mark.django_db
def test_no_row_is_lost(
    kept_phones: list[int], absorbed_phones: list[int], contacts: tuple[int, int]
) -> None:
    from guichet.contacts.models import Contact

    team = TeamFactory(code="support")
    agent = AgentFactory(roles=["supervisor"], level="B", teams=[team])
    keep, absorb = PersonFactory(), PersonFactory(anonymous=True)
    for person, numbers in ((keep, kept_phones), (absorb, absorbed_phones)):
        for n in numbers:
            PhoneNumber.objects.create(person=person, e164=f"+3247000000{n}")
    for person, count in zip((keep, absorb), contacts, strict=True):
        for _ in range(count):
            Contact.objects.create(
                channel="phone",
                started_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                agent=agent,
                team=team,
                person=person,
            )
    before = rows_per_key(keep, absorb)
    _merge(agent, keep, absorb)
    after = rows_per_key(keep)
    identical = len(set(kept_phones) & set(absorbed_phones))
    assert (
        after["parties.phonenumber.person"]
        == before["parties.phonenumber.person"] - identical
    )
    assert (
        after["contacts.contact.person"]
        == before["contacts.contact.person"]
        == sum(contacts)
    )
    assert rows_per_key(absorb)["contacts.contact.person"] == 0
