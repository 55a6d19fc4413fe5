"""Reads of contacts: a service's recent contacts, only those the agent sees."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from guichet.audit.models import AuditEvent
from guichet.contacts import selectors, services
from guichet.contacts.services import ContactInput
from guichet.core import clock
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _register(agent: Any, person: Any, minutes_ago: int) -> Any:
    return services.contact_register(
        actor=agent,
        data=ContactInput(
            channel="phone",
            started_at=clock.now() - dt.timedelta(minutes=minutes_ago),
            person=str(person.uuid),
        ),
    )


def test_the_services_recent_contacts_come_newest_first_without_hidden_persons(
    make_agent: Any,
) -> None:
    first = make_agent("first_line", teams=["cc-fr"])
    colleague = make_agent("first_line", teams=["cc-fr"])
    other = make_agent("first_line", teams=["cc-nl"])
    visas = make_agent("front_office", teams=["cc-fr", "visas"])
    older = _register(colleague, PersonFactory(), 30)
    newer = _register(first, PersonFactory(), 5)
    _register(other, PersonFactory(), 1)
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    services.contact_register(
        actor=visas,
        data=ContactInput(channel="phone", person=str(hidden.uuid)),
        team=TeamFactory(code="cc-fr"),
    )

    page = selectors.contacts_of_teams(agent=first)

    assert page.rows == [newer, older]
    assert (page.page, page.has_next) == (1, False)
    assert AuditEvent.objects.filter(action="contact.list").count() == 1


def test_the_contact_list_pages_by_fifty(make_agent: Any) -> None:
    agent = make_agent("first_line", teams=["cc-fr"])
    person = PersonFactory()
    for minutes in range(selectors.CONTACTS_PAGE + 1):
        _register(agent, person, minutes)

    first = selectors.contacts_of_teams(agent=agent)
    second = selectors.contacts_of_teams(agent=agent, page=2)

    assert (len(first.rows), first.has_next) == (50, True)
    assert (len(second.rows), second.has_next, second.page) == (1, False, 2)
