"""Registering persons and organisations on screen, and editing a postal address.

Through HTTP as the browser sends it: each screen's valid input, bad input (the
error next to its field, the input kept, nothing written), the duplicate warning,
a stale edit, and who may do it; identity edits against the national number, and
names and contact points refused on screen.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from django.test import Client

import pytest

from guichet.audit.models import AuditEvent
from guichet.demo.identifiers import enterprise_number, national_number
from guichet.parties import services
from guichet.parties.models import EmailAddress, Organisation, Person, PostalAddress
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

NN = national_number(dt.date(1985, 7, 30), 33)
BCE = enterprise_number(1234567)


def html_of(response: Any) -> str:
    return html.unescape(response.content.decode())


def field_error(response: Any, name: str) -> str:
    """The error shown next to a field ('' when there is none)."""
    found = re.search(
        rf'<p class="field-error" id="id_{name}_error">(.*?)</p>',
        response.content.decode(),
        re.DOTALL,
    )
    if found is None:
        return ""
    # Without the "Error:" that only screen readers hear.
    shown = re.sub(r'<span class="visually-hidden">.*?</span>', "", found.group(1))
    return html.unescape(re.sub(r"<[^>]+>", "", shown)).strip()


def _person_form(**changes: str) -> dict[str, str]:
    data = {
        "surname": "Dupont",
        "given_names": "Jean",
        "birth_date": "",
        "sex": "U",
        "national_number": "85.07.30-033.28",
        "language": "fr",
        "address_street": "Rue Haute",
        "address_house_number": "12",
        "address_box": "3",
        "address_postal_code": "1000",
        "address_municipality": "Bruxelles",
        "address_country": "BE",
        "address_lines": "",
        "address_kind": "residence",
    }
    data.update(changes)
    return data


def _written() -> tuple[int, int, int]:
    return (
        Person.objects.count(),
        PostalAddress.objects.count(),
        AuditEvent.objects.filter(chain="changes").count(),
    )


# Registering a person.


@pytest.mark.parametrize(
    ("_case", "agent", "status"),
    [
        ("anonymous goes to the login page", None, 302),
        ("an administrator may not register citizens", "admin", 403),
        ("a level-D support agent may", "level_d", 200),
        ("a first-line agent may", "first_line", 200),
    ],
)
def test_person_create_authorization(
    client_for: Any, agents: dict[str, Any], _case: str, agent: str | None, status: int
) -> None:
    client = client_for(agents[agent]) if agent else Client()
    before = _written()

    shown = client.get("/persons/new/")
    sent = client.post("/persons/new/", _person_form())

    assert shown.status_code == status
    assert sent.status_code == (status if status != 200 else 302)
    if status != 200:
        assert _written() == before
    if status == 302:
        assert shown["Location"] == "/?next=/persons/new/"


def test_registers_a_person_with_an_address_and_opens_their_360_view(
    client_for: Any, agents: dict[str, Any]
) -> None:
    client = client_for(agents["first_line"])

    response = client.post("/persons/new/", _person_form())

    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/persons/{person.uuid}/"
    assert (person.surname, person.given_names, person.national_number) == (
        "Dupont",
        "Jean",
        NN,
    )
    # The service fills the birth date and sex from the national number.
    assert (person.birth_date, person.sex) == (dt.date(1985, 7, 30), "M")
    assert person.addresses.get().formatted_lines() == [
        "Rue Haute 12 bte 3",
        "1000 Bruxelles",
    ]
    page = client.get(response["Location"])
    assert "DUPONT Jean was registered." in html_of(page)
    assert "Rue Haute 12 bte 3" in html_of(page)


def test_an_address_left_empty_is_no_address(
    client_for: Any, agents: dict[str, Any]
) -> None:
    client = client_for(agents["first_line"])
    empty = {
        name: ""
        for name in _person_form()
        if name.startswith("address_")
        and name not in ("address_country", "address_kind")
    }

    response = client.post("/persons/new/", _person_form(**empty))

    assert response.status_code == 302
    assert Person.objects.get().addresses.count() == 0


def test_bad_input_is_named_next_to_its_field_kept_and_nothing_is_written(
    client_for: Any, agents: dict[str, Any]
) -> None:
    client = client_for(agents["first_line"])
    before = _written()

    response = client.post(
        "/persons/new/",
        _person_form(
            surname="",
            national_number="85.07.30-033.29",
            address_postal_code="100",
        ),
    )

    assert response.status_code == 422
    assert _written() == before
    assert field_error(response, "surname")
    assert "check digits" in field_error(response, "national_number").lower()
    assert field_error(response, "address_postal_code") == (
        "A Belgian postal code has four digits, from 1000 to 9999."
    )
    assert field_error(response, "given_names") == ""
    page = html_of(response)
    assert 'value="85.07.30-033.29"' in page
    assert 'value="Rue Haute"' in page
    assert "Some fields are not valid; nothing was saved." in page


def test_errors_are_translated(make_agent: Any) -> None:
    agent = make_agent("first_line", level="C", teams=("cc-nl",), language="nl")
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(agent)

    response = client.post("/persons/new/", _person_form(address_postal_code="100"))

    assert response.status_code == 422
    assert field_error(response, "address_postal_code") == (
        "Een Belgische postcode heeft vier cijfers, van 1000 tot 9999."
    )
    assert "Een persoon registreren" in html_of(response)


def test_a_likely_duplicate_is_shown_and_registered_only_when_confirmed(
    client_for: Any, agents: dict[str, Any]
) -> None:
    client = client_for(agents["first_line"])
    known = PersonFactory(
        given_names="Jean", surname="Dupond", birth_date=dt.date(1985, 7, 30)
    )
    before = _written()

    warned = client.post("/persons/new/", _person_form())

    assert warned.status_code == 409
    assert _written() == before
    page = html_of(warned)
    assert "This person may already be registered" in page
    assert f'<a href="/persons/{known.uuid}/">DUPOND Jean</a>' in page
    assert 'name="acknowledge_duplicates" value="1"' in page
    assert 'value="Dupont"' in page

    confirmed = client.post("/persons/new/", _person_form(acknowledge_duplicates="1"))

    assert confirmed.status_code == 302
    assert Person.objects.filter(surname="Dupont").count() == 1
    event = AuditEvent.objects.filter(action="person.create").get()
    assert event.summary["acknowledged_duplicates"] is True


def test_a_duplicate_the_agent_may_not_see_is_never_named(
    client_for: Any, agents: dict[str, Any]
) -> None:
    client = client_for(agents["first_line"])
    PersonFactory(
        given_names="Jean",
        surname="Dupond",
        birth_date=dt.date(1985, 7, 30),
        confidential_team=TeamFactory(code="visas"),
    )

    response = client.post("/persons/new/", _person_form())

    assert "DUPOND" not in html_of(response)


def test_a_national_number_already_registered_is_named_next_to_the_field(
    client_for: Any, agents: dict[str, Any]
) -> None:
    client = client_for(agents["first_line"])
    PersonFactory(national_number=NN, birth_date=dt.date(1985, 7, 30))
    before = _written()

    response = client.post(
        "/persons/new/", _person_form(surname="Autre", given_names="Nom")
    )

    assert response.status_code == 422
    assert _written() == before
    assert field_error(response, "national_number") == (
        "A person with this national number is already registered."
    )


def test_the_register_buttons_are_offered_to_agents_who_may(
    client_for: Any, agents: dict[str, Any]
) -> None:
    client = client_for(agents["level_d"])

    assert 'href="/persons/new/"' in html_of(client.get("/search/"))
    assert 'href="/organisations/new/"' in html_of(client.get("/organisations/"))


# Registering an organisation.


def _organisation_form(**changes: str) -> dict[str, str]:
    data = {
        "name": "Boulangerie Dupont SRL",
        "enterprise_number": BCE,
        "language": "fr",
        "address_street": "Rue Neuve",
        "address_house_number": "5",
        "address_postal_code": "5000",
        "address_municipality": "Namur",
        "address_country": "BE",
        "address_kind": "work",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("_case", "agent", "status"),
    [
        ("anonymous goes to the login page", None, 302),
        ("an administrator may not", "admin", 403),
        ("a first-line agent may", "first_line", 200),
    ],
)
def test_organisation_create_authorization(
    client_for: Any, agents: dict[str, Any], _case: str, agent: str | None, status: int
) -> None:
    client = client_for(agents[agent]) if agent else Client()

    shown = client.get("/organisations/new/")
    sent = client.post("/organisations/new/", _organisation_form())

    assert shown.status_code == status
    assert sent.status_code == (status if status != 200 else 302)
    assert Organisation.objects.count() == (1 if status == 200 else 0)


def test_registers_an_organisation_and_opens_it(
    client_for: Any, agents: dict[str, Any]
) -> None:
    client = client_for(agents["first_line"])

    response = client.post("/organisations/new/", _organisation_form())

    organisation = Organisation.objects.get()
    assert response["Location"] == f"/organisations/{organisation.uuid}/"
    assert organisation.enterprise_number == BCE
    assert organisation.addresses.get().formatted_lines() == [
        "Rue Neuve 5",
        "5000 Namur",
    ]
    assert "Boulangerie Dupont SRL was registered." in html_of(
        client.get(response["Location"])
    )


@pytest.mark.parametrize(
    ("_case", "changes", "field"),
    [
        ("a name is required", {"name": ""}, "name"),
        ("bad check digits", {"enterprise_number": "0403170702"}, "enterprise_number"),
        ("a town is required", {"address_municipality": ""}, "address_municipality"),
    ],
)
def test_bad_organisation_input_is_named_and_nothing_is_written(
    client_for: Any,
    agents: dict[str, Any],
    _case: str,
    changes: dict[str, str],
    field: str,
) -> None:
    client = client_for(agents["first_line"])

    response = client.post("/organisations/new/", _organisation_form(**changes))

    assert response.status_code == 422
    assert field_error(response, field)
    assert Organisation.objects.count() == 0
    assert PostalAddress.objects.count() == 0


def test_an_enterprise_number_registered_twice_is_refused(
    client_for: Any, agents: dict[str, Any], organisation: Any
) -> None:
    client = client_for(agents["first_line"])

    response = client.post(
        "/organisations/new/",
        _organisation_form(enterprise_number=organisation.enterprise_number),
    )

    assert response.status_code == 422
    assert field_error(response, "enterprise_number") == (
        "An organisation with this enterprise number is already registered."
    )
    assert Organisation.objects.count() == 1


# Editing a postal address.


@pytest.fixture
def housed(agents: dict[str, Any]) -> tuple[Any, PostalAddress]:
    person = PersonFactory(given_names="Louise", surname="Lambert")
    row = services.person_contact_add(
        actor=agents["first_line"],
        person_id=person.uuid,
        expected_version=person.version,
        address=services.AddressInput(
            street="Rue Haute",
            house_number="12",
            postal_code="1000",
            municipality="Bruxelles",
        ),
    )
    person.refresh_from_db()
    assert isinstance(row, PostalAddress)
    return person, row


def _address_form(version: int, **changes: str) -> dict[str, str]:
    data = {
        "version": str(version),
        "address_street": "Meir",
        "address_house_number": "50",
        "address_box": "2",
        "address_postal_code": "2000",
        "address_municipality": "Antwerpen",
        "address_country": "BE",
        "address_kind": "residence",
    }
    data.update(changes)
    return data


def _url(person: Any, row: Any) -> str:
    return f"/persons/{person.uuid}/addresses/{row.uuid}/edit/"


def _lines(row: PostalAddress) -> list[str]:
    return PostalAddress.objects.get(pk=row.pk).formatted_lines()


def test_the_360_view_links_each_address_to_its_edit(
    client_for: Any, agents: dict[str, Any], housed: tuple[Any, PostalAddress]
) -> None:
    person, row = housed

    page = html_of(client_for(agents["level_d"]).get(f"/persons/{person.uuid}/"))

    assert f'href="{_url(person, row)}"' in page


def test_edits_an_address_on_the_version_read(
    client_for: Any, agents: dict[str, Any], housed: tuple[Any, PostalAddress]
) -> None:
    person, row = housed
    client = client_for(agents["first_line"])

    shown = client.get(_url(person, row))
    saved = client.post(_url(person, row), _address_form(person.version))

    assert 'value="Rue Haute"' in html_of(shown)
    assert f'name="version" value="{person.version}"' in html_of(shown)
    assert saved.status_code == 302
    assert saved["Location"] == f"/persons/{person.uuid}/"
    assert _lines(row) == ["Meir 50 bte 2", "2000 Antwerpen"]
    assert "The postal address was saved." in html_of(client.get(saved["Location"]))
    history = html_of(client.get(f"/persons/{person.uuid}/history/"))
    assert (
        "postal address: <del>Rue Haute 12, 1000 Bruxelles</del> → "
        "<ins>Meir 50 bte 2, 2000 Antwerpen</ins>"
    ) in history


def test_a_bad_address_is_named_next_to_its_field_and_changes_nothing(
    client_for: Any, agents: dict[str, Any], housed: tuple[Any, PostalAddress]
) -> None:
    person, row = housed
    client = client_for(agents["first_line"])

    response = client.post(
        _url(person, row),
        _address_form(person.version, address_postal_code="20", address_street=""),
    )

    assert response.status_code == 422
    assert field_error(response, "address_postal_code")
    assert field_error(response, "address_street")
    assert 'value="Antwerpen"' in html_of(response)
    assert _lines(row) == ["Rue Haute 12", "1000 Bruxelles"]


def test_a_stale_address_edit_shows_the_conflict_and_changes_nothing(
    client_for: Any, agents: dict[str, Any], housed: tuple[Any, PostalAddress]
) -> None:
    person, row = housed
    read_at = person.version
    services.person_contact_add(
        actor=agents["level_d"],
        person_id=person.uuid,
        expected_version=read_at,
        phone=services.PhoneInput(number="0470 12 34 56"),
    )
    client = client_for(agents["first_line"])

    response = client.post(_url(person, row), _address_form(read_at))

    assert response.status_code == 409
    assert _lines(row) == ["Rue Haute 12", "1000 Bruxelles"]
    page = html_of(response)
    assert "Another agent changed this person meanwhile" in page
    assert "added +32470123456" in page
    # The agent's input is kept, on the current version: saving again is one click.
    assert 'value="Meir"' in page
    assert f'name="version" value="{read_at + 1}"' in page
    again = client.post(_url(person, row), _address_form(read_at + 1))
    assert again.status_code == 302
    assert _lines(row) == ["Meir 50 bte 2", "2000 Antwerpen"]


@pytest.mark.parametrize(
    ("_case", "agent", "status"),
    [
        ("anonymous goes to the login page", None, 302),
        ("an administrator sees no citizen", "admin", 404),
        ("another team's confidential person looks missing", "visas_outsider", 404),
    ],
)
def test_who_may_edit_an_address(
    client_for: Any,
    agents: dict[str, Any],
    make_agent: Any,
    housed: tuple[Any, PostalAddress],
    _case: str,
    agent: str | None,
    status: int,
) -> None:
    person, row = housed
    if agent == "visas_outsider":
        Person.objects.filter(pk=person.pk).update(
            confidential_team=TeamFactory(code="visas")
        )
        agent = "first_line"
    client = client_for(agents[agent]) if agent else Client()

    shown = client.get(_url(person, row))
    sent = client.post(_url(person, row), _address_form(person.version))

    assert (shown.status_code, sent.status_code) == (status, status)
    assert _lines(row) == ["Rue Haute 12", "1000 Bruxelles"]


def test_an_address_of_another_person_is_not_found(
    client_for: Any, agents: dict[str, Any], housed: tuple[Any, PostalAddress]
) -> None:
    _person, row = housed
    other = PersonFactory()
    client = client_for(agents["first_line"])

    response = client.post(
        f"/persons/{other.uuid}/addresses/{row.uuid}/edit/",
        _address_form(other.version),
    )

    assert response.status_code == 404
    assert _lines(row) == ["Rue Haute 12", "1000 Bruxelles"]


# Identity edits against the national number; names and contact points.


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
