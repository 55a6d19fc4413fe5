"""The kiosk, the display and the desk screen, through the browser's HTTP."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client, override_settings

import pytest

from guichet.agents.models import Agent
from guichet.contacts.models import Contact
from guichet.visits import services
from guichet.visits.models import Desk, Site, Status, Ticket
from tests.factories import PersonFactory
from tests.visits import conftest as queue

# The queue's fixtures: a site with three services and three desks.
teams = queue.teams
agent_in = queue.agent_in
chief = queue.chief
clerk = queue.clerk
site = queue.site
desk = queue.desk

pytestmark = pytest.mark.django_db


def test_the_kiosk_speaks_the_sites_language_then_the_visitors(site: Site) -> None:
    client = Client()
    page = client.get("/visits/post/kiosk/").content.decode()
    assert '<html lang="nl">' in page
    assert "Paspoorten" in page
    page = client.get("/visits/post/kiosk/?lang=de").content.decode()
    assert '<html lang="de">' in page
    assert "Reisepässe" in page
    assert (
        client.get("/visits/post/kiosk/?lang=xx").content.decode().count("Paspoorten")
    )
    assert client.get("/visits/nowhere/kiosk/").status_code == 404


def test_a_visitor_takes_a_ticket_without_logging_in(site: Site) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/visits/post/kiosk/?lang=fr")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/visits/post/kiosk/",
        {"service": "visas", "lang": "fr", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 201
    page = response.content.decode()
    assert "V-001" in page
    assert '<html lang="fr">' in page
    ticket = Ticket.objects.get()
    assert ticket.language == "fr"
    assert ticket.status == Status.WAITING


def test_the_kiosk_refuses_a_flood_and_an_unknown_service(site: Site) -> None:
    client = Client()
    assert client.post("/visits/post/kiosk/", {"service": "x"}).status_code == 422
    with override_settings(VISITS_KIOSK_TICKETS_PER_MINUTE=1):
        assert (
            client.post("/visits/post/kiosk/", {"service": "visas"}).status_code == 201
        )
        refused = client.post("/visits/post/kiosk/", {"service": "visas"})
    assert refused.status_code == 429
    assert 'role="alert"' in refused.content.decode()
    assert Ticket.objects.count() == 1


def test_the_display_shows_the_calls_and_answers_204_when_nothing_changed(
    site: Site, desk: Callable[[str], Desk], clerk: Agent
) -> None:
    client = Client()
    page = client.get("/visits/post/display/").content.decode()
    assert 'aria-live="polite"' in page
    assert "hx-trigger=" in page
    state = page.split('id="calls-state" name="state" value="')[1].split('"')[0]
    assert client.get(f"/visits/post/display/calls/?state={state}").status_code == 204

    services.ticket_issue(site=site, service="visas", language="fr")
    called = services.ticket_call_next(actor=clerk, desk=desk("desk-2"))
    assert called is not None
    fragment = client.get(f"/visits/post/display/calls/?state={state}")
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "V-001" in text
    assert "Desk 2" in text
    assert 'hx-swap-oob="innerHTML"' in text
    new_state = text.split('value="')[1].split('"')[0]
    assert new_state != state
    assert (
        client.get(f"/visits/post/display/calls/?state={new_state}").status_code == 204
    )
    services.ticket_recall(actor=clerk, ticket=called)
    assert (
        client.get(f"/visits/post/display/calls/?state={new_state}").status_code == 200
    )


def test_an_agent_calls_and_serves_at_the_desk(
    site: Site, desk: Callable[[str], Desk], clerk: Agent
) -> None:
    person = PersonFactory()
    services.ticket_issue(site=site, service="passports", language="fr")
    client = Client()
    client.force_login(clerk)
    at = f"/counter/?desk={desk('desk-1').uuid}"
    assert "Call the next visitor" in client.get(at).content.decode()

    response = client.post(at, {"call_next": "1"}, follow=True)
    assert "P-001" in response.content.decode()
    ticket = Ticket.objects.get()
    missing = client.post(
        at,
        {"serve": "1", "ticket": str(ticket.uuid), "outcome": "maybe", "person": ""},
    )
    assert missing.status_code == 422
    served = client.post(
        at,
        {
            "serve": "1",
            "ticket": str(ticket.uuid),
            "person": str(person.uuid),
            "outcome": "answered",
            "summary": "Passport renewal explained.",
        },
    )
    assert served.status_code == 302
    contact = Contact.objects.get()
    assert contact.person == person
    assert contact.channel == "counter"
    assert Ticket.objects.get().status == Status.SERVED


def test_the_desk_screen_is_for_those_who_staff_desks(
    site: Site, agent_in: Callable[..., Agent]
) -> None:
    client = Client()
    assert client.get("/counter/").status_code == 302  # to the login page
    client.force_login(agent_in("first_line", "C"))
    assert client.get("/counter/").status_code == 403
    client.force_login(agent_in("front_office", "D", "visas"))
    other = site.desks.get(code="desk-1")  # passports and information only
    assert client.get(f"/counter/?desk={other.uuid}").status_code == 404
