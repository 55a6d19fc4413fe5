"""Data migrations of parties, each run from the state before it."""

from __future__ import annotations

import uuid

import pytest

from guichet.core.text import fold
from tests.migrations import migrate_to

BEFORE_REFOLD = ("parties", "0004_contact_points_name_their_owners")
REFOLDED = ("parties", "0005_refold_search_names")


@pytest.mark.usefixtures("scratch_database")
def test_search_keys_are_folded_again_with_other_scripts_transliterated() -> None:
    # given, keys folded before other scripts were transliterated: a Cyrillic
    # name with an empty key, a Maltese one with a gap, a Latin one already right
    apps = migrate_to(BEFORE_REFOLD)
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

    # when
    apps = migrate_to(REFOLDED)

    # then every key is what folding gives today (the key the name search looks
    # up: tests/parties/test_search.py)
    people = apps.get_model("parties", "Person").objects
    assert {person.surname: person.search_name for person in people.all()} == {
        "Шевченко": "shevchenko olena",
        "Ħabib": "habib gorg",
        "Lefèvre": "lefevre helene",
    }
    assert all(
        person.search_name == fold(f"{person.surname} {person.given_names}")
        for person in people.all()
    )
    organisation = apps.get_model("parties", "Organisation").objects.get()
    assert organisation.search_name == "ellenike koinoteta"
