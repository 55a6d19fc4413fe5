"""Contacts, topics and requests over HTTP: valid and invalid input, hidden records,
versions, refusals, and the first line's contact-with-request in one call."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from guichet.contacts.models import Contact, Topic
from guichet.servicerequests.models import (
    Request,
    RequestEvent,
    RoutingRule,
    ServiceLevelRule,
)
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def routing(db: Any) -> dict[str, Any]:
    """cc-fr answers French; consular matters go to legalisations."""
    teams = {code: TeamFactory(code=code) for code in ("cc-fr", "legalisations")}
    RoutingRule.objects.create(team=teams["cc-fr"], language="fr", order=10)
    RoutingRule.objects.create(
        team=teams["legalisations"], topic=Topic.objects.get(code="consular"), order=20
    )
    ServiceLevelRule.objects.create(
        kind="question", first_answer_hours=Decimal(8), resolution_hours=Decimal(24)
    )
    return teams


@pytest.fixture
def first(make_agent: Any, routing: Any) -> Any:
    return make_agent("first_line", teams=["cc-fr"], username="first")


@pytest.fixture
def second(make_agent: Any, routing: Any) -> Any:
    return make_agent("second_line", teams=["cc-fr"], username="second")


@pytest.fixture
def hidden_person(db: Any) -> Any:
    return PersonFactory(confidential_team=TeamFactory(code="visas"))


def _contact(person: Any, **fields: Any) -> dict[str, Any]:
    return {
        "channel": "phone",
        "person": str(person.uuid),
        "topic": "benefit-payment",
        "summary": "Asked when the benefit is paid.",
        **fields,
    }


def _request(person: Any, **fields: Any) -> dict[str, Any]:
    return {
        "kind": "question",
        "subject": "When is my benefit paid?",
        "topic": "benefit-payment",
        "channel": "phone",
        "person": str(person.uuid),
        **fields,
    }


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def _fields(body: dict[str, Any]) -> dict[str, str]:
    return {error["field"]: error["code"] for error in body["errors"]}


# Contacts


def test_registers_reads_corrects_and_ends_a_contact(first: Any, api_for: Any) -> None:
    api = api_for(first)
    person = PersonFactory()
    created = api.post("/contacts", _contact(person))
    assert created.status_code == 201, created.content
    body = created.json()
    assert created["ETag"] == '"1"'
    assert created["Location"].endswith(body["id"])
    assert (body["agent"], body["team"], body["person"]) == (
        "first",
        "cc-fr",
        str(person.uuid),
    )
    assert body["topic"]["code"] == "benefit-payment"
    assert body["duration_seconds"] is None
    read = api.get(f"/contacts/{body['id']}")
    assert read.status_code == 200
    assert read.json() == body

    corrected = api.patch(
        f"/contacts/{body['id']}",
        {
            "topic": "attestations",
            "summary": "Wanted an attestation.",
            "outcome": "answered",
        },
        HTTP_IF_MATCH='"1"',
    )
    assert corrected.status_code == 200, corrected.content
    assert corrected["ETag"] == '"2"'
    assert corrected.json()["topic"]["code"] == "attestations"
    ended = api.post(f"/contacts/{body['id']}/end", {})
    assert ended.status_code == 200
    assert ended.json()["duration_seconds"] >= 0
    again = _problem(api.post(f"/contacts/{body['id']}/end", {}), 422)
    assert _fields(again) == {"ended_at": "already_ended"}


def test_an_invalid_contact_is_refused_field_by_field(first: Any, api_for: Any) -> None:
    api = api_for(first)
    shape = _problem(api.post("/contacts", {"channel": "pigeon"}), 422)
    assert _fields(shape) == {"channel": "literal_error"}
    rules = _problem(
        api.post(
            "/contacts",
            _contact(PersonFactory(), topic="no-such-topic", team="nowhere"),
        ),
        422,
    )
    assert _fields(rules) == {"team": "not_found"}
    rules = _problem(
        api.post("/contacts", _contact(PersonFactory(), topic="no-such-topic")), 422
    )
    assert _fields(rules) == {"topic": "unknown_topic"}
    assert not Contact.objects.exists()


def test_a_hidden_person_reads_like_a_missing_one(
    first: Any, api_for: Any, hidden_person: Any
) -> None:
    api = api_for(first)
    hidden = _problem(api.post("/contacts", _contact(hidden_person)), 422)
    missing = _problem(api.post("/contacts", _contact(PersonFactory.build())), 422)
    assert hidden["errors"] == missing["errors"]
    hidden_list = _problem(api.get(f"/persons/{hidden_person.uuid}/contacts"), 404)
    missing_list = _problem(
        api.get(f"/persons/{PersonFactory.build().uuid}/contacts"), 404
    )
    assert hidden_list == missing_list


def test_lists_a_persons_contacts_and_hides_a_contact_of_a_hidden_person(
    first: Any, make_agent: Any, api_for: Any, hidden_person: Any
) -> None:
    visas = make_agent("second_line", teams=["cc-fr", "visas"], username="visas")
    person = PersonFactory()
    mine = api_for(first).post("/contacts", _contact(person)).json()
    theirs = (
        api_for(visas).post("/contacts", _contact(hidden_person, team="cc-fr")).json()
    )
    listed = api_for(first).get(f"/persons/{person.uuid}/contacts")
    assert [row["id"] for row in listed.json()["items"]] == [mine["id"]]
    assert _problem(api_for(first).get(f"/contacts/{theirs['id']}"), 404) == _problem(
        api_for(first).get(f"/contacts/{PersonFactory.build().uuid}"), 404
    )


def test_a_stale_or_missing_version_is_refused(first: Any, api_for: Any) -> None:
    api = api_for(first)
    contact = api.post("/contacts", _contact(PersonFactory())).json()
    url = f"/contacts/{contact['id']}"
    assert _problem(api.patch(url, {"summary": "x"}), 428)["code"] == "version_required"
    stale = _problem(api.patch(url, {"summary": "x"}, HTTP_IF_MATCH='"7"'), 412)
    assert stale["current_version"] == 1


def test_an_agent_without_a_citizen_facing_role_may_not_register(
    make_agent: Any, api_for: Any, routing: Any
) -> None:
    admin = make_agent("admin", teams=["cc-fr"], username="admin")
    refused = _problem(api_for(admin).post("/contacts", _contact(PersonFactory())), 403)
    assert refused["code"] == "forbidden"
    assert not Contact.objects.exists()


def test_topics_are_named_in_the_callers_language(first: Any, api_for: Any) -> None:
    french = api_for(first, language="fr").get("/topics").json()
    assert french["language"] == "fr"
    labels = {item["code"]: item["label"] for item in french["items"]}
    assert labels["legalisation"].endswith("Légalisation")
    dutch = api_for(first, language="nl").get("/topics").json()
    assert {item["code"]: item["label"] for item in dutch["items"]}[
        "legalisation"
    ].endswith("Legalisatie")
    assert (
        _problem(api_for(first).get("/topics?team=nowhere"), 404)["code"] == "not_found"
    )


# Requests


def test_creates_a_contact_with_its_request_in_one_call(
    first: Any, api_for: Any
) -> None:
    api = api_for(first)
    person = PersonFactory()
    created = api.post(
        "/requests/with-contact",
        {"contact": _contact(person), "request": _request(person)},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["contact"]["outcome"] == "request_created"
    request = body["request"]
    assert (request["status"], request["team"], request["owner"]) == (
        "new",
        "cc-fr",
        None,
    )
    assert request["reference"].startswith("REQ-")
    assert request["resolution_due"] is not None
    assert created["ETag"] == '"1"'
    assert created["Location"].endswith(f"/requests/{request['id']}")
    stored = Request.objects.get(uuid=request["id"])
    assert [contact.uuid for contact in stored.contacts.all()] == [
        Contact.objects.get().uuid
    ]


def test_a_contact_with_an_invalid_request_saves_neither(
    first: Any, api_for: Any
) -> None:
    person = PersonFactory()
    refused = _problem(
        api_for(first).post(
            "/requests/with-contact",
            {"contact": _contact(person), "request": _request(person, topic="nope")},
        ),
        422,
    )
    assert _fields(refused) == {"topic": "unknown_topic"}
    shape = _problem(
        api_for(first).post(
            "/requests/with-contact",
            {"contact": _contact(person), "request": _request(person, kind="wish")},
        ),
        422,
    )
    assert _fields(shape) == {"request.kind": "literal_error"}
    assert not Contact.objects.exists()
    assert not Request.objects.exists()


def test_reads_a_request_by_reference_and_id_with_its_actions(
    first: Any, api_for: Any
) -> None:
    api = api_for(first)
    created = api.post("/requests", _request(PersonFactory())).json()
    by_reference = api.get(f"/requests/{created['reference']}")
    assert by_reference.status_code == 200
    body = by_reference.json()
    assert body["id"] == created["id"]
    assert by_reference["ETag"] == '"1"'
    assert "request.work" in body["actions"]
    assert {"to": "answered", "needs_text": True} in body["moves"]
    assert api.get(f"/requests/{created['id']}").json() == body


def test_a_hidden_request_reads_like_a_missing_one(
    first: Any, make_agent: Any, api_for: Any, hidden_person: Any
) -> None:
    visas = make_agent("second_line", teams=["cc-fr", "visas"], username="visas")
    hidden = (
        api_for(visas).post("/requests", _request(hidden_person, team="cc-fr")).json()
    )
    api = api_for(first)
    for path in ("", "/timeline"):
        assert _problem(api.get(f"/requests/{hidden['reference']}{path}"), 404) == (
            _problem(api.get(f"/requests/REQ-2026-9999999{path}"), 404)
        )
    assert _problem(api.post(f"/requests/{hidden['id']}/take"), 404)["code"] == (
        "not_found"
    )
    # Named in a body, it is a field that names nothing.
    mine = api.post("/requests", _request(PersonFactory())).json()
    merge = api.post(
        f"/requests/{mine['id']}/merge", {"into": hidden["reference"], "reason": "dup"}
    )
    assert _fields(_problem(merge, 422)) == {"into": "not_found"}


def test_the_queue_takes_works_and_closes_a_request(
    first: Any, second: Any, api_for: Any
) -> None:
    people = [PersonFactory() for _ in range(3)]
    for person in people:
        api_for(first).post("/requests", _request(person))
    api = api_for(second)
    queue = api.get("/requests?team=cc-fr&owner=none")
    assert queue.status_code == 200
    page = queue.json()
    assert (page["page"], page["page_size"], page["has_next"]) == (1, 50, False)
    assert len(page["items"]) == 3
    dues = [row["resolution_due"] for row in page["items"]]
    assert dues == sorted(dues)
    assert page["teams"] == ["cc-fr"]

    taken = api.post("/requests/take-next", {"team": "cc-fr"})
    assert taken.status_code == 200
    request = taken.json()["request"]
    assert request["owner"] == "second"
    assert request["id"] == page["items"][0]["id"]
    again = _problem(api_for(first).post(f"/requests/{request['id']}/take"), 409)
    assert again["code"] == "already_taken"

    url = f"/requests/{request['id']}"
    version = f'"{request["version"]}"'
    no_text = _problem(
        api.post(f"{url}/transitions", {"status": "answered"}, HTTP_IF_MATCH=version),
        422,
    )
    assert _fields(no_text) == {"text": "required"}
    answered = api.post(
        f"{url}/transitions",
        {"status": "answered", "text": "Paid on the 10th."},
        HTTP_IF_MATCH=version,
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered"
    stale = _problem(
        api.post(f"{url}/transitions", {"status": "closed"}, HTTP_IF_MATCH=version), 412
    )
    assert stale["code"] == "stale_version"
    missing = _problem(api.post(f"{url}/transitions", {"status": "closed"}), 428)
    assert missing["code"] == "version_required"
    not_allowed = _problem(
        api.post(
            f"{url}/transitions",
            {"status": "done"},
            HTTP_IF_MATCH=answered["ETag"],
        ),
        422,
    )
    assert _fields(not_allowed) == {"status": "literal_error"}
    wrong_move = _problem(
        api.post(
            f"{url}/transitions",
            {"status": "in_progress"},
            HTTP_IF_MATCH=answered["ETag"],
        ),
        422,
    )
    assert _fields(wrong_move) == {"status": "transition_not_allowed"}
    note = api.post(f"{url}/notes", {"text": "Checked with payments."})
    assert note.status_code == 201
    assert note.json()["kind"] == "note"
    timeline = api.get(f"{url}/timeline").json()["items"]
    assert [event["kind"] for event in timeline] == [
        "created",
        "taken",
        "status",
        "note",
    ]
    empty = api.post("/requests/take-next", {})
    assert empty.json()["request"]["owner"] == "second"
    assert api.post("/requests/take-next", {}).json()["request"] is not None
    assert api.post("/requests/take-next", {}).json() == {"request": None}


def test_work_on_a_request_outside_ones_queues_is_forbidden(
    first: Any, make_agent: Any, api_for: Any, routing: Any
) -> None:
    created = api_for(first).post("/requests", _request(PersonFactory())).json()
    other = make_agent("second_line", teams=["legalisations"], username="legal")
    refused = _problem(
        api_for(other).post(f"/requests/{created['id']}/notes", {"text": "x"}), 403
    )
    assert refused["code"] == "forbidden"
    assert not RequestEvent.objects.filter(kind="note").exists()


def test_hands_over_assigns_links_and_merges(
    first: Any, second: Any, make_agent: Any, api_for: Any
) -> None:
    supervisor = make_agent("supervisor", teams=["cc-fr"], username="boss")
    person = PersonFactory()
    api = api_for(first)
    one = api.post("/requests", _request(person)).json()
    two = api.post("/requests", _request(person, subject="Same question")).json()

    boss = api_for(supervisor)
    assigned = boss.post(
        f"/requests/{one['id']}/assign", {"owner": "second"}, HTTP_IF_MATCH='"1"'
    )
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["owner"] == "second"
    unknown = _problem(
        boss.post(
            f"/requests/{one['id']}/assign", {"owner": "ghost"}, HTTP_IF_MATCH='"2"'
        ),
        422,
    )
    assert _fields(unknown) == {"owner": "not_found"}
    assert (
        _problem(
            api.post(
                f"/requests/{one['id']}/assign", {"owner": None}, HTTP_IF_MATCH='"2"'
            ),
            403,
        )["code"]
        == "forbidden"
    )

    linked = api.post(f"/requests/{two['id']}/link", {"parent": one["reference"]})
    assert linked.json()["parent"] == one["reference"]
    cycle = _problem(
        api.post(f"/requests/{one['id']}/link", {"parent": two["reference"]}), 422
    )
    assert _fields(cycle) == {"parent": "link_cycle"}
    api.post(f"/requests/{two['id']}/link", {"parent": None})

    merged = api.post(
        f"/requests/{two['id']}/merge", {"into": one["id"], "reason": "Same call."}
    )
    assert merged.status_code == 200, merged.content
    assert merged.json()["id"] == one["id"]
    assert api.get(f"/requests/{two['id']}").json()["merged_into"] == one["reference"]
    itself = _problem(
        api.post(f"/requests/{one['id']}/merge", {"into": one["id"], "reason": "x"}),
        422,
    )
    assert "into" in _fields(itself)

    handed = api.post(
        f"/requests/{one['id']}/handover",
        {"team": "legalisations", "reason": "Needs a consular check."},
        HTTP_IF_MATCH=f'"{merged.json()["version"]}"',
    )
    assert handed.status_code == 200, handed.content
    assert (handed.json()["team"], handed.json()["owner"]) == ("legalisations", None)
    nowhere = _problem(
        api.post(
            f"/requests/{one['id']}/handover",
            {"team": "nowhere", "reason": "x"},
            HTTP_IF_MATCH=handed["ETag"],
        ),
        422,
    )
    assert _fields(nowhere) == {"team": "not_found"}


def test_my_work_and_workload(first: Any, second: Any, api_for: Any) -> None:
    for _ in range(2):
        api_for(first).post("/requests", _request(PersonFactory()))
    api = api_for(second)
    api.post("/requests/take-next", {})
    work = api.get("/my-work")
    assert work.status_code == 200
    body = work.json()
    assert [row["owner"] for row in body["owned"]] == ["second"]
    assert body["unowned_count"] == 1
    load = api.get("/workload").json()["items"]
    assert load == [
        {
            "team": "cc-fr",
            "open": 2,
            "unowned": 1,
            "overdue": 0,
            "by_owner": [{"owner": "second", "open": 1}],
        }
    ]


def test_the_new_operations_are_described(api_for: Any, first: Any) -> None:
    schema = api_for(first).get("/openapi.json").json()
    ids = {
        operation["operationId"]
        for methods in schema["paths"].values()
        for operation in methods.values()
    }
    assert {
        "guichet_api_contacts_contact_register",
        "guichet_api_contacts_topic_list",
        "guichet_api_servicerequests_request_create_with_contact",
        "guichet_api_servicerequests_request_take_next",
        "guichet_api_servicerequests_request_transition",
    } <= ids
    transition = schema["paths"]["/api/v1/requests/{key}/transitions"]["post"]
    assert {"412", "428"} <= set(transition["responses"])


# Issue #13: requests from anonymous contacts, identifying them, contacts about a
# request and replies to the citizen.


def test_an_anonymous_contact_becomes_a_request_then_is_identified(
    first: Any, second: Any, api_for: Any, hidden_person: Any
) -> None:
    api = api_for(first)
    contact = api.post(
        "/contacts",
        {"channel": "phone", "anonymous_details": "A man, 0470 12 34 56"},
    ).json()

    created = api.post(
        f"/requests/from-contact/{contact['id']}",
        {"kind": "question", "subject": "Opening hours", "topic": "benefit-payment"},
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["person"] is None
    assert created["Location"] == f"/api/v1/requests/{body['id']}"
    url = f"/requests/{body['reference']}/identify"
    worker = api_for(second)
    missing = _problem(worker.post(url, {"person": str(hidden_person.uuid)}), 428)
    assert missing["status"] == 428
    hidden = _problem(
        worker.post(url, {"person": str(hidden_person.uuid)}, HTTP_IF_MATCH='"1"'), 422
    )
    assert _fields(hidden) == {"person": "not_found"}
    person = PersonFactory()
    stale = worker.post(url, {"person": str(person.uuid)}, HTTP_IF_MATCH='"9"')
    _problem(stale, 412)
    named = worker.post(url, {"person": str(person.uuid)}, HTTP_IF_MATCH='"1"')
    assert named.status_code == 200, named.content
    assert named.json()["person"] == str(person.uuid)
    assert named["ETag"] == '"2"'
    contact_url = f"/contacts/{contact['id']}/identify"
    identified = api.post(
        contact_url,
        {"person": str(person.uuid)},
        HTTP_IF_MATCH=f'"{contact["version"]}"',
    )
    assert identified.status_code == 200, identified.content
    assert identified.json()["person"] == str(person.uuid)
    again = api.post(
        contact_url, {"person": str(person.uuid)}, HTTP_IF_MATCH=identified["ETag"]
    )
    assert _fields(_problem(again, 422)) == {"person": "already_identified"}


def test_a_contact_about_a_request_is_registered_and_attached(
    first: Any, second: Any, api_for: Any
) -> None:
    person = PersonFactory(language="fr")
    created = api_for(first).post("/requests", _request(person, language="fr")).json()

    response = api_for(second).post(
        f"/requests/{created['reference']}/contacts",
        {"contact": {"channel": "phone", "summary": "Where is it?"}},
    )
    refused = api_for(second).post(
        f"/requests/{created['reference']}/contacts", {"contact": {"channel": "x"}}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"] == str(person.uuid)
    assert body["topic"]["code"] == "benefit-payment"
    assert refused.status_code == 422
    assert Request.objects.get().contacts.count() == 1


def test_a_reply_goes_by_the_persons_channel_and_is_sent_once(
    make_agent: Any, routing: Any, api_for: Any
) -> None:
    from django.core import mail

    from guichet.correspondence.services import templates_load
    from tests.correspondence.factories import LetterheadFactory, person_with_address

    LetterheadFactory(team=routing["cc-fr"])
    templates_load(actor=None)
    junior = make_agent("second_line", level="D", teams=["cc-fr"], username="junior")
    chief = make_agent("supervisor", level="A1", teams=["cc-fr"], username="chief")
    person = person_with_address(language="nl")
    created = api_for(junior).post("/requests", _request(person, channel="email"))
    reference = created.json()["reference"]

    waiting = api_for(junior).post(f"/requests/{reference}/replies", {"answer": "Ja."})

    assert waiting.status_code == 201, waiting.content
    body = waiting.json()
    assert body["dispatched"] is False
    assert body["letter_status"] == "pending_approval"
    assert body["contact"] is None
    letter = body["letter"]
    early = api_for(junior).post(f"/requests/{reference}/replies/{letter}/dispatch")
    assert _problem(early, 409)["code"] == "wrong_state"
    approved = api_for(chief).post(
        f"/letters/{letter}/approve", {}, HTTP_IF_MATCH='"2"'
    )
    assert approved.status_code == 200, approved.content

    sent = api_for(junior).post(f"/requests/{reference}/replies/{letter}/dispatch")
    twice = api_for(junior).post(f"/requests/{reference}/replies/{letter}/dispatch")

    assert sent.status_code == 200, sent.content
    assert sent.json()["channel"] == "email"
    assert sent.json()["dispatched"] is True
    assert sent.json()["contact"] is not None
    _problem(twice, 404)
    assert len(mail.outbox) == 1
    empty = api_for(junior).post(f"/requests/{reference}/replies", {"answer": ""})
    assert _fields(_problem(empty, 422)) == {"answer": "required"}


# Issue #15: standard answers inserted into a reply, and the level rule.


def test_a_standard_answer_is_offered_prefilled_and_inserted_in_one_call(
    make_agent: Any, routing: Any, api_for: Any
) -> None:
    from guichet.correspondence.services import templates_load
    from tests.correspondence.factories import LetterheadFactory, person_with_address

    # consular matters go to legalisations
    LetterheadFactory(team=routing["legalisations"])
    templates_load(actor=None)
    junior = make_agent(
        "front_office", level="D", teams=["legalisations"], username="junior"
    )
    person = person_with_address(language="fr", surname="Lefèvre", sex="F")
    created = api_for(junior).post(
        "/requests", _request(person, topic="legalisation", channel="phone")
    )
    reference = created.json()["reference"]

    offered = api_for(junior).get(f"/requests/{reference}/standard-answers")

    assert offered.status_code == 200, offered.content
    answers = {item["code"]: item for item in offered.json()}
    # on legalisation, and on consular matters above it
    assert set(answers) == {"answer_legalisation_procedure", "answer_document_ready"}
    procedure = answers["answer_legalisation_procedure"]
    assert procedure["language"] == "fr"
    assert procedure["fields"] == []
    assert procedure["body"].startswith("Madame,\n\nNous avons bien reçu le ")
    assert "{{" not in procedure["body"]
    assert reference in procedure["subject"]
    ready = answers["answer_document_ready"]
    assert [field["name"] for field in ready["fields"]] == ["collect_from", "fee"]
    assert ready["fields"][1] == {
        "name": "fee",
        "type": "amount",
        "label": "Redevance à payer",
    }
    assert "{{ free.fee }}" in ready["body"]
    # the level-D agent sends the first unchanged, alone; the second waits
    alone = api_for(junior).post(
        f"/requests/{reference}/replies",
        {"standard_answer": "answer_legalisation_procedure", "body": procedure["body"]},
    )
    waits = api_for(junior).post(
        f"/requests/{reference}/replies",
        {
            "standard_answer": "answer_document_ready",
            "free_values": {"collect_from": "2027-01-15", "fee": "20.00"},
        },
    )
    assert alone.status_code == 201, alone.content
    assert alone.json()["letter_status"] == "issued"
    assert alone.json()["dispatched"] is True
    assert waits.status_code == 201, waits.content
    assert waits.json()["letter_status"] == "pending_approval"
    assert waits.json()["dispatched"] is False
    unknown = api_for(junior).post(
        f"/requests/{reference}/replies", {"standard_answer": "nothing"}
    )
    assert _fields(_problem(unknown, 422)) == {"standard_answer": "unknown_letter_type"}
