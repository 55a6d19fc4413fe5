"""The answering agent's workspace: the poll that opens the caller's record, the
prefilled phone contact, its end recorded by the call's end, and what a person
the agent may not see looks like (exactly as a number nobody has)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from guichet.contacts.models import Contact, Topic
from guichet.core import clock
from guichet.parties.models import PhoneNumber
from guichet.telephony import services
from guichet.telephony.models import Call
from guichet.ui.forms.contacts import opened_token
from tests.factories import PersonFactory, TeamFactory
from tests.telephony.conftest import event

pytestmark = pytest.mark.django_db

NUMBER = "+32470123456"


@pytest.fixture
def agent(make_agent: Any) -> Any:
    return make_agent(
        "first_line", teams=("cc-fr",), username="first.nl", phone_extension="201"
    )


@pytest.fixture
def browser(agent: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(agent)
    return client


def _person_with(number: str, **fields: Any) -> Any:
    person = PersonFactory(**fields)
    PhoneNumber.objects.create(person=person, e164=number, kind="mobile")
    return person


def _answer(number: str = NUMBER, call: str = "call-1", **more: str) -> Call:
    services.call_event_receive(
        payload=event("answered", call=call, number=number, extension="201", **more),
        signature=f"sha256={call}-answered",
    )
    return Call.objects.get(call_id=call)


def _end(call: str = "call-1", at: dt.datetime | None = None) -> None:
    services.call_event_receive(
        payload=event("ended", call=call, at=(at or clock.now()).isoformat()),
        signature=f"sha256={call}-ended",
    )


def _poll(client: Client, since: dt.datetime) -> Any:
    return client.get(
        "/telephony/poll/",
        {"since": f"{since.timestamp():.6f}"},
        HTTP_HX_REQUEST="true",
    )


def _destination(response: Any) -> str:
    assert response.status_code == 200
    return str(json.loads(response["HX-Location"])["path"])


def test_pages_poll_only_for_agents_with_an_extension(
    browser: Client, make_agent: Any
) -> None:
    assert b'id="telephony-poll"' in browser.get("/home/").content
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(make_agent("first_line", username="no.extension"))
    assert b"telephony-poll" not in other.get("/home/").content
    assert _poll(other, clock.now() - dt.timedelta(minutes=1)).status_code == 204


def test_the_answered_call_opens_the_callers_contact_screen(
    browser: Client, agent: Any
) -> None:
    person = _person_with(NUMBER)
    drawn = clock.now()
    assert _poll(browser, drawn).status_code == 204
    call = _answer("0470 12 34 56")
    destination = _destination(_poll(browser, drawn))
    assert destination == f"/persons/{person.uuid}/contacts/new/?call={call.uuid}"
    # A page drawn after the answer does not open it again.
    assert _poll(browser, clock.now()).status_code == 204


def test_the_poll_costs_one_query_of_its_own(browser: Client, agent: Any) -> None:
    browser.get("/home/")
    with CaptureQueriesContext(connection) as captured:
        assert _poll(browser, clock.now()).status_code == 204
    own = [q["sql"] for q in captured.captured_queries if "telephony" in q["sql"]]
    assert len(own) == 1, own


def test_an_unknown_number_opens_the_search(browser: Client, agent: Any) -> None:
    drawn = clock.now()
    call = _answer("+3225551234")
    destination = _destination(_poll(browser, drawn))
    assert destination == f"/telephony/calls/{call.uuid}/search/"
    page = browser.get(destination)
    assert page.context["results"].query == "+3225551234"
    assert b"Call from +3225551234" in page.content
    assert f"/contacts/new/?call={call.uuid}".encode() in page.content


def test_a_hidden_persons_number_looks_like_an_unknown_one(
    browser: Client, agent: Any
) -> None:
    hidden = _person_with(NUMBER, confidential_team=TeamFactory(code="visas"))
    drawn = clock.now()
    call = _answer(NUMBER)
    response = _poll(browser, drawn)
    destination = _destination(response)
    assert destination == f"/telephony/calls/{call.uuid}/search/"
    page = browser.get(destination)
    assert page.status_code == 200
    assert hidden.surname.encode() not in page.content
    assert str(hidden.uuid).encode() not in page.content
    assert not any(group.hits for group in page.context["results"].groups)


def test_a_number_shared_by_two_persons_opens_the_search(
    browser: Client, agent: Any
) -> None:
    _person_with(NUMBER)
    _person_with(NUMBER)
    drawn = clock.now()
    call = _answer(NUMBER)
    destination = _destination(_poll(browser, drawn))
    assert destination == f"/telephony/calls/{call.uuid}/search/"
    assert len(browser.get(destination).context["results"].groups[0].hits) == 2


def test_a_hidden_number_opens_an_anonymous_contact(
    browser: Client, agent: Any
) -> None:
    drawn = clock.now()
    call = _answer("")
    assert _destination(_poll(browser, drawn)) == f"/contacts/new/?call={call.uuid}"


def _register(client: Client, url: str, call: Call) -> Any:
    return client.post(
        url,
        {
            "started_at": opened_token(),
            "call": str(call.uuid),
            "team": "cc-fr",
            "channel": "phone",
            "topic": str(
                Topic.objects.get(team__isnull=True, code="attestations").uuid
            ),
            "summary": "Asked for the C4 attestation.",
            "outcome": "answered",
            "kind": "question",
            "priority": "normal",
            "path": "contact",
        },
    )


def test_the_prefilled_contact_takes_the_calls_times_and_its_end(
    browser: Client, agent: Any
) -> None:
    person = _person_with(NUMBER)
    answered = clock.now() - dt.timedelta(minutes=2)
    call = _answer(at=answered.isoformat())
    url = f"/persons/{person.uuid}/contacts/new/"
    page = browser.get(url, {"call": str(call.uuid)})
    assert page.status_code == 200
    assert page.context["call"] == call
    assert page.context["form"]["channel"].value() == "phone"
    assert f"Call from {NUMBER}".encode() in page.content
    assert b"In progress" in page.content

    assert _register(browser, url, call).status_code == 302
    contact = Contact.objects.get()
    assert (contact.person, contact.channel, contact.direction) == (
        person,
        "phone",
        "inbound",
    )
    assert contact.started_at == answered
    assert contact.address_used == NUMBER
    assert contact.ended_at is None  # the call goes on
    ended = clock.now()
    _end(at=ended)
    contact.refresh_from_db()
    assert contact.ended_at == ended
    assert Call.objects.get().contact == contact


def test_a_call_ended_before_saving_gives_its_end(browser: Client, agent: Any) -> None:
    person = _person_with(NUMBER)
    call = _answer(at=(clock.now() - dt.timedelta(minutes=3)).isoformat())
    ended = clock.now() - dt.timedelta(minutes=1)
    _end(at=ended)
    url = f"/persons/{person.uuid}/contacts/new/"
    assert b"Ended at" in browser.get(url, {"call": str(call.uuid)}).content
    assert _register(browser, url, call).status_code == 302
    assert Contact.objects.get().ended_at == ended
    # The same call cannot be registered twice.
    again = _register(browser, url, call)
    assert again.status_code == 422
    assert Contact.objects.count() == 1


def test_another_agents_call_is_not_used(
    browser: Client, agent: Any, make_agent: Any
) -> None:
    person = _person_with(NUMBER)
    colleague = make_agent("first_line", username="colleague", phone_extension="202")
    services.call_event_receive(
        payload=event("answered", call="theirs", extension="202"),
        signature="sha256=theirs",
    )
    theirs = Call.objects.get(call_id="theirs")
    assert theirs.agent == colleague
    url = f"/persons/{person.uuid}/contacts/new/"
    page = browser.get(url, {"call": str(theirs.uuid)})
    assert page.context["call"] is None
    assert _register(browser, url, theirs).status_code == 302
    contact = Contact.objects.get()
    assert contact.address_used == ""
    theirs.refresh_from_db()
    assert theirs.contact is None


def test_a_garbled_since_polls_from_now(browser: Client, agent: Any) -> None:
    _answer()
    for since in ("nan", "inf", "1e300", "x", ""):
        response = browser.get("/telephony/poll/", {"since": since})
        assert response.status_code == 204, since


def test_another_agents_call_search_is_not_found(
    browser: Client, agent: Any, make_agent: Any
) -> None:
    make_agent("first_line", username="colleague", phone_extension="202")
    services.call_event_receive(
        payload=event("answered", call="theirs", extension="202"),
        signature="sha256=theirs",
    )
    theirs = Call.objects.get(call_id="theirs")
    assert browser.get(f"/telephony/calls/{theirs.uuid}/search/").status_code == 404
