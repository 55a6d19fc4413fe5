"""Persons over HTTP: problem details, versions, languages, authorization matrix."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client

import pytest

from guichet.audit.models import AuditEvent
from guichet.demo.identifiers import national_number
from guichet.parties.models import Person
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

NN = national_number(dt.date(1990, 5, 17), 42)


def _create(api: Any, **fields: Any) -> Any:
    body = {
        "given_names": "Hélène",
        "surname": "Lefèvre",
        "national_number": NN,
        "phones": [{"number": "0470 12 34 56"}],
    }
    body.update(fields)
    return api.post("/persons", body)


def test_creates_reads_and_versions_a_person(first_line: Any, api_for: Any) -> None:
    api = api_for(first_line)
    created = _create(api)
    assert created.status_code == 201
    body = created.json()
    assert created["ETag"] == '"1"'
    assert created["Location"].endswith(body["id"])
    assert (body["birth_date"], body["sex"], body["national_number"]) == (
        "1990-05-17",
        "F",
        NN,
    )
    assert body["phones"][0]["number"] == "+32470123456"
    read = api.get(f"/persons/{body['id']}")
    assert read.status_code == 200
    assert read["ETag"] == '"1"'


def test_a_creation_answers_the_person_as_written_without_a_logged_read(
    first_line: Any, api_for: Any
) -> None:
    api = api_for(first_line)
    created = _create(
        api,
        emails=[{"address": "helene@example.org"}],
        addresses=[
            {
                "street": "Rue Haute",
                "house_number": "1",
                "municipality": "Namur",
                "postal_code": "5000",
            }
        ],
    ).json()
    assert not AuditEvent.objects.filter(chain="access").exists()
    assert AuditEvent.objects.filter(action="person.create").count() == 1
    assert api.get(f"/persons/{created['id']}").json() == created


def test_unauthenticated_calls_get_a_401_problem() -> None:
    response = Client().get("/api/v1/persons?name=x")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "authentication_required"


def test_a_wrong_token_is_refused() -> None:
    response = Client(HTTP_AUTHORIZATION="Bearer gch_00000000_nope").get("/api/v1/me")
    assert response.status_code == 401


def test_invalid_input_is_a_422_naming_each_field_in_the_callers_language(
    first_line: Any, api_for: Any
) -> None:
    api = api_for(first_line, language="fr")
    response = _create(api, national_number="90051704299", emails=[{"address": "nope"}])
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "urn:guichet:problem:invalid"
    assert problem["title"] == "Données non valides"
    fields = {error["field"]: error for error in problem["errors"]}
    assert set(fields) == {"national_number", "emails[0].address"}
    assert (
        fields["emails[0].address"]["message"]
        == "Ce n'est pas une adresse e-mail valide."
    )
    assert Person.objects.count() == 0


def test_schema_errors_are_problems_too(first_line: Any, api_for: Any) -> None:
    api = api_for(first_line, language="nl")
    response = api.post(
        "/persons", {"given_names": "Jan", "sex": "Q", "birth_date": "17/05/1990"}
    )
    assert response.status_code == 422
    fields = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert fields["surname"] == "Dit veld is verplicht."
    assert fields["birth_date"] == "Geef een datum als JJJJ-MM-DD."
    assert "sex" in fields


def test_malformed_json_is_a_400_problem(first_line: Any, api_for: Any) -> None:
    api = api_for(first_line)
    response = api.client.post(
        "/api/v1/persons", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed"


def test_update_needs_if_match_and_refuses_a_stale_version(
    first_line: Any, api_for: Any
) -> None:
    api = api_for(first_line)
    person = PersonFactory(surname="Dupont")
    path = f"/persons/{person.uuid}"
    missing = api.patch(path, {"surname": "Dupond"})
    assert missing.status_code == 428
    assert missing.json()["code"] == "version_required"
    done = api.patch(path, {"surname": "Dupond"}, HTTP_IF_MATCH='"1"')
    assert done.status_code == 200
    assert done["ETag"] == '"2"'
    stale = api.patch(path, {"surname": "Other"}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    assert stale.json()["current_version"] == 2
    person.refresh_from_db()
    assert person.surname == "Dupond"


def test_adds_and_removes_contact_points_with_versions(
    first_line: Any, api_for: Any
) -> None:
    api = api_for(first_line)
    person = PersonFactory()
    added = api.post(
        f"/persons/{person.uuid}/emails",
        {"address": "marie@example.be"},
        HTTP_IF_MATCH='"1"',
    )
    assert added.status_code == 201
    email_id = added.json()["emails"][0]["id"]
    address = api.post(
        f"/persons/{person.uuid}/addresses",
        {
            "street": "Meir",
            "house_number": "1",
            "postal_code": "2000",
            "municipality": "Antwerpen",
        },
        HTTP_IF_MATCH='"2"',
    )
    assert address.json()["addresses"][0]["formatted"] == ["Meir 1", "2000 Antwerpen"]
    removed = api.delete(
        f"/persons/{person.uuid}/contact-points/{email_id}", HTTP_IF_MATCH='"3"'
    )
    assert removed.status_code == 200
    assert removed.json()["emails"] == []
    assert removed["ETag"] == '"4"'


def test_a_likely_duplicate_is_a_409_until_acknowledged(
    first_line: Any, api_for: Any
) -> None:
    api = api_for(first_line)
    first = _create(api, national_number=None, birth_date="1990-05-17")
    again = _create(
        api, national_number=None, birth_date="1990-05-17", given_names="Helene"
    )
    assert again.status_code == 409
    assert again.json()["candidates"] == [first.json()["id"]]
    confirmed = _create(
        api,
        national_number=None,
        birth_date="1990-05-17",
        given_names="Helene",
        acknowledge_duplicates=True,
    )
    assert confirmed.status_code == 201


def test_search_by_name_number_email_and_phone(first_line: Any, api_for: Any) -> None:
    api = api_for(first_line)
    person_id = _create(api, emails=[{"address": "helene@example.be"}]).json()["id"]
    for query in (
        "name=helene%20lefevr",
        f"national_number={NN}",
        "email=HELENE@example.be",
        "phone=%2B32470123456",
    ):
        response = api.get(f"/persons?{query}")
        assert response.status_code == 200, query
        assert [item["id"] for item in response.json()["items"]] == [person_id], query
    assert api.get("/persons").status_code == 422


def test_search_is_paginated(first_line: Any, api_for: Any) -> None:
    api = api_for(first_line)
    for _ in range(3):
        PersonFactory(surname="Peeters")
    page = api.get("/persons?name=peeters&page_size=2").json()
    assert (len(page["items"]), page["has_next"], page["page"]) == (2, True, 1)
    assert api.get("/persons?name=peeters&page_size=101").status_code == 422


@pytest.mark.parametrize(
    ("_case", "roles", "level", "teams", "expected"),
    [
        ("allowed", ("first_line",), "C", ("cc-fr",), 200),
        ("level D may not change identity", ("support_agent",), "D", ("cc-fr",), 403),
        ("admin does not read citizens", ("admin",), "A2", ("support",), 404),
        ("confidential to another team", ("first_line",), "C", ("cc-nl",), 404),
    ],
)
def test_authorization_matrix_for_an_identity_change(
    make_agent: Any,
    api_for: Any,
    _case: str,
    roles: tuple[str, ...],
    level: str,
    teams: tuple[str, ...],
    expected: int,
) -> None:
    person = PersonFactory(
        surname="Dupont", confidential_team=TeamFactory(code="cc-fr")
    )
    agent = make_agent(*roles, level=level, teams=teams)
    response = api_for(agent).patch(
        f"/persons/{person.uuid}", {"surname": "X"}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == expected
    person.refresh_from_db()
    assert person.surname == ("X" if expected == 200 else "Dupont")
    assert person.version == (2 if expected == 200 else 1)


def test_anonymous_and_forbidden_creations_write_nothing(
    make_agent: Any, api_for: Any
) -> None:
    admin = make_agent("admin", level="A2", teams=("support",))
    assert (
        api_for(admin)
        .post("/persons", {"given_names": "A", "surname": "B"})
        .status_code
        == 403
    )
    assert (
        Client()
        .post("/api/v1/persons", data={}, content_type="application/json")
        .status_code
        == 401
    )
    assert Person.objects.count() == 0


def test_every_read_is_in_the_access_log(first_line: Any, api_for: Any) -> None:
    api = api_for(first_line)
    person = PersonFactory()
    api.get(f"/persons/{person.uuid}")
    api.get(f"/persons?national_number={person.national_number}")
    actions = list(
        AuditEvent.objects.filter(chain="access").values_list("action", "actor_id")
    )
    assert actions == [("person.view", first_line.pk), ("person.search", first_line.pk)]


def test_session_authentication_needs_csrf_on_writes(first_line: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(first_line)
    assert browser.get("/api/v1/me").json()["username"] == first_line.username
    refused = browser.post(
        "/api/v1/persons",
        data=json.dumps({"given_names": "A", "surname": "B"}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"


def test_organisations(first_line: Any, api_for: Any) -> None:
    api = api_for(first_line)
    created = api.post(
        "/organisations",
        {"name": "Garage Lambert", "enterprise_number": "BE0403.170.701"},
    )
    assert created.status_code == 201
    organisation_id = created.json()["id"]
    assert (
        api.get("/organisations?enterprise_number=0403170701").json()["items"][0]["id"]
        == organisation_id
    )
    assert (
        api.get("/organisations?name=lambert").json()["items"][0]["id"]
        == organisation_id
    )
    patched = api.patch(
        f"/organisations/{organisation_id}",
        {"name": "Garage Lambert SA"},
        HTTP_IF_MATCH='"1"',
    )
    assert patched.json()["name"] == "Garage Lambert SA"
    person = PersonFactory()
    linked = api.post(
        f"/persons/{person.uuid}/links",
        {"organisation_id": organisation_id, "kind": "employer"},
    )
    assert linked.status_code == 201
    assert linked.json()["links"][0]["organisation_name"] == "Garage Lambert SA"


def test_an_identity_against_the_national_number_needs_an_override(
    first_line: Any, api_for: Any
) -> None:
    # given a man whose national number says he was born on 30 July 1985
    person = PersonFactory(birth_date=dt.date(1985, 7, 30), sex="M")
    api = api_for(first_line)
    # when the API is asked to make him a woman
    refused = api.patch(f"/persons/{person.uuid}", {"sex": "F"}, HTTP_IF_MATCH='"1"')
    # then it is a 422 on the field, and with a reason it is saved
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("sex", "sex_mismatch")
    ]
    saved = api.patch(
        f"/persons/{person.uuid}",
        {"sex": "F", "contradiction_override": "Registered change pending."},
        HTTP_IF_MATCH='"1"',
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["sex"] == "F"


def test_names_and_contact_points_are_checked_through_the_api(
    first_line: Any, api_for: Any
) -> None:
    api = api_for(first_line)
    refused = api.post(
        "/persons",
        {
            "given_names": "\u200b",
            "surname": "Dupont\u202e",
            "emails": [{"address": f"j{n}@example.org"} for n in range(21)],
        },
    )
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("given_names", "name_character"),
        ("surname", "name_character"),
        ("emails", "too_many_contact_points"),
    ]
    assert Person.objects.count() == 0


def test_a_confidential_person_does_not_show_through_registration(
    first_line: Any, api_for: Any
) -> None:
    # given a person confidential to the visas team
    number = national_number(dt.date(1985, 7, 30), 33)
    hidden = PersonFactory(
        given_names="Jean",
        surname="Dupont",
        birth_date=dt.date(1985, 7, 30),
        sex="M",
        national_number=number,
        confidential_team=TeamFactory(code="visas"),
    )
    api = api_for(first_line)
    # when a first-line agent registers the same name and birth date
    created = api.post(
        "/persons",
        {"given_names": "Jean", "surname": "Dupont", "birth_date": "1985-07-30"},
    )
    # then no duplicate is counted that they could not see
    assert created.status_code == 201, created.content
    # and the hidden person's number is refused without naming anyone
    refused = api.post(
        "/persons",
        {"given_names": "Paul", "surname": "Martin", "national_number": number},
    )
    assert refused.status_code == 422
    assert str(hidden.uuid) not in refused.content.decode()
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("national_number", "national_number_taken")
    ]
    assert (
        AuditEvent.objects.filter(
            chain="access",
            action="person.identifier_conflict",
            object_id=str(hidden.uuid),
        ).count()
        == 1
    )
