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
