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

    # Issue #13 item 2: an anonymous contact may become a request too.
    assert b"Register and create the request" in page.content
    assert b'name="caller_person' not in page.content
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


def test_the_caller_is_picked_among_the_persons_the_agent_sees(
    client_for: Any, first: Any
) -> None:
    person = PersonFactory(language="fr", surname="Lambert")
    social_worker = PersonFactory(given_names="Sofia", surname="Marchal")
    PersonFactory(
        given_names="Sofia",
        surname="Marchant",
        confidential_team=TeamFactory(code="visas"),
    )
    client = client_for(first)

    found = client.get("/persons/pick/?field=caller_person&caller_person_q=marchal")
    _post(
        client,
        f"/persons/{person.uuid}/contacts/new/",
        caller_person=str(social_worker.uuid),
        caller_relation="social_worker",
    )

    assert found.status_code == 200
    assert [p.pk for p in found.context["persons"]] == [social_worker.pk]
    assert "Marchant" not in found.content.decode()
    assert f'name="caller_person" value="{social_worker.uuid}"' in (
        found.content.decode()
    )
    contact = Contact.objects.get()
    assert (contact.person, contact.caller_person) == (person, social_worker)
    assert contact.caller_relation == "social_worker"


def test_a_hidden_caller_is_refused_as_not_found_and_the_free_text_stays(
    client_for: Any, first: Any
) -> None:
    person = PersonFactory(language="fr")
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    client = client_for(first)

    refused = _post(
        client,
        f"/persons/{person.uuid}/contacts/new/",
        caller_person=str(hidden.uuid),
    )
    typed = _post(
        client,
        f"/persons/{person.uuid}/contacts/new/",
        caller_name="Her neighbour",
        caller_relation="other",
    )

    assert refused.status_code == 422
    assert refused.context["form"].errors["caller_person"] == [
        "No such record was found."
    ]
    assert hidden.surname not in refused.content.decode()
    assert typed.status_code == 302
    assert Contact.objects.get().caller_name == "Her neighbour"


def test_the_picker_answers_only_for_its_fields(client_for: Any, first: Any) -> None:
    client = client_for(first)
    assert client.get("/persons/pick/?field=owner&owner_q=x").status_code == 404
    assert client.get("/persons/pick/?field=person&person_q=").status_code == 200


def test_a_complaint_from_the_first_line_keeps_its_own_fields(
    client_for: Any, first: Any, routed: Any
) -> None:
    person = PersonFactory(language="fr")
    response = _post(
        client_for(first),
        f"/persons/{person.uuid}/contacts/new/",
        path="request",
        kind="complaint",
        subject="Rude answer at the counter",
        topic=_topic("complaints"),
        seriousness="serious",
        complaint_about="Shouted at on 3 March, counter 2.",
        complaint_service="legalisations",
    )

    assert response.status_code == 302
    complaint = Request.objects.get()
    assert complaint.kind == "complaint"
    assert complaint.seriousness == "serious"
    assert complaint.complaint_about == "Shouted at on 3 March, counter 2."
    assert complaint.complaint_service == routed["legalisations"]


def test_complaint_fields_on_a_question_are_refused_next_to_the_field(
    client_for: Any, first: Any
) -> None:
    person = PersonFactory(language="fr")
    response = _post(
        client_for(first),
        f"/persons/{person.uuid}/contacts/new/",
        path="request",
        kind="question",
        subject="When?",
        complaint_about="Nothing",
    )
    assert response.status_code == 422
    assert response.context["form"].errors["complaint_about"]
    assert not Request.objects.exists()
    assert not Contact.objects.exists()


def test_an_anonymous_caller_gets_a_request_later_identified(
    client_for: Any, first: Any
) -> None:
    client = client_for(first)
    created = _post(
        client,
        "/contacts/new/",
        path="request",
        anonymous_details="A woman from Namur",
        subject="Opening hours",
    )
    request = Request.objects.get()
    assert created.status_code == 302
    assert created["Location"] == f"/requests/{request.reference}/"
    assert request.person is None
    assert request.requester_name == "A woman from Namur"
    page = client.get(created["Location"])
    assert "identify" in page.context["forms"]
    assert "reply" not in page.context["forms"]

    person = PersonFactory(language="fr")
    identified = client.post(
        f"/requests/{request.reference}/identify/",
        {"version": request.version, "person": str(person.uuid)},
    )

    assert identified.status_code == 302
    request.refresh_from_db()
    assert request.person == person
    page = client.get(f"/requests/{request.reference}/")
    assert "The person concerned was identified." in page.content.decode()
    assert "reply" in page.context["forms"]


def _anonymous_contact(client: Client) -> Contact:
    _post(client, "/contacts/new/", anonymous_details="A man, 0470 12 34 56")
    return Contact.objects.get()


def test_a_contact_is_corrected_identified_and_attached_on_its_page(
    client_for: Any, first: Any
) -> None:
    client = client_for(first)
    contact = _anonymous_contact(client)
    person = PersonFactory(language="fr")
    other = PersonFactory(language="fr")
    from guichet.servicerequests.services import RequestInput, request_create

    existing = request_create(
        actor=first,
        data=RequestInput(
            kind="question",
            subject="Benefit",
            topic="benefit-payment",
            channel="phone",
            person=str(other.uuid),
        ),
    )
    url = f"/contacts/{contact.uuid}/"

    page = client.get(url)
    corrected = client.post(
        f"{url}correct/",
        {
            "version": contact.version,
            "topic": _topic("legalisation"),
            "summary": "Asked about an apostille.",
            "outcome": "forwarded",
        },
    )
    contact.refresh_from_db()
    identified = client.post(
        f"{url}identify/", {"version": contact.version, "person": str(person.uuid)}
    )
    attached = client.post(f"{url}attach/", {"reference": existing.reference})

    assert page.status_code == 200
    assert set(page.context["forms"]) == {"correct", "identify", "attach", "request"}
    assert corrected.status_code == 302
    assert identified.status_code == 302
    assert attached["Location"] == f"/requests/{existing.reference}/"
    contact.refresh_from_db()
    assert contact.topic is not None
    assert contact.topic.code == "legalisation"
    assert (contact.summary, contact.outcome) == (
        "Asked about an apostille.",
        "forwarded",
    )
    assert contact.person == person
    assert list(existing.contacts.all()) == [contact]
    assert [r.pk for r in client.get(url).context["requests"]] == [existing.pk]


def test_a_stale_correction_shows_the_conflict(client_for: Any, first: Any) -> None:
    client = client_for(first)
    contact = _anonymous_contact(client)
    response = client.post(
        f"/contacts/{contact.uuid}/correct/",
        {"version": contact.version + 5, "summary": "Late"},
    )
    assert response.status_code == 409
    assert response.context["stale"]
    contact.refresh_from_db()
    assert contact.summary == "Asked for the C4 attestation."


def test_a_request_is_opened_from_an_anonymous_contact_page(
    client_for: Any, first: Any
) -> None:
    client = client_for(first)
    contact = _anonymous_contact(client)
    response = client.post(
        f"/contacts/{contact.uuid}/request/",
        {
            "kind": "question",
            "subject": "Opening hours",
            "topic": _topic("attestations"),
            "priority": "normal",
        },
    )
    request = Request.objects.get()
    assert response["Location"] == f"/requests/{request.reference}/"
    assert list(request.contacts.all()) == [contact]
    assert request.person is None


def test_a_contact_about_a_hidden_person_is_404_like_a_missing_one(
    client_for: Any, first: Any, make_agent: Any
) -> None:
    visas = make_agent("front_office", teams=("visas",), username="visa")
    hidden = PersonFactory(confidential_team=visas.memberships.get().team)
    from guichet.contacts.services import ContactInput, contact_register

    contact = contact_register(
        actor=visas, data=ContactInput(channel="phone", person=str(hidden.uuid))
    )
    client = client_for(first)
    assert client.get(f"/contacts/{contact.uuid}/").status_code == 404
    assert (
        client.get("/contacts/00000000-0000-4000-8000-000000000000/").status_code == 404
    )
    assert (
        client.post(f"/contacts/{contact.uuid}/correct/", {"version": 1}).status_code
        == 404
    )


def test_a_hidden_caller_on_the_request_path_is_refused_next_to_the_caller(
    client_for: Any, first: Any
) -> None:
    person = PersonFactory(language="fr")
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))

    refused = _post(
        client_for(first),
        f"/persons/{person.uuid}/contacts/new/",
        path="request",
        subject="When?",
        caller_person=str(hidden.uuid),
    )

    assert refused.status_code == 422
    assert refused.context["form"].errors["caller_person"] == [
        "No such record was found."
    ]
    assert not Request.objects.exists()
    assert not Contact.objects.exists()
