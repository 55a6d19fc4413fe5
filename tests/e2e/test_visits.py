"""The counter's queue in a real browser: a visitor takes a ticket at the kiosk,
the waiting room's screen shows it when an agent calls it, the agent serves the
visitor and the contact is registered; then every new screen in the four
languages, at 390 and 1280 pixels (the screen also at a television's 1920x1080)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.contacts.models import Contact
from guichet.visits import services
from guichet.visits.models import Desk, Site, Status, Ticket
from tests.e2e.conftest import widths_for
from tests.e2e.test_crawl import text_that_does_not_fit
from tests.factories import PersonFactory
from tests.visits import conftest as queue

# The queue's fixtures: a site with three services and three desks.
teams = queue.teams
agent_in = queue.agent_in
chief = queue.chief
clerk = queue.clerk
site = queue.site
desk = queue.desk


Check = Callable[[str, str | None], None]
SMALL = {"width": 390, "height": 800}
WIDE = {"width": 1280, "height": 800}
TV = {"width": 1920, "height": 1080}


def _fits(ui: Any, name: str) -> None:
    overflow = ui.page.evaluate(
        "() => document.documentElement.scrollWidth"
        " - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} overflows"
    assert not text_that_does_not_fit(ui), name


def test_a_visit_from_the_kiosk_to_the_registered_contact(
    ui: Any,
    checked: Check,
    transactional_db: Any,
    clerk: Agent,
    site: Site,
    desk: Callable[[str], Desk],
) -> None:
    person = PersonFactory(given_names="Maria", surname="Janssens-Dubois")
    # given the kiosk of the post, in Dutch, the site's language
    ui.go("/visits/post/kiosk/")
    expect(ui.page.locator("html")).to_have_attribute("lang", "nl")
    # when a visitor switches to English and touches "Passports"
    ui.page.get_by_role("link", name="English").click()
    ui.page.get_by_role("button", name="Passports").click()
    # then they read their number
    expect(ui.page.locator(".ticket-number")).to_have_text("P-001")
    checked("the kiosk's ticket", None)

    # and the waiting room's screen, open beside it, has called nobody yet
    screen = ui.page.context.new_page()
    screen.goto(ui.base_url + "/visits/post/display/?lang=en")
    announce = screen.locator("#announce")
    expect(announce).to_have_attribute("aria-live", "polite")
    expect(announce).to_contain_text("No number called yet.")

    # when the agent at desk 1 calls the next visitor
    ui.login(clerk.username)
    ui.go(f"/counter/?desk={desk('desk-1').uuid}")
    ui.page.get_by_role("button", name="Call the next visitor").click()
    expect(ui.page.locator(".desk-ticket")).to_have_text("P-001")
    # then the screen shows the number and the desk, without a reload
    expect(announce).to_contain_text("P-001", timeout=10_000)
    expect(announce).to_contain_text("Desk 1")

    # when the agent identifies the visitor and serves them
    ui.page.locator("input[name=person_q]").fill("Janssens-Dubois")
    choice = ui.page.locator(f"input[type=radio][name=person][value='{person.uuid}']")
    expect(choice).to_be_visible()
    choice.check()
    ui.page.get_by_label("Summary").fill("Passport renewal: documents explained.")
    ui.page.get_by_role("button", name="Served").click()
    expect(ui.page.locator(".alert.success")).to_contain_text(
        "P-001 served: the visit is registered."
    )
    # then the contact is registered for the passports' team, with its wait
    contact = Contact.objects.get()
    assert contact.channel == "counter"
    assert contact.person == person
    assert contact.language == "en"
    assert contact.waiting_since is not None
    assert contact.waiting_since <= contact.started_at <= contact.ended_at
    assert Ticket.objects.get().status == Status.SERVED
    screen.close()

    # Every new screen, in the four languages, at both widths.
    services.ticket_issue(site=site, service="visas", language="fr")
    for language in ("en", "fr", "nl", "de"):
        Agent.objects.filter(pk=clerk.pk).update(language=language)
        for width, suffix in widths_for(language):
            ui.page.set_viewport_size(width)
            name = f"{language}{suffix}"
            ui.go(f"/visits/post/kiosk/?lang={language}")
            checked(f"the kiosk in {name}", f"visits/kiosk-{name}")
            _fits(ui, f"kiosk {name}")
            ui.page.locator("button.kiosk-service").first.click()
            expect(ui.page.locator(".ticket-number")).to_be_visible()
            checked(f"the ticket in {name}", f"visits/ticket-{name}")
            _fits(ui, f"ticket {name}")
            ui.go(f"/counter/?desk={desk('desk-3').uuid}")
            checked(f"the desk in {name}", f"visits/desk-{name}")
            _fits(ui, f"desk {name}")
            if language == "en" and not suffix:
                ui.page.get_by_role("button", name="Call the next visitor").click()
                expect(ui.page.locator(".desk-ticket")).to_be_visible()
                checked("the desk with a visitor", "visits/desk-called")
                _fits(ui, "desk called")
        for width, suffix in ((TV, "-tv"), (WIDE, ""), (SMALL, "-390")):
            ui.page.set_viewport_size(width)
            name = f"{language}{suffix}"
            ui.go(f"/visits/post/display/?lang={language}")
            checked(f"the display in {name}", f"visits/display-{name}")
            _fits(ui, f"display {name}")
    ui.page.set_viewport_size(WIDE)
