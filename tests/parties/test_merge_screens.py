"""The Duplicates section (ui/views/quality_duplicates.py): list, compare, confirm,
merge; bad input 422, stale versions 409, nothing changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

import pytest

from guichet.parties.models import EmailAddress, Person
from tests.factories import AgentFactory, PersonFactory, TeamFactory

DAY = dt.date(1980, 5, 17)


@pytest.fixture
def pair(db: Any) -> tuple[Person, Person]:
    keep = PersonFactory(surname="Dupont", given_names="Jean", birth_date=DAY)
    absorb = PersonFactory(
        surname="Dupond", given_names="Jean", birth_date=DAY, anonymous=True
    )
    for person in (keep, absorb):
        EmailAddress.objects.create(
            person=person, address="jean@example.org", address_key="jean@example.org"
        )
    return keep, absorb


def _client(role: str = "supervisor", level: str = "B") -> Client:
    client = Client()
    client.force_login(
        AgentFactory(roles=[role], level=level, teams=[TeamFactory(code="support")])
    )
    return client


def test_a_supervisor_finds_compares_and_merges(pair: tuple[Person, Person]) -> None:
    keep, absorb = pair
    client = _client()
    listing = client.get("/quality/duplicates/")
    assert listing.status_code == 200
    url = f"/quality/duplicates/{keep.uuid}/{absorb.uuid}/"
    assert url in listing.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "Score 80 of 100" in page.content.decode()
    data = {
        "keep": str(keep.uuid),
        "reason": "Typo in the surname.",
        "first_version": keep.version,
        "second_version": absorb.version,
    }
    assert client.post(url, {**data, "reason": ""}).status_code == 422
    confirm = client.post(url, data)
    assert confirm.status_code == 200
    assert "This cannot be undone" in confirm.content.decode()
    assert Person.objects.get(pk=absorb.pk).merged_into_id is None
    done = client.post(url, {**data, "confirmed": "on"})
    assert done.status_code == 302
    assert Person.objects.get(pk=absorb.pk).merged_into_id == keep.pk
    traced = client.get(f"/persons/{absorb.uuid}/", follow=True)
    assert traced.redirect_chain[-1][0] == f"/persons/{keep.uuid}/"
    assert "merged into" in traced.content.decode()


def test_a_stale_version_is_refused(pair: tuple[Person, Person]) -> None:
    keep, absorb = pair
    url = f"/quality/duplicates/{keep.uuid}/{absorb.uuid}/"
    response = _client().post(
        url,
        {
            "keep": str(absorb.uuid),
            "reason": "Same person.",
            "first_version": keep.version - 1 + 2,
            "second_version": absorb.version,
            "confirmed": "on",
        },
    )
    assert response.status_code == 409
    assert "Another agent changed this record" in response.content.decode()
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_others_may_not_open_the_section(pair: tuple[Person, Person]) -> None:
    assert _client("first_line", "B").get("/quality/duplicates/").status_code == 403
    # A level-D support agent sees the pairs, and may not merge them.
    junior = _client("support_agent", "D")
    assert junior.get("/quality/duplicates/").status_code == 200
    url = f"/quality/duplicates/{pair[0].uuid}/{pair[1].uuid}/"
    page = junior.get(url)
    assert "needs level C" in page.content.decode()
    assert 'name="reason"' not in page.content.decode()
    assert junior.post(url, {"confirmed": "on"}).status_code == 403


def test_a_pair_that_cannot_be_merged_says_why(db: Any) -> None:
    first = PersonFactory(surname="Dupont", birth_date=DAY)
    second = PersonFactory(surname="Dupont", birth_date=DAY)
    page = _client().get(f"/quality/duplicates/{first.uuid}/{second.uuid}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Both persons have a national number" in text
    assert 'name="reason"' not in text
