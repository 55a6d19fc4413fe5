"""Data migrations of parties, each run from the state before it."""

from __future__ import annotations

import uuid

import pytest

from guichet.core.text import fold
from guichet.parties import selectors
from guichet.parties.models import Organisation, Person
from tests.factories import AgentFactory, TeamFactory
from tests.migrations import migrate_to, migrate_to_latest

BEFORE_REFOLD = ("parties", "0004_contact_points_name_their_owners")


@pytest.mark.django_db(transaction=True)
def test_search_keys_are_folded_again_with_other_scripts_transliterated() -> None:
    # given, keys folded before other scripts were transliterated: a Cyrillic
    # name with an empty key, a Maltese one with a gap, a Latin one already right
    apps = migrate_to(BEFORE_REFOLD)
    try:
        people = apps.get_model("parties", "Person").objects
        for surname, given_names, key in (
            ("Шевченко", "Олена", ""),
            ("Ħabib", "Ġorġ", "abib gorg"),
            ("Lefèvre", "Hélène", "lefevre helene"),
        ):
            people.create(
                uuid=uuid.uuid4(),
                surname=surname,
                given_names=given_names,
                search_name=key,
            )
        apps.get_model("parties", "Organisation").objects.create(
            uuid=uuid.uuid4(), name="Ελληνική Κοινότητα", search_name=""
        )
    finally:
        # when
        migrate_to_latest()

    # then every key is what folding gives today, and the name is found by it
    assert {person.surname: person.search_name for person in Person.objects.all()} == {
        "Шевченко": "shevchenko olena",
        "Ħabib": "habib gorg",
        "Lefèvre": "lefevre helene",
    }
    assert all(
        person.search_name == fold(f"{person.surname} {person.given_names}")
        for person in Person.objects.all()
    )
    assert Organisation.objects.get().search_name == "ellenike koinoteta"
    agent = AgentFactory(roles=["first_line"], teams=[TeamFactory(code="cc-fr")])
    found = selectors.person_search(agent=agent, name="Шевченко").items
    assert [person.surname for person in found] == ["Шевченко"]
