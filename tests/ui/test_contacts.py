"""The first line's contact screen, the person's Contacts tab and the service's list,
through the browser's HTTP."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from django.core import signing
from django.test import Client

import pytest

from guichet.contacts.models import Contact, Topic
from guichet.core import clock
from guichet.servicerequests.models import Request, RoutingRule, ServiceLevelRule
from guichet.ui.forms.contacts import opened_token
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(db: Any) -> dict[str, Any]:
    teams = {code: TeamFactory(code=code) for code in ("cc-fr", "legalisations")}
    RoutingRule.objects.create(team=teams["cc-fr"], language="fr", order=10)
    RoutingRule.objects.create(
        team=teams["legalisations"], topic=Topic.objects.get(code="consular"), order=5
    )
    ServiceLevelRule.objects.create(
        kind="question", first_answer_hours=Decimal(8), resolution_hours=Decimal(24)
    )
    return teams


@pytest.fixture
def first(make_agent: Any, routed: Any) -> Any:
    return make_agent("first_line", teams=("cc-fr",), username="first")


def _topic(code: str) -> str:
    return str(Topic.objects.get(team__isnull=True, code=code).uuid)


def _post(client: Client, url: str, **fields: str) -> Any:
    data = {
        "started_at": opened_token(clock.now() - dt.timedelta(minutes=3)),
        "team": "cc-fr",
        "channel": "phone",
        "topic": _topic("attestations"),
        "summary": "Asked for the C4 attestation.",
        "outcome": "answered",
        "kind": "question",
        "subject": "",
        "priority": "normal",
        "path": "contact",
    }
    data.update(fields)
    return client.post(url, data)


def test_the_screen_opens_with_the_phone_and_the_services_topics(
    client_for: Any, first: Any
) -> None:
    person = PersonFactory(language="fr")
    client = client_for(first)

    page = client.get(f"/persons/{person.uuid}/contacts/new/")

    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["started_at"]
    assert form["channel"].value() == "phone"
    labels = dict(form.fields["topic"].choices)
    assert labels[_topic("legalisation")].strip() == "Consular matters > Legalisation"
    assert b"Register and create the request" in page.content


def test_a_call_answered_at_once_is_registered_with_its_measured_duration(
    client_for: Any, first: Any
) -> None:
    person = PersonFactory(language="fr")
    client = client_for(first)

    answer = _post(client, f"/persons/{person.uuid}/contacts/new/")

    assert answer.status_code == 302
    assert answer["Location"] == f"/persons/{person.uuid}/contacts/"
    contact = Contact.objects.get()
    assert (contact.person, contact.agent, contact.outcome) == (
        person,
        first,
        "answered",
    )
    assert contact.ended_at is not None
    duration = contact.ended_at - contact.started_at
    assert dt.timedelta(minutes=3) <= duration < dt.timedelta(minutes=4)
    assert Request.objects.count() == 0
    tab = client.get(answer["Location"])
    assert b"Asked for the C4 attestation." in tab.content


def test_a_call_turns_into_a_request_routed_by_the_rules(
    client_for: Any, first: Any
) -> None:
    person = PersonFactory(language="fr")
    client = client_for(first)

    answer = _post(
        client,
        f"/persons/{person.uuid}/contacts/new/",
        path="request",
        topic=_topic("legalisation"),
        subject="Legalisation of a birth certificate",
        caller_relation="relative",
        caller_name="Marc Lambert",
    )

    request = Request.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/requests/{request.reference}/"
    assert request.team.code == "legalisations"
    assert request.person == person
    contact = Contact.objects.get()
    assert (contact.outcome, contact.caller_name, contact.caller_relation) == (
        "request_created",
        "Marc Lambert",
        "relative",
    )
    assert list(request.contacts.all()) == [contact]


def test_invalid_input_keeps_what_was_typed_and_says_why_in_french(
    client_for: Any, make_agent: Any, routed: Any
) -> None:
    agent = make_agent("first_line", teams=("cc-fr",), language="fr")
    person = PersonFactory()
    client = client_for(agent)

    answer = _post(
        client,
        f"/persons/{person.uuid}/contacts/new/",
        path="request",
        topic="",
        summary="Je garde ce texte",
    )

    assert answer.status_code == 422
    assert Contact.objects.count() == Request.objects.count() == 0
    form = answer.context["form"]
    assert form["summary"].value() == "Je garde ce texte"
    assert form.errors["subject"] == ["Ce champ est obligatoire."]
    assert "Je garde ce texte" in answer.content.decode()


def test_a_forged_or_old_opening_instant_is_refused(
    client_for: Any, first: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = PersonFactory()
    client = client_for(first)
    url = f"/persons/{person.uuid}/contacts/new/"

    forged = _post(client, url, started_at="2026-01-01T00:00:00+00:00")
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 13 * 3600)
    token = opened_token()
    monkeypatch.undo()
    old = _post(client, url, started_at=token)

    assert forged.status_code == old.status_code == 422
    assert Contact.objects.count() == 0
    assert "open it again" in forged.content.decode()


def test_an_anonymous_contact_is_registered_from_the_workspace(
    client_for: Any, first: Any
) -> None:
    client = client_for(first)

    page = client.get("/contacts/new/")
    answer = _post(
        client,
        "/contacts/new/",
        anonymous_details="A man from Liège, would not give his name.",
    )

    assert b"Register and create the request" not in page.content
    assert answer.status_code == 302
    contact = Contact.objects.get()
    assert contact.person is None
    assert contact.anonymous_details == "A man from Liège, would not give his name."
    listing = client.get("/contacts/")
    assert "Asked for the C4 attestation." in listing.content.decode()
    assert '<span class="empty">anonymous</span>' in listing.content.decode()


def test_a_hidden_person_and_a_role_without_contacts_get_404_or_403(
    client_for: Any, first: Any, make_agent: Any
) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    client = client_for(first)
    assert client.get(f"/persons/{hidden.uuid}/contacts/new/").status_code == 404
    assert client.get(f"/persons/{hidden.uuid}/contacts/").status_code == 404
    assert _post(client, f"/persons/{hidden.uuid}/contacts/new/").status_code == 404
    admin = client_for(make_agent("admin", level="A2", teams=("support",)))
    person = PersonFactory()
    assert admin.get("/contacts/").status_code == 403
    assert admin.get(f"/persons/{person.uuid}/contacts/new/").status_code == 404
    assert Contact.objects.count() == 0
    anonymous = Client()
    assert anonymous.get("/contacts/").status_code == 302


def test_the_contacts_entry_is_in_the_navigation_only_for_citizen_facing_roles(
    client_for: Any, first: Any, make_agent: Any
) -> None:
    home = client_for(first).get("/home/").content.decode()
    admin = client_for(make_agent("admin", level="A2", teams=("support",)))
    assert 'href="/contacts/"' in home
    assert 'href="/requests/"' in home
    assert 'href="/contacts/"' not in admin.get("/home/").content.decode()
