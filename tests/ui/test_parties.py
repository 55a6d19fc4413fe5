"""The person screens: identity edits against the national number."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from guichet.audit.models import AuditEvent
from guichet.demo.identifiers import national_number
from guichet.parties.models import EmailAddress, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NN = national_number(dt.date(1985, 7, 30), 33)


def _text(response: Any) -> str:
    html = response.content.decode()
    html = re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ")
    return " ".join(html.split())


def _edit(client: Any, person: Person, **typed: str) -> Any:
    shown = {
        "surname": person.surname,
        "given_names": person.given_names,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "sex": person.sex,
        "national_number": person.national_number or "",
    }
    data = {"version": person.version, **shown, **typed}
    data.update({f"initial-{name}": value for name, value in shown.items()})
    return client.post(f"/persons/{person.uuid}/edit/", data)


def test_a_birth_date_against_the_national_number_is_refused_then_kept_with_a_reason(
    client_for: Any, first_line: Any
) -> None:
    person = PersonFactory(birth_date=dt.date(1985, 7, 30), sex="M", national_number=NN)
    client = client_for(first_line)
    # the form does not offer an override before there is a contradiction
    assert (
        'name="contradiction_override"'
        not in client.get(f"/persons/{person.uuid}/edit/").content.decode()
    )
    # when the agent types another birth date
    refused = _edit(client, person, birth_date="1985-07-31")
    # then it is refused next to the field, and the override is offered
    assert refused.status_code == 422
    assert (
        "The birth date does not match the one in the national number (1985-07-30)"
        in _text(refused)
    )
    assert 'name="contradiction_override"' in refused.content.decode()
    assert Person.objects.get(pk=person.pk).birth_date == dt.date(1985, 7, 30)
    # when they give the reason to keep it
    saved = _edit(
        client,
        person,
        birth_date="1985-07-31",
        contradiction_override="Birth certificate says the 31st; register asked.",
    )
    # then it is saved and the reason is in the audit trail
    assert saved.status_code == 302
    assert Person.objects.get(pk=person.pk).birth_date == dt.date(1985, 7, 31)
    event = AuditEvent.objects.get(chain="changes", action="person.update")
    assert event.summary["contradictions_overridden"] == {
        "codes": ["birth_date_mismatch"],
        "reason": "Birth certificate says the 31st; register asked.",
    }


def test_a_sex_against_the_national_number_is_refused(
    client_for: Any, first_line: Any
) -> None:
    person = PersonFactory(birth_date=dt.date(1985, 7, 30), sex="M", national_number=NN)
    refused = _edit(client_for(first_line), person, sex="F")
    assert refused.status_code == 422
    assert (
        "The sex does not match the national number, which is the number of a man"
        in _text(refused)
    )
    assert Person.objects.get(pk=person.pk).sex == "M"


def test_a_name_with_invisible_characters_is_refused_on_screen(
    client_for: Any, first_line: Any
) -> None:
    person = PersonFactory(surname="Dupont")
    refused = _edit(client_for(first_line), person, surname="Du\u200bpont")
    assert refused.status_code == 422
    assert (
        "A name cannot hold invisible or control characters (U+200B); type it again "
        "without them." in _text(refused)
    )
    assert Person.objects.get(pk=person.pk).surname == "Dupont"


def test_the_twenty_first_e_mail_address_is_refused_on_screen(
    client_for: Any, first_line: Any
) -> None:
    person = PersonFactory()
    EmailAddress.objects.bulk_create(
        EmailAddress(
            person=person,
            address=f"marie{n}@example.org",
            address_key=f"marie{n}@example.org",
        )
        for n in range(20)
    )
    refused = client_for(first_line).post(
        f"/persons/{person.uuid}/contact/emails/",
        {"version": person.version, "address": "marie.new@example.org"},
    )
    assert refused.status_code == 422
    assert (
        "A person can have at most 20 e-mail addresses; remove one that is no longer "
        "used first." in _text(refused)
    )
    assert EmailAddress.objects.filter(person=person).count() == 20
