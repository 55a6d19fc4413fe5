"""The request screens through the browser's HTTP: the queue, one request and its
actions, the person's tab, the supervisor's view and "my work"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from guichet.contacts.models import Topic
from guichet.core import clock
from guichet.servicerequests import services
from guichet.servicerequests.models import (
    Request,
    RequestEvent,
    RoutingRule,
    ServiceLevelRule,
)
from guichet.servicerequests.services import RequestInput
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agents(make_agent: Any) -> dict[str, Any]:
    teams = {code: TeamFactory(code=code) for code in ("cc-fr", "legalisations")}
    RoutingRule.objects.create(team=teams["cc-fr"], language="fr", order=10)
    RoutingRule.objects.create(
        team=teams["legalisations"], topic=Topic.objects.get(code="consular"), order=5
    )
    ServiceLevelRule.objects.create(
        kind="question", first_answer_hours=Decimal(8), resolution_hours=Decimal(24)
    )
    ServiceLevelRule.objects.create(
        kind="complaint", first_answer_hours=Decimal(40), resolution_hours=Decimal(160)
    )
    return {
        "first": make_agent("first_line", teams=("cc-fr",), username="first"),
        "second": make_agent(
            "second_line", teams=("cc-fr",), username="second", first_name="Nadia"
        ),
        "legal": make_agent("front_office", teams=("legalisations",), username="legal"),
        "supervisor": make_agent(
            "supervisor", level="A1", teams=("cc-fr",), username="boss"
        ),
        "admin": make_agent("admin", level="A2", teams=("support",)),
    }


def _create(agent: Any, person: Any = None, **fields: Any) -> Request:
    values: dict[str, Any] = {
        "kind": "question",
        "subject": "When is my benefit paid?",
        "topic": "benefit-payment",
        "channel": "phone",
        "person": str((person or PersonFactory(language="fr")).uuid),
        "language": "fr",
    }
    values.update(fields)
    return services.request_create(actor=agent, data=RequestInput(**values))


def test_the_queue_lists_by_deadline_and_filters(client_for: Any, agents: Any) -> None:
    later = _create(agents["first"], priority="low")
    urgent = _create(agents["first"], priority="urgent", subject="Urgent one")
    Request.objects.filter(pk=urgent.pk).update(
        resolution_due=clock.now() - dt.timedelta(hours=1)
    )
    client = client_for(agents["second"])

    page = client.get("/requests/")
    filtered = client.get("/requests/?priority=urgent&overdue=on")

    assert page.status_code == 200
    assert [row.pk for row in page.context["page"].rows] == [urgent.pk, later.pk]
    assert 'class="overdue"' in page.content.decode()
    assert [row.pk for row in filtered.context["page"].rows] == [urgent.pk]
    assert client.get("/requests/?status=nonsense").status_code == 422


def test_take_the_next_one_takes_the_earliest_deadline(
    client_for: Any, agents: Any
) -> None:
    first = _create(agents["first"])
    _create(agents["first"])
    client = client_for(agents["second"])

    answer = client.post("/requests/take-next/", {"team": ""})

    first.refresh_from_db()
    assert answer["Location"] == f"/requests/{first.reference}/"
    assert first.owner == agents["second"]


def test_a_request_is_answered_and_closed_with_its_timeline_in_words(
    client_for: Any, agents: Any
) -> None:
    request = _create(agents["first"])
    client = client_for(agents["second"])
    url = f"/requests/{request.reference}/"

    client.post(f"{url}take/")
    request.refresh_from_db()
    answered = client.post(
        f"{url}status/",
        {"version": request.version, "to": "answered", "text": "Paid on the 10th."},
    )
    request.refresh_from_db()
    closed = client.post(
        f"{url}status/", {"version": request.version, "to": "closed", "text": ""}
    )
    page = client.get(url)

    assert answered.status_code == closed.status_code == 302
    request.refresh_from_db()
    assert request.status == "closed"
    text = page.content.decode()
    assert "Status changed from “new” to “answered”." in text
    assert "Paid on the 10th." in text
    assert "Taken by Nadia" in text


def test_a_move_without_its_text_keeps_the_input_and_says_why(
    client_for: Any, agents: Any, make_agent: Any
) -> None:
    request = _create(agents["first"])
    agent = make_agent("second_line", teams=("cc-fr",), language="nl")
    client = client_for(agent)

    answer = client.post(
        f"/requests/{request.reference}/status/",
        {"version": request.version, "to": "waiting_citizen", "text": ""},
    )

    assert answer.status_code == 422
    form = answer.context["forms"]["transition"]
    assert form["to"].value() == "waiting_citizen"
    assert form.errors["text"] == ["Dit veld is verplicht."]
    request.refresh_from_db()
    assert request.status == "new"


def test_a_stale_edit_shows_the_conflict_and_changes_nothing(
    client_for: Any, agents: Any
) -> None:
    request = _create(agents["first"])
    old_version = request.version
    services.request_transition(
        actor=agents["second"],
        request=request,
        expected_version=old_version,
        to="in_progress",
    )
    client = client_for(agents["second"])

    answer = client.post(
        f"/requests/{request.reference}/status/",
        {"version": old_version, "to": "answered", "text": "Too late"},
    )

    assert answer.status_code == 409
    assert "Another agent changed this request meanwhile" in answer.content.decode()
    request.refresh_from_db()
    assert request.status == "in_progress"


def test_closing_a_complaint_asks_its_classification(
    client_for: Any, agents: Any
) -> None:
    request = _create(
        agents["first"], kind="complaint", seriousness="minor", topic="complaints"
    )
    client = client_for(agents["second"])
    url = f"/requests/{request.reference}/status/"

    refused = client.post(
        url, {"version": request.version, "to": "closed", "text": "Done"}
    )
    closed = client.post(
        url,
        {
            "version": request.version,
            "to": "closed",
            "text": "Done",
            "classification": "unfounded",
        },
    )

    assert refused.status_code == 422
    assert "classification" in refused.context["forms"]["transition"].errors
    assert closed.status_code == 302
    request.refresh_from_db()
    assert request.classification == "unfounded"


def test_a_handover_sends_the_request_to_another_queue_with_its_reason(
    client_for: Any, agents: Any
) -> None:
    request = _create(agents["first"])
    client = client_for(agents["first"])
    url = f"/requests/{request.reference}/handover/"

    refused = client.post(url, {"version": request.version, "team": "legalisations"})
    handed = client.post(
        url,
        {
            "version": request.version,
            "team": "legalisations",
            "reason": "A legalisation, not a payment.",
        },
    )

    assert refused.status_code == 422
    assert handed.status_code == 302
    request.refresh_from_db()
    assert request.team.code == "legalisations"
    legal = client_for(agents["legal"]).get("/requests/")
    assert [row.pk for row in legal.context["page"].rows] == [request.pk]


def test_the_supervisor_assigns_to_a_member_and_others_may_not(
    client_for: Any, agents: Any
) -> None:
    request = _create(agents["first"])
    url = f"/requests/{request.reference}/assign/"
    page = client_for(agents["second"]).get(f"/requests/{request.reference}/")
    assert "assign" not in page.context["forms"]
    refused = client_for(agents["second"]).post(
        url, {"version": request.version, "owner": "second"}
    )
    assert refused.status_code == 403

    answer = client_for(agents["supervisor"]).post(
        url, {"version": request.version, "owner": "second"}
    )

    assert answer.status_code == 302
    request.refresh_from_db()
    assert request.owner == agents["second"]


def test_merge_and_link_by_reference(client_for: Any, agents: Any) -> None:
    person = PersonFactory(language="fr")
    kept = _create(agents["first"], person)
    duplicate = _create(agents["first"], person)
    child = _create(agents["first"], person)
    client = client_for(agents["second"])

    unknown = client.post(
        f"/requests/{duplicate.reference}/merge/",
        {"into": "REQ-2026-9999999", "reason": "same"},
    )
    merged = client.post(
        f"/requests/{duplicate.reference}/merge/",
        {"into": kept.reference, "reason": "The same question twice."},
    )
    linked = client.post(
        f"/requests/{child.reference}/link/", {"parent": kept.reference}
    )

    assert unknown.status_code == 422
    assert unknown.context["forms"]["merge"].errors["into"] == ["No such request."]
    assert merged.status_code == linked.status_code == 302
    duplicate.refresh_from_db()
    child.refresh_from_db()
    assert (duplicate.merged_into, duplicate.status) == (kept, "closed")
    assert child.parent == kept
    text = client.get(f"/requests/{kept.reference}/").content.decode()
    assert f"{duplicate.reference} was merged into this request." in text


def test_hidden_and_missing_requests_are_404_and_strangers_403(
    client_for: Any, agents: Any
) -> None:
    hidden = _create(
        agents["first"], PersonFactory(confidential_team=TeamFactory(code="cc-fr"))
    )
    visible = _create(agents["first"])
    outsider = client_for(agents["legal"])
    assert outsider.get(f"/requests/{hidden.reference}/").status_code == 404
    admin = client_for(agents["admin"])
    assert admin.get(f"/requests/{visible.reference}/").status_code == 404
    assert outsider.get("/requests/REQ-2026-9999999/").status_code == 404
    assert outsider.get("/requests/nonsense/").status_code == 404
    page = outsider.get(f"/requests/{visible.reference}/")
    assert page.status_code == 200
    assert page.context["forms"] == {}
    refused = outsider.post(
        f"/requests/{visible.reference}/status/",
        {"version": visible.version, "to": "in_progress"},
    )
    assert refused.status_code == 403
    visible.refresh_from_db()
    assert visible.status == "new"
    assert admin.get("/requests/").status_code == 403


def test_the_person_tab_the_supervision_and_my_work(
    client_for: Any, agents: Any
) -> None:
    person = PersonFactory(language="fr")
    request = _create(agents["first"], person)
    complaint = _create(
        agents["first"], person, kind="complaint", seriousness="serious"
    )
    services.request_take(actor=agents["second"], request=request)

    tab = client_for(agents["second"]).get(f"/persons/{person.uuid}/requests/")
    home = client_for(agents["second"]).get("/home/")
    supervision = client_for(agents["supervisor"]).get("/requests/supervision/")

    assert [row.pk for row in tab.context["requests"]] == [complaint.pk, request.pk]
    assert home.context["work"].requests.owned == [request]
    assert request.reference in home.content.decode()
    (load,) = supervision.context["workload"]
    assert (load.open_count, load.unowned, load.by_owner) == (
        2,
        1,
        [("second", 1)],
    )
    assert list(supervision.context["pending"]) == [complaint]
    assert client_for(agents["second"]).get("/requests/supervision/").status_code == 403
    assert RequestEvent.objects.filter(kind="taken").count() == 1


def test_my_work_shows_the_requests_of_a_colleague_i_stand_in_for(
    client_for: Any, agents: Any, make_agent: Any
) -> None:
    from guichet.agents import substitutions

    stand_in = make_agent("second_line", teams=("cc-fr",), username="standin")
    request = _create(agents["first"])
    services.request_take(actor=agents["second"], request=request)
    before = client_for(stand_in).get("/home/").content.decode()
    substitutions.substitution_create(
        actor=agents["second"],
        agent=agents["second"],
        substitute=stand_in,
        starts_on=clock.today(),
        ends_on=clock.today(),
    )
    after = client_for(stand_in).get("/home/").content.decode()
    assert request.reference not in before
    assert "stand in for" in after
    assert "Nadia" in after
    assert request.reference in after


def test_an_agent_names_their_substitute_on_screen(
    client_for: Any, agents: Any
) -> None:
    from guichet.agents.models import Substitution

    client = client_for(agents["second"])
    page = client.get("/home/substitute/")
    assert page.status_code == 200
    assert "first" in [value for value, _label in page.context["colleagues"]]
    today = clock.today()
    bad = client.post(
        "/home/substitute/",
        {
            "substitute": "first",
            "starts_on": today,
            "ends_on": today - dt.timedelta(days=1),
        },
    )
    assert bad.status_code == 422
    assert "The end is before the start." in bad.content.decode()
    assert not Substitution.objects.exists()
    done = client.post(
        "/home/substitute/",
        {"substitute": "first", "starts_on": today, "ends_on": today},
    )
    assert done.status_code == 302
    (period,) = Substitution.objects.all()
    assert (period.agent, period.substitute) == (agents["second"], agents["first"])
    client.post("/home/substitute/", {"cancel": str(period.uuid)})
    period.refresh_from_db()
    assert period.cancelled_at is not None


def _standard_answer_on_benefit_payment() -> None:
    """A standard answer on the topic of `_create`'s requests, in Dutch, with one
    free field."""
    from guichet.correspondence.services import letter_type_ensure, template_save

    answer = letter_type_ensure(
        actor=None, code="answer_paid", name="Paid", topic="benefit-payment"
    )
    template_save(
        actor=None,
        letter_type=answer,
        language="nl",
        title="Uw uitkering is betaald",
        subject="Uw aanvraag {{ request.reference }}",
        body="{{ person.salutation }}\n\nUw uitkering is op {{ free.paid_on }} "
        "betaald.\n\nMet vriendelijke groeten,",
        fields={
            "paid_on": {
                "type": "date",
                "label": {
                    "fr": "Payée le",
                    "nl": "Betaald op",
                    "de": "Gezahlt am",
                    "en": "Paid on",
                },
            }
        },
    )


def test_the_agent_inserts_a_standard_answer_and_it_goes_by_the_persons_channel(
    client_for: Any, agents: Any
) -> None:
    from django.core import mail

    from guichet.contacts.models import Contact
    from guichet.correspondence.models import Letter
    from guichet.correspondence.services import templates_load
    from tests.correspondence.factories import LetterheadFactory, person_with_address

    LetterheadFactory(team=agents["second"].memberships.get().team)
    templates_load(actor=None)
    _standard_answer_on_benefit_payment()
    person = person_with_address(surname="Peeters", language="nl", sex="F")
    request = _create(agents["first"], person, channel="email")
    client = client_for(agents["second"])

    page = client.get(f"/requests/{request.reference}/")
    inserted = client.get(f"/requests/{request.reference}/?answer=answer_paid")
    form = inserted.context["forms"]["reply"]
    body = form.initial["body"]
    empty = client.post(f"/requests/{request.reference}/reply/", {"answer": " "})
    sent = client.post(
        f"/requests/{request.reference}/reply/",
        {
            "standard_answer": "answer_paid",
            "free_paid_on": "2027-01-15",
            "body": body,
        },
    )

    assert [answer.code for answer in page.context["standard_answers"]] == [
        "answer_paid"
    ]
    assert "Insert into the reply" in page.content.decode()
    assert body.startswith("Geachte mevrouw Peeters,")
    assert "{{ free.paid_on }}" in body
    assert "free_paid_on" in form.fields
    assert empty.status_code == 422
    assert empty.context["forms"]["reply"].errors["answer"]
    assert sent.status_code == 302
    letter = Letter.objects.get()
    assert (letter.autonomy_kind, letter.body_text) == ("free_fields", None)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["helene.lefevre@example.be"]
    contact = Contact.objects.get(direction="outbound")
    assert list(request.contacts.all()) == [contact]
    page = client.get(f"/requests/{request.reference}/")
    assert "A reply was sent by e-mail." in page.content.decode()
    assert page.context["replies_waiting"] == []


def test_a_reply_waiting_for_approval_is_sent_from_the_request_page(
    client_for: Any, agents: Any, make_agent: Any
) -> None:
    from django.core import mail

    from guichet.correspondence.models import Letter
    from guichet.correspondence.services import letter_approve, templates_load
    from tests.correspondence.factories import LetterheadFactory, person_with_address

    LetterheadFactory(team=agents["second"].memberships.get().team)
    templates_load(actor=None)
    junior = make_agent("second_line", level="D", teams=("cc-fr",), username="junior")
    request = _create(agents["first"], person_with_address(), channel="email")
    client = client_for(junior)

    client.post(f"/requests/{request.reference}/reply/", {"answer": "C'est payé."})
    letter = Letter.objects.get()
    waiting = client.get(f"/requests/{request.reference}/")
    letter_approve(
        actor=agents["supervisor"],
        letter_id=letter.uuid,
        expected_version=letter.version,
    )
    approved = client.get(f"/requests/{request.reference}/")
    sent = client.post(f"/requests/{request.reference}/reply/{letter.uuid}/send/")
    again = client.post(f"/requests/{request.reference}/reply/{letter.uuid}/send/")

    assert [item.pk for item in waiting.context["replies_waiting"]] == [letter.pk]
    assert "Send the approved reply" not in waiting.content.decode()
    assert "Send the approved reply" in approved.content.decode()
    assert sent.status_code == 302
    assert again.status_code == 404
    assert len(mail.outbox) == 1


def test_a_call_about_the_request_is_added_from_its_page(
    client_for: Any, agents: Any
) -> None:
    person = PersonFactory(language="fr")
    request = _create(agents["first"], person)
    client = client_for(agents["second"])

    response = client.post(
        f"/requests/{request.reference}/contact/",
        {"channel": "phone", "direction": "inbound", "summary": "Where is it?"},
    )

    assert response.status_code == 302
    contact = request.contacts.get()
    assert (contact.person, contact.summary) == (person, "Where is it?")
    assert contact.topic == request.topic
    page = client.get(f"/requests/{request.reference}/")
    assert "A contact was attached." in page.content.decode()


def test_strangers_cannot_reply_add_contacts_or_identify(
    client_for: Any, agents: Any
) -> None:
    request = _create(agents["first"], PersonFactory(language="fr"))
    client = client_for(agents["legal"])
    for action, data in (
        ("reply", {"answer": "x"}),
        ("contact", {"channel": "phone", "direction": "inbound"}),
        ("identify", {"version": 1, "person": str(PersonFactory().uuid)}),
    ):
        assert (
            client.post(f"/requests/{request.reference}/{action}/", data).status_code
            == 403
        )
    assert not request.contacts.exists()
    assert not RequestEvent.objects.filter(kind__in=["reply", "identified"]).exists()
