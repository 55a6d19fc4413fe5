"""Finding persons: by number, name with typos, e-mail, phone; only what the agent may see."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.audit.models import AuditEvent
from guichet.core.errors import NotFound, ValidationFailed
from guichet.parties import selectors
from guichet.parties.models import EmailAddress, PhoneNumber
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, Any]:
    return {
        "francois": PersonFactory(given_names="François", surname="Lefèvre"),
        "marie": PersonFactory(given_names="Marie", surname="Dupont"),
        "jan": PersonFactory(given_names="Jan", surname="Van den Bossche"),
        "hidden": PersonFactory(
            given_names="François",
            surname="Lefebvre",
            confidential_team=TeamFactory(code="visas"),
        ),
    }


@pytest.mark.parametrize(
    ("_case", "query", "expected"),
    [
        ("exact", "François Lefèvre", "francois"),
        ("no accents, lower case", "francois lefevre", "francois"),
        ("word order", "lefevre francois", "francois"),
        ("one typo", "Lefevrr", "francois"),
        ("surname only", "dupont", "marie"),
        ("typo in a particle name", "van den bosche", "jan"),
    ],
)
def test_finds_a_name_despite_accents_order_and_a_typo(
    first_line: Any, people: dict[str, Any], _case: str, query: str, expected: str
) -> None:
    page = selectors.person_search(agent=first_line, name=query)
    assert page.items[0] == people[expected]


def test_never_returns_a_confidential_person_of_another_team(
    first_line: Any, people: dict[str, Any]
) -> None:
    page = selectors.person_search(agent=first_line, name="Lefebvre")
    assert people["hidden"] not in page.items


def test_finds_by_national_number_email_and_phone(
    first_line: Any, people: dict[str, Any]
) -> None:
    marie = people["marie"]
    EmailAddress.objects.create(
        person=marie, address="Marie@Example.be", address_key="marie@example.be"
    )
    PhoneNumber.objects.create(person=marie, e164="+32470123456")
    number = marie.national_number
    dotted = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
    assert list(
        selectors.person_search(agent=first_line, national_number=dotted).items
    ) == [marie]
    assert list(
        selectors.person_search(agent=first_line, email="MARIE@example.be").items
    ) == [marie]
    assert list(
        selectors.person_search(agent=first_line, phone="0470/12.34.56").items
    ) == [marie]


def test_search_logs_what_was_read(first_line: Any, people: dict[str, Any]) -> None:
    selectors.person_search(agent=first_line, name="dupont")
    event = AuditEvent.objects.get(chain="access", action="person.search")
    assert event.actor_id == first_line.pk
    assert event.summary["results"] == [str(people["marie"].uuid)]
    assert event.summary["criteria"] == ["name"]


def test_search_needs_a_criterion(first_line: Any) -> None:
    with pytest.raises(ValidationFailed):
        selectors.person_search(agent=first_line, name="  ")


def test_paginates(first_line: Any) -> None:
    for _ in range(5):
        PersonFactory(given_names="Anna", surname="Peeters")
    first = selectors.person_search(agent=first_line, name="peeters", page_size=2)
    third = selectors.person_search(
        agent=first_line, name="peeters", page=3, page_size=2
    )
    assert (len(first.items), first.has_next) == (2, True)
    assert (len(third.items), third.has_next) == (1, False)


def test_reading_a_person_is_logged_and_hidden_ones_are_not_found(
    first_line: Any, people: dict[str, Any]
) -> None:
    seen = selectors.person_get_for_agent(
        agent=first_line, person_id=people["marie"].uuid
    )
    person = seen.obj
    assert person == people["marie"]
    # First line (level C) edits contact details and identity, never restricts.
    assert seen.actions == {
        "person.view",
        "person.edit_contact",
        "person.edit_identity",
    }
    assert (
        AuditEvent.objects.filter(
            chain="access", action="person.view", object_id=str(person.uuid)
        ).count()
        == 1
    )
    with pytest.raises(NotFound):
        selectors.person_get_for_agent(
            agent=first_line, person_id=people["hidden"].uuid
        )
    with pytest.raises(NotFound):
        selectors.person_get_for_agent(agent=first_line, person_id="not-a-uuid")
