"""Query counts of the busiest pages, pinned: a page that starts asking the
database once per row or per button fails here first (zulip's `queries_captured`).

The counts include the session, the agent, their roles and teams, and the access
log's append. Measured before and after the selectors started to return the
actions an agent may take (issue 10): see the constants' comments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from guichet.correspondence.models import Letter
from guichet.correspondence.services import letter_draft_create, templates_load
from tests.correspondence.factories import LetterheadFactory, person_with_address
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _queries(client: Any, url: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return "\n".join(query["sql"][:300] for query in captured.captured_queries)


def _count(client: Any, url: str) -> int:
    client.get(url)  # warm caches that live for the process (templates, catalogues)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def front_office(make_agent: Callable[..., Any]) -> Any:
    team = TeamFactory(code="legalisations")
    LetterheadFactory(team=team)
    templates_load(actor=None)
    return make_agent("front_office", level="C", teams=("legalisations",))


@pytest.fixture
def letter(front_office: Any) -> Letter:
    person = person_with_address(given_names="Hélène", surname="Lefèvre")
    return letter_draft_create(
        actor=front_office,
        person_id=person.uuid,
        letter_type="acknowledgement",
        language="fr",
        team="legalisations",
    )


def test_the_person_360_view(
    client_for: Callable[[Any], Any], front_office: Any
) -> None:
    person = person_with_address(given_names="Hélène", surname="Lefèvre")
    queries = _count(client_for(front_office), f"/persons/{person.uuid}/")
    assert queries == PERSON_VIEW


def test_the_letter_page(client_for: Callable[[Any], Any], letter: Letter) -> None:
    queries = _count(
        client_for(letter.author), f"/correspondence/letters/{letter.uuid}/"
    )
    assert queries == LETTER_PAGE


# Session, agent, roles, teams (4); the person and their phones, e-mails, addresses
# and links (5); the access log's append (1: one INSERT, ADR 0002); the agent's
# teams for the header (1). Before issue 10: 15 (the append locked and moved the
# chain's head: savepoint, head, insert, head update, release). Returning the
# actions with the person added none: each policy question reads only the agent's
# roles and teams, cached for the request.
PERSON_VIEW = 11
# Session, agent, roles, teams (4); the letter, its references and dispatches (3);
# the access log's append (1); the person with addresses, e-mails and phones for
# the composed text (4); the letterhead and the header's teams (2). Before issue
# 10: 18.
LETTER_PAGE = 14


# The lists of issue #13: each page is counted with a few rows, then rows (or
# teams) are added and the page must not ask more (`django_assert_max_num_queries`):
# a query per row, per caller, per owner or per team fails here.


@pytest.fixture
def desk(make_agent: Callable[..., Any]) -> dict[str, Any]:
    from guichet.servicerequests.models import ServiceLevelRule

    ServiceLevelRule.objects.create(
        kind="question", first_answer_hours=8, resolution_hours=24
    )
    ServiceLevelRule.objects.create(
        kind="complaint", first_answer_hours=16, resolution_hours=80
    )
    return {
        "first": make_agent("first_line", teams=("cc-fr",), username="first"),
        "second": make_agent("second_line", teams=("cc-fr",), username="second"),
        "boss": make_agent("supervisor", level="A1", teams=("cc-fr",), username="b"),
    }


def _requests(desk: dict[str, Any], count: int, team: str = "cc-fr") -> Any:
    """`count` requests about as many persons, each with a contact from a known
    caller, half of them complaints owned by the second line."""
    from guichet.contacts.services import ContactInput
    from guichet.servicerequests.models import Request
    from guichet.servicerequests.services import RequestInput, contact_with_request
    from tests.factories import PersonFactory

    person = None
    for number in range(count):
        person = PersonFactory(language="fr")
        complaint = number % 2 == 1
        _contact, request = contact_with_request(
            actor=desk["first"],
            contact=ContactInput(
                channel="phone",
                person=str(person.uuid),
                caller_person=str(PersonFactory().uuid),
                caller_relation="relative",
            ),
            request=RequestInput(
                kind="complaint" if complaint else "question",
                subject=f"Request {number}",
                topic="complaints" if complaint else "benefit-payment",
                channel="phone",
                person=str(person.uuid),
                seriousness="minor" if complaint else "",
            ),
            team=TeamFactory(code=team),
        )
        if complaint:
            Request.objects.filter(pk=request.pk).update(owner=desk["second"])
    return person


def _pinned(client: Any, url: str, grow: Callable[[], object], max_queries: int) -> int:
    counted = _count(client, url)
    grow()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) <= counted, [q["sql"][:200] for q in captured]
    assert counted <= max_queries
    return counted


def test_the_queue_page_does_not_grow_with_its_rows(
    client_for: Callable[[Any], Any], desk: dict[str, Any]
) -> None:
    _requests(desk, 2)
    _pinned(client_for(desk["second"]), "/requests/", lambda: _requests(desk, 8), QUEUE)


def test_my_work_does_not_grow_with_its_rows(
    client_for: Callable[[Any], Any], desk: dict[str, Any]
) -> None:
    _requests(desk, 2)
    _pinned(client_for(desk["second"]), "/home/", lambda: _requests(desk, 8), HOME)


def test_supervision_does_not_grow_with_teams_or_complaints(
    client_for: Callable[[Any], Any],
    desk: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    from guichet.agents.models import Membership

    _requests(desk, 2)

    def grow() -> None:
        for code in ("cc-nl", "cc-de", "visas"):
            Membership.objects.create(agent=desk["boss"], team=TeamFactory(code=code))
            Membership.objects.create(agent=desk["first"], team=TeamFactory(code=code))
        # The agent's teams are read once per object: read them again.
        desk["first"] = type(desk["first"]).objects.get(pk=desk["first"].pk)
        for code in ("cc-nl", "cc-de", "visas"):
            _requests(desk, 3, team=code)

    client = client_for(desk["boss"])
    counted = _count(client, "/requests/supervision/")
    grow()
    with django_assert_max_num_queries(counted):
        assert client.get("/requests/supervision/").status_code == 200
    assert counted <= SUPERVISION


def test_the_contacts_tab_and_list_do_not_grow_with_their_rows(
    client_for: Callable[[Any], Any],
    desk: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    from guichet.contacts.services import ContactInput, contact_register
    from tests.factories import PersonFactory

    person = PersonFactory(language="fr")

    def calls(count: int) -> None:
        for _number in range(count):
            contact_register(
                actor=desk["first"],
                data=ContactInput(
                    channel="phone",
                    person=str(person.uuid),
                    caller_person=str(PersonFactory().uuid),
                    topic="attestations",
                ),
            )

    calls(2)
    client = client_for(desk["second"])
    tab = f"/persons/{person.uuid}/contacts/"
    counted_tab = _count(client, tab)
    counted_list = _count(client, "/contacts/")
    calls(10)
    with django_assert_max_num_queries(counted_tab):
        assert client.get(tab).status_code == 200
    with django_assert_max_num_queries(counted_list):
        assert client.get("/contacts/").status_code == 200
    assert counted_tab <= CONTACTS_TAB
    assert counted_list <= CONTACTS_LIST


def test_the_request_page_does_not_grow_with_its_timeline(
    client_for: Callable[[Any], Any],
    desk: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    from guichet.contacts.services import ContactInput
    from guichet.servicerequests.models import Request
    from guichet.servicerequests.services import request_contact_add, request_note

    person = _requests(desk, 1)
    request = Request.objects.get(person=person)
    client = client_for(desk["second"])
    url = f"/requests/{request.reference}/"
    counted = _count(client, url)
    for number in range(6):
        request_note(actor=desk["second"], request=request, text_=f"Note {number}")
        request_contact_add(
            actor=desk["second"],
            request=request,
            contact=ContactInput(channel="phone", summary=f"Call {number}"),
        )
    with django_assert_max_num_queries(counted):
        assert client.get(url).status_code == 200
    assert counted <= REQUEST_PAGE, _queries(client, url)


# Measured on SQLite with the fixtures above (the session, the agent, roles and
# teams, the page's selectors, the access log's append).
QUEUE = 9
# The home page's knowledge block (issue #15): the agent's proposals and feedback.
HOME = 16
SUPERVISION = 10
CONTACTS_TAB = 13
CONTACTS_LIST = 7
# The procedure panel (knowledge) and the suggestions panel (topics, standard
# answers, articles) of issue #15 add four, the replies sent by e-mail with their
# state (issue #16) two; none grows with the timeline. Counted with a suggestion
# model loaded (a test before may have trained one): its answers cost queries.
REQUEST_PAGE = 26
