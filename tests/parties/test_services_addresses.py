"""Changing a person's postal address: validation, version, access, audit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from guichet.audit.models import AuditEvent
from guichet.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from guichet.parties import services
from guichet.parties.models import PostalAddress
from guichet.parties.services import AddressInput
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

HAUTE = AddressInput(
    street="Rue Haute", house_number="12", postal_code="1000", municipality="Bruxelles"
)
MEIR = AddressInput(
    street="Meir",
    house_number="50",
    box="2",
    postal_code="2000",
    municipality="Antwerpen",
)


def _with_address(agent: Any, **person: Any) -> tuple[Any, PostalAddress]:
    owner = PersonFactory(**person)
    row = services.person_contact_add(
        actor=agent, person_id=owner.uuid, expected_version=owner.version, address=HAUTE
    )
    owner.refresh_from_db()
    assert isinstance(row, PostalAddress)
    return owner, row


def _stored(row: PostalAddress) -> list[str]:
    return PostalAddress.objects.get(pk=row.pk).formatted_lines()


def test_changes_the_address_bumps_the_version_and_audits(first_line: Any) -> None:
    person, row = _with_address(first_line)

    changed = services.person_address_update(
        actor=first_line,
        person_id=person.uuid,
        address_id=row.uuid,
        expected_version=person.version,
        address=MEIR,
    )

    assert changed.uuid == row.uuid
    assert _stored(row) == ["Meir 50 bte 2", "2000 Antwerpen"]
    person.refresh_from_db()
    assert person.version == 3
    event = AuditEvent.objects.filter(action="person.postaladdress.update").get()
    assert event.summary["changes"] == {
        "address": ["Rue Haute 12, 1000 Bruxelles", "Meir 50 bte 2, 2000 Antwerpen"]
    }
    assert event.summary["version"] == 3


def test_a_preferred_address_takes_the_preference_from_the_others(
    first_line: Any,
) -> None:
    person, first = _with_address(first_line)
    second = services.person_contact_add(
        actor=first_line,
        person_id=person.uuid,
        expected_version=person.version,
        address=AddressInput(
            street="Meir",
            house_number="1",
            postal_code="2000",
            municipality="Antwerpen",
            is_primary=True,
        ),
    )
    person.refresh_from_db()

    services.person_address_update(
        actor=first_line,
        person_id=person.uuid,
        address_id=first.uuid,
        expected_version=person.version,
        address=AddressInput(
            street="Rue Haute",
            house_number="12",
            postal_code="1000",
            municipality="Bruxelles",
            is_primary=True,
        ),
    )

    assert PostalAddress.objects.get(pk=first.pk).is_primary
    assert not PostalAddress.objects.get(pk=second.pk).is_primary


def test_bad_input_names_the_field_and_changes_nothing(first_line: Any) -> None:
    person, row = _with_address(first_line)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationFailed) as refused:
        services.person_address_update(
            actor=first_line,
            person_id=person.uuid,
            address_id=row.uuid,
            expected_version=person.version,
            address=AddressInput(street="", postal_code="100", municipality=""),
        )

    assert sorted(error.field for error in refused.value.errors) == [
        "address.municipality",
        "address.postal_code",
        "address.street",
    ]
    assert _stored(row) == ["Rue Haute 12", "1000 Bruxelles"]
    person.refresh_from_db()
    assert person.version == 2
    assert AuditEvent.objects.count() == events


def test_a_stale_edit_is_refused_and_changes_nothing(first_line: Any) -> None:
    person, row = _with_address(first_line)
    seen_version = person.version
    services.person_address_update(
        actor=first_line,
        person_id=person.uuid,
        address_id=row.uuid,
        expected_version=seen_version,
        address=MEIR,
    )

    with pytest.raises(StaleVersion):
        services.person_address_update(
            actor=first_line,
            person_id=person.uuid,
            address_id=row.uuid,
            expected_version=seen_version,
            address=HAUTE,
        )

    assert _stored(row) == ["Meir 50 bte 2", "2000 Antwerpen"]


def test_an_address_of_another_person_is_not_found(first_line: Any) -> None:
    person, _row = _with_address(first_line)
    _other, foreign = _with_address(first_line)

    for address_id in (foreign.uuid, uuid.uuid4()):
        with pytest.raises(NotFound):
            services.person_address_update(
                actor=first_line,
                person_id=person.uuid,
                address_id=address_id,
                expected_version=person.version,
                address=MEIR,
            )

    assert _stored(foreign) == ["Rue Haute 12", "1000 Bruxelles"]


def test_who_may_change_an_address(make_agent: Any, first_line: Any) -> None:
    person, row = _with_address(first_line)
    visas = make_agent("front_office", level="C", teams=("visas",))
    hidden, hidden_row = _with_address(
        visas, confidential_team=TeamFactory(code="visas")
    )
    admin = make_agent("admin", level="A2", teams=("support",))
    level_d = make_agent("support_agent", level="D", teams=("support",))

    with pytest.raises(NotFound):
        services.person_address_update(
            actor=first_line,
            person_id=hidden.uuid,
            address_id=hidden_row.uuid,
            expected_version=hidden.version,
            address=MEIR,
        )
    with pytest.raises((Forbidden, NotFound)):
        services.person_address_update(
            actor=admin,
            person_id=person.uuid,
            address_id=row.uuid,
            expected_version=person.version,
            address=MEIR,
        )
    assert _stored(row) == ["Rue Haute 12", "1000 Bruxelles"]

    services.person_address_update(
        actor=level_d,
        person_id=person.uuid,
        address_id=row.uuid,
        expected_version=person.version,
        address=MEIR,
    )
    assert _stored(row) == ["Meir 50 bte 2", "2000 Antwerpen"]
