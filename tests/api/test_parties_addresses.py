"""Replacing a person's postal address over HTTP: If-Match, problems, access."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.parties.models import PostalAddress
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

MEIR = {
    "street": "Meir",
    "house_number": "50",
    "postal_code": "2000",
    "municipality": "Antwerpen",
}


def _housed(api: Any) -> tuple[Any, str]:
    person = PersonFactory()
    added = api.post(
        f"/persons/{person.uuid}/addresses",
        {
            "street": "Rue Haute",
            "house_number": "12",
            "postal_code": "1000",
            "municipality": "Bruxelles",
        },
        HTTP_IF_MATCH='"1"',
    )
    assert added.status_code == 201
    return person, added.json()["addresses"][0]["id"]


def _lines(address_id: str) -> list[str]:
    return PostalAddress.objects.get(uuid=address_id).formatted_lines()


def test_replaces_an_address_on_the_version_named(
    first_line: Any, api_for: Any
) -> None:
    api = api_for(first_line)
    person, address_id = _housed(api)
    path = f"/persons/{person.uuid}/addresses/{address_id}"

    missing = api.client.put(
        "/api/v1" + path, data=MEIR, content_type="application/json"
    )
    done = api.client.put(
        "/api/v1" + path,
        data=MEIR,
        content_type="application/json",
        HTTP_IF_MATCH='"2"',
    )
    stale = api.client.put(
        "/api/v1" + path,
        data={**MEIR, "street": "Other"},
        content_type="application/json",
        HTTP_IF_MATCH='"2"',
    )

    assert missing.status_code == 428
    assert done.status_code == 200
    assert done["ETag"] == '"3"'
    assert done.json()["addresses"][0]["formatted"] == ["Meir 50", "2000 Antwerpen"]
    assert stale.status_code == 412
    assert _lines(address_id) == ["Meir 50", "2000 Antwerpen"]


def test_bad_input_is_a_422_naming_the_field(first_line: Any, api_for: Any) -> None:
    api = api_for(first_line)
    person, address_id = _housed(api)

    refused = api.client.put(
        f"/api/v1/persons/{person.uuid}/addresses/{address_id}",
        data={**MEIR, "postal_code": "20"},
        content_type="application/json",
        HTTP_IF_MATCH='"2"',
    )

    assert refused.status_code == 422
    fields = [error["field"] for error in refused.json()["errors"]]
    assert fields == ["address.postal_code"]
    assert _lines(address_id) == ["Rue Haute 12", "1000 Bruxelles"]


def test_a_person_the_caller_may_not_see_is_a_404(
    first_line: Any, make_agent: Any, api_for: Any
) -> None:
    visas = make_agent("front_office", level="C", teams=("visas",))
    person, address_id = _housed(api_for(visas))
    type(person).objects.filter(pk=person.pk).update(
        confidential_team=TeamFactory(code="visas")
    )

    refused = api_for(first_line).client.put(
        f"/api/v1/persons/{person.uuid}/addresses/{address_id}",
        data=MEIR,
        content_type="application/json",
        HTTP_IF_MATCH='"2"',
    )

    assert refused.status_code == 404
    assert _lines(address_id) == ["Rue Haute 12", "1000 Bruxelles"]
