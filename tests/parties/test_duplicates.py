"""Likely duplicates (parties/duplicates.py): scores, reasons, blocking, secrecy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.parties.duplicates import (
    Facts,
    duplicate_candidates,
    name_match,
    score,
)
from guichet.parties.models import EmailAddress, Person, PhoneNumber, PostalAddress
from tests.factories import AgentFactory, PersonFactory, TeamFactory

DAY = dt.date(1980, 5, 17)


def _facts(
    surname: str, given: str = "marie", birth: dt.date | None = DAY, nn: bool = False
) -> Facts:
    return Facts(
        id=1, name=f"{surname} {given}", birth_date=birth, has_national_number=nn
    )


@pytest.mark.parametrize(
    ("a", "b", "shared", "expected", "codes"),
    [
        (
            _facts("dupont"),
            _facts("dupond"),
            ["same_email"],
            80,
            ["name_one_edit", "same_birth_date", "same_email"],
        ),
        (_facts("dupont"), _facts("dupont"), [], 70, ["same_name", "same_birth_date"]),
        (
            _facts("dupont"),
            _facts("marie", "dupont"),
            [],
            70,
            ["same_name", "same_birth_date"],
        ),
        (
            _facts("dupont"),
            _facts("dupont", birth=None),
            ["same_address"],
            55,
            ["same_name", "same_address"],
        ),
        (
            _facts("dupont"),
            _facts("dupont", birth=dt.date(1981, 1, 1)),
            [],
            0,
            ["same_name", "different_birth_date"],
        ),
        (
            _facts("dupont"),
            _facts("martin"),
            ["same_email", "same_phone", "same_address"],
            85,
            ["same_birth_date", "same_email", "same_phone", "same_address"],
        ),
        (_facts("dupont", nn=True), _facts("dupont", nn=True), ["same_email"], 0, []),
    ],
)
def test_scores_and_reasons(
    a: Facts, b: Facts, shared: list[str], expected: int, codes: list[str]
) -> None:
    total, reasons = score(a, b, shared)
    assert total == expected
    assert [reason.code for reason in reasons] == codes


@given(
    st.text("abcdefg", max_size=8),
    st.text("abcdefg", max_size=8),
    st.lists(st.sampled_from(["same_email", "same_phone", "same_address"])),
)
def test_the_score_is_symmetric_and_bounded(a: str, b: str, shared: list[str]) -> None:
    left, right = _facts(a or "x"), _facts(b or "y", birth=None)
    assert score(left, right, shared) == score(right, left, shared)
    assert 0 <= score(left, right, shared)[0] <= 100
    assert (name_match(left, right) is None) == (name_match(right, left) is None)


@pytest.fixture
def agent(db: Any) -> Any:
    return AgentFactory(
        roles=["support_agent"], level="C", teams=[TeamFactory(code="support")]
    )


def _email(person: Person, address: str) -> None:
    EmailAddress.objects.create(person=person, address=address, address_key=address)


def test_the_report_finds_the_pairs_with_their_reasons(agent: Any) -> None:
    jean = PersonFactory(surname="Dupont", given_names="Jean", birth_date=DAY)
    typo = PersonFactory(
        surname="Dupond", given_names="Jean", birth_date=DAY, anonymous=True
    )
    _email(jean, "jean@example.org")
    _email(typo, "jean@example.org")
    # Same address and name, one birth date unknown.
    anna = PersonFactory(
        surname="Peeters", given_names="Anna", birth_date=None, anonymous=True
    )
    anna2 = PersonFactory(surname="Peeters", given_names="Anna")
    for person in (anna, anna2):
        PostalAddress.objects.create(
            person=person,
            street="Rue Haute",
            house_number="12",
            postal_code="1000",
            municipality="Bruxelles",
        )
    # Same phone only, different names: not reported.
    for person in (PersonFactory(surname="Martin"), PersonFactory(surname="Lambert")):
        PhoneNumber.objects.create(person=person, e164="+32470123456")
    # Same birth date, unrelated names: not reported.
    PersonFactory(surname="Claes", birth_date=DAY)
    pairs = duplicate_candidates(agent=agent)
    found = {frozenset((pair.first.pk, pair.second.pk)): pair for pair in pairs}
    assert set(found) == {frozenset((jean.pk, typo.pk)), frozenset((anna.pk, anna2.pk))}
    assert found[frozenset((jean.pk, typo.pk))].score == 80
    assert [r.code for r in found[frozenset((anna.pk, anna2.pk))].reasons] == [
        "same_name",
        "same_address",
    ]
    assert pairs[0].score >= pairs[1].score


def test_a_hidden_or_merged_person_is_never_proposed(agent: Any) -> None:
    shown = PersonFactory(surname="Dupont", birth_date=DAY)
    hidden = PersonFactory(
        surname="Dupont",
        birth_date=DAY,
        anonymous=True,
        confidential_team=TeamFactory(code="hr"),
    )
    merged = PersonFactory(surname="Dupond", birth_date=DAY, anonymous=True)
    Person.objects.filter(pk=merged.pk).update(
        merged_into=shown, merged_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    for person in (shown, hidden, merged):
        _email(person, "same@example.org")
    assert duplicate_candidates(agent=agent) == []
    # The hidden person's team sees the pair.
    insider = AgentFactory(
        roles=["supervisor"], level="B", teams=[hidden.confidential_team]
    )
    assert len(duplicate_candidates(agent=insider)) == 1
